"""The units pages: each area unit's completed investment against its plans and 序时, and one unit's projects."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.lib.periods import Period
from ducha.projects.tests.factories import make_plan, make_project, make_report
from ducha.units.models import PeerGroup, Unit, UnitKind

LIST = reverse("units:list")
MARCH = {"year": 2020, "month": 3}


def _detail(unit) -> str:
    return reverse("units:detail", args=[unit.pk])


@pytest.fixture
def ledger(units):
    """2020 plans and reports (in 万):

    金科园: 电池 plan 1200, reviewed 300 by March; 材料 plan 800, submitted 100 in March, 500 in April;
            空地 no plan for 2020 (a 2019 plan and a draft report only).
    华科园: 隔膜 plan 100 USD (700万元 at 7.0), 35 USD (245万元) by March.
    金城镇: no project.
    """
    battery = make_project(units["park"], "动力电池项目")
    make_plan(battery, amount=1200)
    make_report(battery, 3, 300)
    material = make_project(units["park"], "电池材料项目")
    make_plan(material, amount=800)
    make_report(material, 3, 100, status="submitted")
    make_report(material, 4, 500, status="submitted")
    empty = make_project(units["park"], "空地项目")
    make_plan(empty, year=2019, amount=5000)
    make_report(empty, 3, 999, status="draft")
    film = make_project(units["other_park"], "电池隔膜项目", currency="USD")
    make_plan(film, amount=100)
    make_report(film, 3, 35)
    return {"battery": battery, "material": material, "empty": empty, "film": film}


@pytest.fixture
def usd_at_7(settings):
    settings.DUCHA_EXCHANGE_RATES = {"USD": Decimal(7)}


def _rows(response) -> dict[str, object]:
    return {row.unit_name: row for row in response.context["rows"]}


# --- who may open the pages ------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client, units):
    for url in (LIST, _detail(units["park"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login")) and "next=" in response["Location"]


def test_auditor_is_refused_the_units_pages(client_for, auditor, units):
    client = client_for(auditor)
    assert client.get(LIST).status_code == 403
    assert client.get(_detail(units["park"])).status_code == 403


@pytest.mark.parametrize("persona", ["office", "leader"])
def test_office_and_leader_see_every_area_unit_and_no_department(persona, request, client_for, units):
    response = client_for(request.getfixturevalue(persona)).get(LIST, MARCH)
    assert response.status_code == 200
    assert [row.unit_id for row in response.context["rows"]] == [
        units[key].pk for key in ("town", "street", "park", "other_park")
    ]
    html = response.content.decode()
    assert _detail(units["park"]) in html and _detail(units["other_park"]) in html
    assert "住建局" not in html.split("<table", 1)[1]


@pytest.mark.parametrize("persona", ["office", "leader"])
def test_office_and_leader_open_any_area_units_page(persona, request, client_for, units, ledger):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(_detail(units["park"]), MARCH).status_code == 200
    assert client.get(_detail(units["other_park"]), MARCH).status_code == 200


def test_a_department_has_no_units_page(client_for, office, units):
    assert client_for(office).get(_detail(units["department"])).status_code == 404


def test_an_unknown_unit_is_not_found(client_for, office, units):
    assert client_for(office).get(reverse("units:detail", args=[999999])).status_code == 404


def test_park_user_sees_only_its_own_unit(client_for, park_user, units, ledger):
    response = client_for(park_user).get(LIST, MARCH)
    assert response.status_code == 200
    assert [row.unit_id for row in response.context["rows"]] == [units["park"].pk]
    html = response.content.decode()
    assert _detail(units["park"]) in html and _detail(units["other_park"]) not in html


def test_park_user_cannot_open_another_units_page(client_for, park_user, units, ledger):
    client = client_for(park_user)
    assert client.get(_detail(units["park"])).status_code == 200
    assert client.get(_detail(units["other_park"])).status_code == 404
    assert client.get(_detail(units["town"])).status_code == 404


# --- the figures -----------------------------------------------------------------------------------


def test_each_unit_shows_its_projects_plan_and_completion_for_the_period(
    client_for, office, units, ledger, usd_at_7
):
    rows = _rows(client_for(office).get(LIST, MARCH))
    park = rows["金科园"]
    # Every project counts; only 2020 plans and the latest non-draft figure up to March are summed.
    assert park.project_count == 3
    assert park.completion.planned == Decimal(2000)
    assert park.completion.completed == Decimal(400)
    assert park.completion.ratio == Decimal("0.2")
    assert park.completion.schedule == Decimal(3) / Decimal(12)
    assert park.completion.points_behind == Decimal(5) and not park.completion.ahead
    other = rows["华科园"]
    # Dollars are converted at the configured rate before they are added up.
    assert (other.project_count, other.completion.planned, other.completion.completed) == (
        1,
        Decimal(700),
        Decimal(245),
    )
    assert other.completion.ratio == Decimal("0.35") and other.completion.ahead
    town = rows["金城镇"]
    assert (town.project_count, town.completion.planned, town.completion.ratio) == (0, Decimal(0), None)
    assert town.completion.points_behind is None


def test_a_later_month_takes_each_projects_latest_figure(client_for, office, units, ledger):
    park = _rows(client_for(office).get(LIST, {"year": 2020, "month": 4}))["金科园"]
    assert park.completion.completed == Decimal(800)  # 300 (March, still the latest) + 500 (April)
    assert park.completion.ratio == Decimal("0.4")


def test_another_year_has_its_own_plans(client_for, office, units, ledger):
    park = _rows(client_for(office).get(LIST, {"year": 2019, "month": 12}))["金科园"]
    assert park.completion.planned == Decimal(5000)
    assert park.completion.completed == Decimal(0)  # the 2019 figures were never reported


def test_the_list_states_the_period_and_its_schedule(client_for, office, units, ledger):
    response = client_for(office).get(LIST, MARCH)
    assert response.context["period"] == Period(2020, 3)
    html = response.content.decode()
    assert str(Period(2020, 3)) in html
    assert "25.0%" in html  # 序时 = 3 ÷ 12


def test_units_page_lists_the_units_projects_with_their_figures(client_for, office, units, ledger):
    response = client_for(office).get(_detail(units["park"]), MARCH)
    assert response.status_code == 200
    assert response.context["row"].project_count == 3
    assert response.context["row"].completion.completed == Decimal(400)
    projects = {p.name: p for p in response.context["projects"]}
    assert set(projects) == {"动力电池项目", "电池材料项目", "空地项目"}
    assert projects["电池材料项目"].plan_year == Decimal(800)
    assert projects["电池材料项目"].completed_ytd == Decimal(100)
    assert projects["空地项目"].plan_year is None and projects["空地项目"].completed_ytd is None
    html = response.content.decode()
    for project in (ledger["battery"], ledger["material"], ledger["empty"]):
        assert reverse("projects:detail", args=[project.pk]) in html
    assert "电池隔膜项目" not in html


def test_units_page_without_projects_says_so(client_for, office, units, settings):
    settings.LANGUAGE_CODE = "en"
    response = client_for(office).get(_detail(units["town"]), MARCH, HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["row"].project_count == 0
    assert "No projects." in response.content.decode()


# --- the period parameters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"year": "abc", "month": "3"},
        {"year": "2020", "month": "三"},
        {"year": "2020", "month": "13"},
        {"year": "2020", "month": "0"},
        {"year": "1999", "month": "3"},
        {"year": "2101", "month": "3"},
        {"year": "", "month": ""},
    ],
)
def test_a_missing_or_bad_period_falls_back_to_the_current_reporting_month(
    params, client_for, office, units, ledger, settings
):
    """On 10 May 2020 April's reports are due (by the 5th): April is the current reporting month."""
    settings.DUCHA_TODAY = "2020-05-10"
    for url in (LIST, _detail(units["park"])):
        response = client_for(office).get(url, params)
        assert response.status_code == 200
        assert response.context["period"] == Period(2020, 4)


def test_a_past_year_alone_means_its_whole_year(client_for, office, units, ledger, settings):
    settings.DUCHA_TODAY = "2020-05-10"
    response = client_for(office).get(LIST, {"year": "2019"})
    assert response.context["period"] == Period(2019, 12)
    response = client_for(office).get(LIST, {"year": "2020"})
    assert response.context["period"] == Period(2020, 4)


# --- queries ---------------------------------------------------------------------------------------


def _queries(client, url, data) -> int:
    client.get(url, data)  # warm up the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data).status_code == 200
    return len(ctx.captured_queries)


def _area_unit_with_projects(i: int, n_projects: int = 2) -> Unit:
    unit = Unit.objects.create(
        name=f"测试镇{i}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS, order=100 + i
    )
    for j in range(n_projects):
        project = make_project(unit, f"测试项目{i}-{j}", currency="USD" if j % 2 else "CNY")
        make_plan(project, amount=1000)
        make_report(project, 3, 100 * j)
    return unit


def test_units_list_query_count_does_not_grow_with_units(client_for, office, units, ledger):
    client = client_for(office)
    few = _queries(client, LIST, MARCH)
    for i in range(12):
        _area_unit_with_projects(i)
    many = _queries(client, LIST, MARCH)
    assert len(client.get(LIST, MARCH).context["rows"]) == 16
    assert many == few, f"{few} queries for 4 units, {many} for 16"


def test_units_page_query_count_does_not_grow_with_projects(client_for, office, units):
    client = client_for(office)
    unit = _area_unit_with_projects(0, n_projects=2)
    few = _queries(client, _detail(unit), MARCH)
    for j in range(12):
        project = make_project(unit, f"新增项目{j}", currency="USD" if j % 2 else "CNY", light="red")
        make_plan(project, amount=500)
        make_report(project, 3, 50)
    many = _queries(client, _detail(unit), MARCH)
    assert many == few, f"{few} queries for 2 projects, {many} for 14"


def test_park_users_units_list_query_count_does_not_grow_with_its_projects(client_for, park_user, units):
    client = client_for(park_user)
    few = _queries(client, LIST, MARCH)
    for j in range(12):
        project = make_project(units["park"], f"金科园项目{j}")
        make_plan(project, amount=500)
        make_report(project, 3, 50)
    many = _queries(client, LIST, MARCH)
    assert many == few, f"{few} queries for no project, {many} for 12"


def test_a_units_page_lists_its_largest_projects_and_links_the_rest_to_the_ledger(
    client_for, office, units, ledger, monkeypatch
):
    monkeypatch.setattr("ducha.units.views.LISTED_PROJECTS", 2)
    response = client_for(office).get(_detail(units["park"]), MARCH)
    assert len(response.context["projects"]) == 2 and response.context["more"] == 1
    html = response.content.decode()
    assert "台账中另有1个项目" in html
    assert f"{reverse('projects:list')}?unit={units['park'].pk}&amp;year=2020&amp;month=3" in html


def test_a_province_s_units_are_listed_a_page_at_a_time(client_for, office, units):
    from ducha.units.views import UNITS_PER_PAGE

    Unit.objects.bulk_create(
        Unit(name=f"第{i}镇", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS, order=100 + i)
        for i in range(UNITS_PER_PAGE)
    )
    areas = Unit.objects.areas().count()
    client = client_for(office)
    first = client.get(reverse("units:list"), {"year": 2020, "month": 11})
    assert len(first.context["rows"]) == UNITS_PER_PAGE
    last = client.get(reverse("units:list"), {"year": 2020, "month": 11, "page": 2})
    assert len(last.context["rows"]) == areas - UNITS_PER_PAGE
    assert "page=2" in first.content.decode()  # the pager keeps the period and links the next page
