"""The API's own lists run the same queries for a few and for many rows, like the web pages they mirror."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.api.models import ApiToken
from ducha.projects.models import Industry, StageDate
from ducha.projects.tests.factories import make_plan, make_project, make_report
from ducha.units.models import PeerGroup, Unit, UnitKind


def _api_queries(client, user, url, data=None) -> int:
    _token, key = ApiToken.issue(user=user, name="query-count")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.get(url, data, **headers)  # warm up the caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data, **headers).status_code == 200
    return len(ctx.captured_queries)


def _projects(unit, n, *, start=0, industry=None, department=None):
    for i in range(start, start + n):
        project = make_project(
            unit,
            f"接口项目{i}",
            currency="USD" if i % 3 == 0 else "CNY",
            industry=industry,
            responsible_department=department,
        )
        make_plan(project)
        make_report(project, 3, 100)
        StageDate.objects.create(project=project, stage="started", actual_date="2020-03-01")
        project.capacities.create(quantity=18, unit="GWh", product="动力电池")


def test_units_query_count_does_not_grow_with_units(client, office, units):
    few = _api_queries(client, office, "/api/units")
    for i in range(12):
        Unit.objects.create(name=f"测试镇{i}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS)
    many = _api_queries(client, office, "/api/units")
    assert many == few, f"{few} queries for 6 units, {many} for 18"


@pytest.mark.parametrize("url", ["/api/projects", "/api/projects/oc4ids"])
@pytest.mark.parametrize("persona", ["office", "park_user", "department_user"])
def test_project_lists_query_count_does_not_grow_with_projects(url, persona, request, client, units):
    user = request.getfixturevalue(persona)
    industry = Industry.objects.create(name="动力电池")
    data = {"year": 2020, "month": 3} if url == "/api/projects" else None
    _projects(units["park"], 2, industry=industry, department=units["department"])
    few = _api_queries(client, user, url, data)
    _projects(units["park"], 12, start=2, industry=industry, department=units["department"])
    many = _api_queries(client, user, url, data)
    assert many == few, f"{few} queries for 2 projects, {many} for 14"


def test_a_projects_reports_and_plans_query_count_does_not_grow(client, office, units):
    project = make_project(units["park"], "接口项目")
    make_report(project, 1, 100)
    urls = [f"/api/projects/{project.pk}/reports", f"/api/projects/{project.pk}/plans"]
    few = [_api_queries(client, office, url) for url in urls]
    for month in range(2, 12):
        make_report(project, month, 100 * month)
    for year in range(2015, 2020):
        make_plan(project, year=year)
    many = [_api_queries(client, office, url) for url in urls]
    assert many == few, f"{few} queries for 1 report and plan, {many} for 11 reports and 5 plans"


def test_bulletins_query_count_does_not_grow(client, office, units):
    from ducha.cockpit.services import bulletin_publish

    bulletin_publish(year=2020, month=10, user=office)
    few = _api_queries(client, office, "/api/bulletins")
    for month in (11, 12):
        bulletin_publish(year=2020, month=month, user=office)
    many = _api_queries(client, office, "/api/bulletins")
    assert many == few, f"{few} queries for 1 bulletin, {many} for 3"
