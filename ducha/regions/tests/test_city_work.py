"""The city's own work over its districts: a round visiting projects in two districts, a problem raised to a
district's office, the districts evaluated and flagged with the city's own scheme, and the city's bulletin."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ducha.cockpit import bulletin
from ducha.cockpit.services import bulletin_publish
from ducha.evaluation import selectors as evaluation_selectors
from ducha.evaluation import services as evaluation_services
from ducha.evaluation.choices import Source
from ducha.evaluation.models import Scheme, SchemeItem
from ducha.lib.periods import Period
from ducha.projects.models import Project
from ducha.regions.services import county_units
from ducha.supervision import services as supervision_services
from ducha.supervision.models import ProblemCategory
from ducha.units.models import PeerGroup, UnitKind

pytestmark = pytest.mark.django_db
PERIOD = Period(2020, 11)


@pytest.fixture
def counties(city):
    regions, _towns, _users = city
    return {unit.region.code: unit for unit in county_units(regions["320400"])}


def test_the_city_has_one_office_unit_per_district_that_holds_units(city, counties):
    regions, _towns, _users = city
    assert set(counties) == {"320413", "320412"}  # 溧阳市 and the others hold no units here
    assert {u.kind for u in counties.values()} == {UnitKind.COUNTY}
    assert {u.peer_group for u in counties.values()} == {PeerGroup.COUNTIES}
    assert county_units(regions["320400"]) == list(counties.values()) or set(
        county_units(regions["320400"])
    ) == set(counties.values())  # made once


@pytest.fixture
def city_scheme(city, counties):
    regions, _towns, _users = city
    scheme = Scheme.objects.create(year=2020, name="2020年度区县重点项目考核", region=regions["320400"])
    SchemeItem.objects.create(scheme=scheme, label="投资完成", source=Source.INVESTMENT_SCHEDULE, weight=100)
    return scheme


def test_the_city_evaluates_its_districts_from_their_towns_figures_and_publishes_flags(
    client, city, counties, city_scheme
):
    regions, _towns, users = city
    evaluation = evaluation_services.evaluation_compute(
        scheme=city_scheme, month=11, user=users["city_office"]
    )
    results = {r.unit.region.code: r for r in evaluation.results.select_related("unit__region")}
    assert set(results) == {"320413", "320412"}  # the districts, not their towns
    # 金坛区: (1000+100) ÷ (1200+600) ÷ 11/12 ; 武进区: 2300 ÷ 2400 ÷ 11/12 — 武进区 first
    raw = evaluation_selectors.investment_against_schedule(
        year=2020, month=11, counts_for=evaluation_selectors.evaluated_units(city_scheme)[1]
    )
    expected = Decimal(1100) / Decimal(1800) / (Decimal(11) / 12) * 100
    assert abs(raw[counties["320413"].pk] - expected) < Decimal("0.0001")
    assert (results["320412"].place, results["320413"].place) == (1, 2)

    with pytest.raises(ValidationError):  # a district's office cannot publish the city's evaluation
        evaluation_services.evaluation_publish(evaluation=evaluation, user=users["wujin_office"])
    evaluation_services.evaluation_publish(evaluation=evaluation, user=users["city_office"])
    flags = evaluation_selectors.latest_published_flags(region=regions["320400"])
    assert [f.unit_name for f in flags] == ["武进区", "金坛区"]

    # the city's published evaluation concerns each district: its office reads it and its own flag
    client.force_login(users["wujin_office"])
    assert client.get(reverse("evaluation:detail", args=[evaluation.pk])).status_code == 200
    history = client.get(reverse("evaluation:unit_history", args=[counties["320412"].pk]))
    assert history.status_code == 200
    assert client.get(reverse("evaluation:unit_history", args=[counties["320413"].pk])).status_code == 404
    # the city's cockpit shows the districts' flags
    client.force_login(users["city_office"])
    page = client.get(reverse("cockpit:cockpit"), {"year": 2020, "month": 11})
    assert [f.unit_name for f in page.context["flags"]] == ["武进区", "金坛区"]


def test_a_district_office_computes_nothing_with_the_city_scheme(city, city_scheme):
    _regions, _towns, users = city
    with pytest.raises(ValidationError):
        evaluation_services.evaluation_compute(scheme=city_scheme, month=11, user=users["jintan_office"])


def test_the_city_bulletin_covers_both_districts_and_a_districts_covers_its_own(city, settings):
    regions, _towns, users = city
    settings.DUCHA_TODAY = "2020-12-08"
    city_content = bulletin.collect(PERIOD, regions["320400"])
    jintan_content = bulletin.collect(PERIOD, regions["320413"])
    assert city_content["overview"]["projects"] == 3 and jintan_content["overview"]["projects"] == 2
    # the city's tables compare districts and name each project's town with its district
    assert city_content["signed_starts"]["by_district"] and not jintan_content["signed_starts"]["by_district"]
    lagging_units = {row[1] for row in city_content["lagging"]["rows"]}
    assert lagging_units and all(name.startswith(("金坛区", "武进区")) for name in lagging_units)
    assert {row[1] for row in jintan_content["lagging"]["rows"]} <= {"金城镇", "儒林镇"}
    published = bulletin_publish(year=2020, month=11, user=users["city_office"])
    assert published.region == regions["320400"] and published.content["overview"]["projects"] == 3
    assert published.issue == 1
    own = bulletin_publish(year=2020, month=11, user=users["jintan_office"])
    assert own.region == regions["320413"] and own.issue == 1  # each office numbers its own series
    assert own.content["overview"]["projects"] == 2


def test_a_city_round_visits_two_districts_and_shows_on_each_districts_project_page(client, city):
    regions, towns, users = city
    city_office = users["city_office"]
    rnd = supervision_services.round_save(
        user=city_office,
        data={
            "title": "全市重点项目督查推进会",
            "level": "city",
            "year": 2019,
            "date": datetime.date(2019, 12, 18),
            "leaders": "市委书记",
        },
    )
    assert rnd.region == regions["320400"]
    jintan_project = Project.objects.get(unit=towns["jintan"])
    wujin_project = Project.objects.get(unit=towns["wujin"])
    for project in (jintan_project, wujin_project):
        supervision_services.visit_add(user=city_office, round=rnd, project=project, findings="现场查看")
    client.force_login(users["jintan_office"])
    page = client.get(jintan_project.get_absolute_url())
    assert f'data-round="{rnd.pk}"' in page.content.decode() and "常州市" in page.content.decode()
    # the district sees its own visit of the city round, not the other district's
    detail = client.get(reverse("supervision:round_detail", args=[rnd.pk]))
    assert [v.project for v in detail.context["visits"]] == [jintan_project]
    # and cannot change the city's round
    assert client.post(reverse("supervision:round_delete", args=[rnd.pk])).status_code == 404


def test_the_city_raises_a_problem_to_a_districts_office(client, city, counties):
    regions, towns, users = city
    project = Project.objects.get(unit=towns["wujin"])
    category = ProblemCategory.objects.first() or ProblemCategory.objects.create(name="要素保障")
    problem = supervision_services.problem_raise(
        user=users["city_office"],
        project=project,
        category=category,
        description="用地指标未落实",
        lead_department=counties["320412"],
    )
    client.force_login(users["wujin_office"])
    assert client.get(problem.get_absolute_url()).status_code == 200
    client.force_login(users["jintan_office"])
    assert client.get(problem.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError):  # a district office raises no problem on another district's project
        supervision_services.problem_raise(
            user=users["jintan_office"],
            project=project,
            category=category,
            description="越权",
            lead_department=counties["320412"],
        )


def test_the_city_sets_its_districts_targets_and_each_office_only_its_own(city, counties):
    from ducha.indicators.models import Indicator, IndicatorTarget
    from ducha.indicators.selectors import target_grid
    from ducha.indicators.services import indicator_targets_save

    regions, towns, users = city
    sales = Indicator.objects.create(name="工业开票销售", code="sales_t", measure="amount")
    city_rows = [row.unit for row in target_grid(year=2020, user=users["city_office"]).rows]
    assert set(city_rows) == set(counties.values())  # the districts, no whole-district row of Jintan's
    wujin_rows = [row.unit for row in target_grid(year=2020, user=users["wujin_office"]).rows]
    assert wujin_rows == [towns["wujin"]]
    jintan_rows = [row.unit for row in target_grid(year=2020, user=users["jintan_office"]).rows]
    assert jintan_rows[0] is None and set(jintan_rows[1:]) == {
        towns["jintan"],
        towns["jintan2"],
    }  # 金坛区 is home

    indicator_targets_save(
        year=2020, targets={(counties["320412"].pk, sales.pk): Decimal(500)}, user=users["city_office"]
    )
    assert IndicatorTarget.objects.get(unit=counties["320412"], indicator=sales).value == Decimal(500)
    with pytest.raises(ValidationError):  # 武进区's office sets no target of 金坛区's towns
        indicator_targets_save(
            year=2020, targets={(towns["jintan"].pk, sales.pk): Decimal(1)}, user=users["wujin_office"]
        )


def test_the_city_s_indicator_table_compares_its_districts_and_a_district_its_towns(client, city, counties):
    regions, towns, users = city
    client.force_login(users["city_office"])
    city_table = client.get(reverse("indicators:table"), {"year": 2020, "month": 11})
    assert [row.unit for row in city_table.context["table"].rows] == sorted(
        counties.values(), key=lambda u: (u.order, u.name)
    )
    assert not city_table.context["show_district"]  # the values without a unit are Jintan's, not the city's
    client.force_login(users["jintan_office"])
    jintan_table = client.get(reverse("indicators:table"), {"year": 2020, "month": 11})
    assert {row.unit for row in jintan_table.context["table"].rows} == {towns["jintan"], towns["jintan2"]}
