"""Issue 16's measure: the demo's OC4IDS export has no error for the standard's own validator (libcoveoc4ids,
offline against the vendored 0.9.5 schema), and carries what ducha holds."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from ducha.cli import DEMO_TODAY
from ducha.projects.models import Milestone, ProgressReport, Project

from .test_oc4ids import assert_valid, bearer, no_network  # noqa: F401 (a fixture)


@pytest.fixture(scope="module")
def demo(demo_loaded):
    """The demo loaded once, as `ducha demo --load-only` does it, in a transaction rolled back afterwards."""


@pytest.fixture(scope="module")
def exported(demo, django_db_blocker, tmp_path_factory):
    out = tmp_path_factory.mktemp("oc4ids") / "demo.json"
    with django_db_blocker.unblock(), override_settings(DUCHA_TODAY=DEMO_TODAY):
        call_command("oc4ids", "export", str(out), stdout=StringIO())
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_the_demos_export_has_no_validation_error(exported, no_network):  # noqa: F811
    assert len(exported["projects"]) == Project.objects.count()
    assert_valid(exported)


@pytest.mark.django_db
def test_the_demos_export_carries_what_ducha_holds(exported):
    projects = {int(p["id"].rsplit("-", 1)[1]): p for p in exported["projects"]}
    with_code = set(Project.objects.exclude(national_code="").values_list("pk", flat=True))
    assert {pk for pk, p in projects.items() if "identifiers" in p} == with_code  # (the demo has none yet)
    reported = set(ProgressReport.objects.exclude(status="draft").values_list("project_id", flat=True))
    assert reported and {pk for pk, p in projects.items() if "metrics" in p} == reported
    with_nodes = set(Milestone.objects.values_list("project_id", flat=True))
    assert with_nodes and {pk for pk, p in projects.items() if "milestones" in p} == with_nodes
    placed = set(Project.objects.exclude(longitude=None).values_list("pk", flat=True))
    assert {pk for pk, p in projects.items() if "geometry" in p.get("locations", [{}])[0]} == placed
    assert all(p.get("sector") or p["additionalClassifications"] for p in projects.values())
    assert all(p["budget"]["amount"]["amount"] >= 0 and p["parties"] for p in projects.values())


@pytest.mark.django_db
def test_the_demo_offices_api_pages_are_valid(demo, client, no_network):  # noqa: F811
    from ducha.accounts.models import User

    with override_settings(DUCHA_TODAY=DEMO_TODAY):
        headers = bearer(User.objects.get(username="office"))
        page = client.get("/api/projects/oc4ids", {"limit": 100}, **headers).json()
        assert len(page["projects"]) == 100 and "next" in page["links"]
        rest = client.get(page["links"]["next"], **headers).json()
    assert_valid(page)
    assert_valid(rest)
