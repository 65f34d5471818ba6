"""The README's promise: `ducha demo` serves a realistic Jintan dataset, and loading it twice changes nothing."""

import os
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from ducha.accounts.models import User
from ducha.cli import DEMO_TODAY
from ducha.projects.models import Project
from ducha.units.models import Unit

PASSWORD = "demo-password-1"


def _state() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "units",
            "accounts",
            "projects",
            "supervision",
            "indicators",
            "evaluation",
            "cockpit",
            "extraction",
        }
    }


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded twice, as `ducha demo --load-only` does it, inside a transaction rolled back afterwards
    (a flush would also remove what data migrations put in)."""
    old = os.environ.get("DUCHA_DEMO_PASSWORD")
    os.environ["DUCHA_DEMO_PASSWORD"] = PASSWORD
    # As `ducha demo` runs it: on the demo's business date, so that its current month is November 2020.
    with django_db_blocker.unblock(), override_settings(DUCHA_TODAY=DEMO_TODAY), transaction.atomic():
        try:
            call_command("demo", load_only=True, stdout=StringIO())
            first = _state()
            lights = dict(Project.objects.values_list("name", "light"))
            call_command("demo", load_only=True, stdout=StringIO())
            yield {"first": first, "lights": lights}
        finally:
            transaction.set_rollback(True)
            if old is None:
                os.environ.pop("DUCHA_DEMO_PASSWORD")
            else:
                os.environ["DUCHA_DEMO_PASSWORD"] = old


@pytest.mark.django_db
def test_loading_the_demo_twice_leaves_the_same_state(demo):
    assert _state() == demo["first"]
    assert dict(Project.objects.values_list("name", "light")) == demo["lights"]


@pytest.mark.django_db
def test_demo_has_about_150_projects_with_a_mix_of_lights(demo):
    jintan = Project.objects.filter(unit__region__code="320413")  # the city's two other districts come on top
    assert 140 <= jintan.count() <= 160
    lights = set(jintan.values_list("light", flat=True))
    assert lights == {"green", "yellow", "red"}


@pytest.mark.django_db
def test_demo_office_finds_the_real_projects_with_their_facts(demo, client):
    client.force_login(User.objects.get(username="office"))
    body = client.get("/projects/", {"q": "蜂巢能源"}).content.decode()
    assert "蜂巢能源动力电池项目" in body
    project = Project.objects.get(name="蜂巢能源动力电池项目")
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "80亿元" in page and "18GWh动力电池" in page


@pytest.mark.django_db
def test_demo_filter_by_jinkeyuan_shows_only_its_projects(demo, client):
    client.force_login(User.objects.get(username="office"))
    park = Unit.objects.get(short_name="金科园")
    response = client.get("/projects/", {"unit": park.pk})
    rows = list(response.context["page"])
    assert rows and all(p.unit_id == park.pk for p in rows)


@pytest.mark.django_db
def test_demo_users_sign_in_with_the_demo_password(demo):
    for username in ("office", "leader", "jinkeyuan", "zhujianju", "auditor"):
        assert User.objects.get(username=username).check_password(PASSWORD)
    assert User.objects.get(username="jinkeyuan").unit.short_name == "金科园"


@pytest.mark.django_db
def test_demo_indicator_table_shows_the_seed_figures(demo, client):
    client.force_login(User.objects.get(username="office"))
    march = client.get("/indicators/", {"year": 2020, "month": 3}).content.decode()
    assert "321.71亿元" in march and "+6.89%" in march
    november = client.get("/indicators/", {"year": 2020, "month": 11}).content.decode()
    assert "1425.2亿元" in november


@pytest.mark.django_db
def test_demo_november_bulletin_has_the_flags_table_and_the_sales_figure(demo, client):
    from io import BytesIO

    from docx import Document

    from ducha.cockpit.models import Bulletin

    client.force_login(User.objects.get(username="office"))
    bulletin = Bulletin.objects.get(year=2020, month=11)
    response = client.get(f"/cockpit/bulletins/{bulletin.pk}/bulletin.docx")
    document = Document(BytesIO(response.content))
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["工业开票销售收入", "亿元", "1425.2"] in [r[:3] for r in rows]  # the unit in its own column
    assert "红旗" in cells and "黄旗" in cells


@pytest.mark.django_db
def test_demo_stage_dates_are_in_order(demo):
    from ducha.projects.models import StageDate

    dates = {(sd.project_id, sd.stage): sd.actual_date for sd in StageDate.objects.exclude(actual_date=None)}
    for (project_id, stage), completed in dates.items():
        if stage == "completed" and (project_id, "started") in dates:
            assert completed >= dates[(project_id, "started")]


@pytest.mark.django_db
def test_the_demo_ledger_exported_imports_back_unchanged(demo, client):
    from io import BytesIO

    from ducha.projects import spreadsheets

    client.force_login(User.objects.get(username="office"))
    exported = client.get("/projects/export.xlsx")
    ledger = spreadsheets.ledger_read(BytesIO(exported.content))
    assert ledger.ok, [str(e) for e in ledger.errors[:5]]
    jintan = Project.objects.filter(unit__region__code="320413")  # the office's district: what it exported
    assert (ledger.created, ledger.updated, ledger.unchanged) == (0, 0, jintan.count())
