"""Lists of the projects app that had no "same queries for few and many rows" test: the monthly progress
list, the ledger export and the ledger's table as htmx swaps it in. (The full ledger page, the project page,
the batch page and the import preview have theirs in test_views.py, test_report_batch.py and test_import.py.)"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.projects.models import Industry

from .factories import make_plan, make_project, make_report

MARCH = {"year": 2020, "month": 3}


def _queries(client, url, data=None, **headers) -> int:
    client.get(url, data, **headers)  # warm up the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data, **headers).status_code == 200
    return len(ctx.captured_queries)


def _projects(unit, n, *, reporter, start=0, industry=None, department=None):
    """n projects with a 2020 plan: even ones reported March (submitted), odd ones still owe it."""
    for i in range(start, start + n):
        project = make_project(
            unit,
            f"项目{i}",
            currency="USD" if i % 3 == 0 else "CNY",
            industry=industry,
            responsible_department=department,
        )
        make_plan(project)
        if i % 2 == 0:
            make_report(project, 3, 100, month_amount=100, status="submitted", submitted_by=reporter)


@pytest.mark.parametrize(
    ("persona", "status"), [("office", None), ("office", ""), ("leader", ""), ("park_user", "")]
)
def test_report_list_query_count_does_not_grow_with_reports(persona, status, request, client_for, units):
    """The office's review queue (submitted by default) and everyone's full list, with the projects that owe."""
    user = request.getfixturevalue(persona)
    reporter = request.getfixturevalue("park_user")
    client = client_for(user)
    data = MARCH if status is None else {**MARCH, "status": status}
    _projects(units["park"], 2, reporter=reporter)
    few = _queries(client, reverse("projects:report_list"), data)
    _projects(units["park"], 12, reporter=reporter, start=2)
    response = client.get(reverse("projects:report_list"), data)
    assert len(response.context["page"].object_list) == 7 and response.context["missing_count"] == 7
    many = _queries(client, reverse("projects:report_list"), data)
    assert many == few, f"{few} queries for 1 report and 1 missing, {many} for 7 and 7"


def test_ledger_export_query_count_does_not_grow_with_projects(client_for, office, units):
    client = client_for(office)
    industry = Industry.objects.create(name="动力电池")
    _projects(units["park"], 2, reporter=None, industry=industry, department=units["department"])
    few = _queries(client, reverse("projects:export"), MARCH)
    _projects(units["town"], 12, reporter=None, start=2, industry=industry, department=units["department"])
    many = _queries(client, reverse("projects:export"), MARCH)
    assert many == few, f"{few} queries for 2 projects, {many} for 14"


@pytest.mark.parametrize("persona", ["office", "park_user", "department_user"])
def test_ledger_htmx_table_query_count_does_not_grow_with_projects(persona, request, client_for, units):
    """The table alone, as the ledger's filters fetch it (HX-Request), sorted by completion."""
    client = client_for(request.getfixturevalue(persona))
    industry = Industry.objects.create(name="动力电池")
    data = {**MARCH, "sort": "ratio"}
    _projects(units["park"], 2, reporter=None, industry=industry, department=units["department"])
    few = _queries(client, reverse("projects:list"), data, HTTP_HX_REQUEST="true")
    _projects(units["park"], 12, reporter=None, start=2, industry=industry, department=units["department"])
    response = client.get(reverse("projects:list"), data, HTTP_HX_REQUEST="true")
    assert [t.name for t in response.templates][0] == "projects/_ledger_table.html"
    assert len(response.context["page"].object_list) == 14
    many = _queries(client, reverse("projects:list"), data, HTTP_HX_REQUEST="true")
    assert many == few, f"{few} queries for 2 projects, {many} for 14"
