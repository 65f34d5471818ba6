"""The OC4IDS project package (API route and `ducha oc4ids`): valid for the standard's own validator
(libcoveoc4ids, offline against the vendored 0.9.5 schema), complete, scoped and paginated; and the mappings."""

import json
import socket
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.api.models import ApiToken
from ducha.projects import oc4ids
from ducha.projects.choices import Stage
from ducha.projects.models import Industry, Milestone, PeriodFigures, StageDate
from ducha.projects.oc4ids_validation import oc4ids_review, review_summary
from ducha.projects.rollups import deferred
from ducha.projects.tests.factories import make_plan, make_project, make_report
from ducha.regions.models import Region
from ducha.units.models import Unit

URL = "/api/projects/oc4ids"


def bearer(user):
    _token, key = ApiToken.issue(user=user, name="oc4ids")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def no_network(monkeypatch):
    """Validation must work on an intranet: any connection attempt fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("libcoveoc4ids tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def assert_valid(package):
    summary = review_summary(oc4ids_review(package))
    assert summary["errors"] == [], summary["errors"]
    assert summary["closed_codelist_values"] == {}
    assert summary["additional_checks"] == [], summary["additional_checks"]
    # Outside the open codelists only ducha's own classification schemes (and no sector, role, type …).
    assert set(summary["open_codelist_values"]) <= {"projects/additionalClassifications/scheme"}
    return summary


@pytest.fixture
def ledger(units):
    """A representative ledger: a factory with everything, a public project with little, a USD project, a plan
    without reports, a draft report, a project with only an address. (Figures refreshed once, at the end.)"""
    with deferred():
        return _ledger(units)


def _ledger(units):
    chain = Industry.objects.create(name="新能源汽车")
    battery = Industry.objects.create(name="动力电池", parent=chain)
    full = make_project(
        units["park"],
        "年产18GWh动力电池项目",
        company="蜂巢能源",
        national_code="2019-320482-39-03-512345",
        industry=battery,
        responsible_department=units["department"],
        description="高速叠片方形动力电池。",
        target_date=date(2021, 6, 30),
        longitude=Decimal("119.597100"),
        latitude=Decimal("31.723400"),
        address="金坛区华城路1号",
        level="provincial",
    )
    StageDate.objects.create(
        project=full, stage=Stage.STARTED, planned_date=date(2019, 3, 1), actual_date=date(2019, 4, 1)
    )
    StageDate.objects.create(project=full, stage=Stage.COMPLETED, planned_date=date(2020, 12, 31))
    make_plan(full, 2020, 12000)
    make_plan(full, 2019, 8000)
    make_report(full, 3, 3000, narrative="主体结构施工中")
    make_report(full, 4, 4500)
    make_report(full, 5, 5000, status="draft")  # not counted: no observation
    Milestone.objects.create(
        project=full, name="施工许可", planned_date=date(2019, 3, 1), actual_date=date(2019, 2, 20)
    )
    Milestone.objects.create(
        project=full, name="开工", planned_date=date(2019, 4, 1), actual_date=date(2019, 4, 1)
    )
    Milestone.objects.create(project=full, name="竣工", planned_date=date(2020, 3, 31))
    Milestone.objects.create(project=full, name="投产", planned_date=date(2030, 6, 30))
    bare = make_project(
        units["town"],
        "农村公路提档升级项目",
        category="government",
        stage="planning",
        total_investment=Decimal(0),
    )
    usd = make_project(units["park"], "外资研发中心", currency="USD", stage="completed")
    StageDate.objects.create(project=usd, stage=Stage.STARTED, actual_date=date(2018, 5, 1))
    StageDate.objects.create(project=usd, stage=Stage.COMPLETED, actual_date=date(2020, 9, 15))
    make_plan(usd, 2020, 600)
    placed = make_project(
        units["street"], "城南实验学校新建项目", category="livelihood", address="东城街道南环路"
    )
    return {"full": full, "bare": bare, "usd": usd, "placed": placed}


def _by_title(package):
    return {p["title"]: p for p in package["projects"]}


# ---------------------------------------------------------------- validity


def test_the_package_of_a_representative_ledger_is_valid_offline(client, office, ledger, no_network):
    package = client.get(URL, **bearer(office)).json()
    assert len(package["projects"]) == 4
    assert_valid(package)


def test_the_previous_export_had_schema_errors_the_validator_finds(no_network):
    """The validator really validates: the shapes the old export had (date-only dates, null and empty values,
    a status outside the closed codelist) are errors."""
    package = {
        "uri": "https://example.org/oc4ids.json",
        "publishedDate": "2020-12-20T00:00:00+08:00",
        "version": "0.9",
        "publisher": {"name": "ducha"},
        "projects": [
            {
                "id": "ducha-1",
                "title": "项目",
                "description": "",
                "status": "started",
                "period": {"startDate": "2020-01-01", "endDate": None},
            }
        ],
    }
    summary = review_summary(oc4ids_review(package))
    paths = {e["path"] for e in summary["errors"]}
    assert {"projects/description", "projects/period/startDate", "projects/period/endDate"} <= paths
    assert "projects/status" in summary["closed_codelist_values"]  # libcove reports codelists apart


# ---------------------------------------------------------------- content


def test_a_project_carries_its_identifiers_classifications_parties_and_place(client, office, ledger):
    package = client.get(URL, **bearer(office)).json()
    p = _by_title(package)["年产18GWh动力电池项目"]
    assert p["id"] == f"ducha-320413-{ledger['full'].pk}"
    assert p["identifiers"] == [{"scheme": "CN-TZXM", "id": "2019-320482-39-03-512345"}]
    assert p["status"] == "implementation" and p["type"] == "construction" and p["sector"] == ["economy"]
    assert {
        "scheme": "ducha-industry",
        "id": str(ledger["full"].industry_id),
        "description": "新能源汽车/动力电池",
    } in p["additionalClassifications"]
    roles = {party["name"]: party["roles"] for party in p["parties"]}
    assert roles == {
        "金坛区金科园": ["publicAuthority"],
        "区住建局": ["administrativeEntity"],
        "蜂巢能源": ["funder"],
    }
    assert p["publicAuthority"]["name"] == "金坛区金科园"
    (location,) = p["locations"]
    assert location["geometry"] == {"type": "Point", "coordinates": [119.5971, 31.7234]}  # [lon, lat]
    assert location["address"]["streetAddress"] == "金坛区华城路1号"
    assert p["period"] == {"startDate": "2019-04-01T00:00:00+08:00", "endDate": "2021-06-30T23:59:59+08:00"}
    assert p["description"] == "高速叠片方形动力电池。"


def test_budget_and_its_breakdown_come_from_the_total_and_the_annual_plans(client, office, ledger):
    p = _by_title(client.get(URL, **bearer(office)).json())["年产18GWh动力电池项目"]
    assert p["budget"]["amount"] == {"amount": 100000000, "currency": "CNY"}
    (breakdown,) = p["budget"]["budgetBreakdowns"]
    assert [(b["id"], b["amount"]["amount"]) for b in breakdown["budgetBreakdown"]] == [
        ("2019", 80000000),
        ("2020", 120000000),
    ]
    assert breakdown["budgetBreakdown"][1]["period"] == {
        "startDate": "2020-01-01T00:00:00+08:00",
        "endDate": "2020-12-31T23:59:59+08:00",
    }


def test_metrics_come_from_the_counted_monthly_reports_and_their_stored_figures(client, office, ledger):
    p = _by_title(client.get(URL, **bearer(office)).json())["年产18GWh动力电池项目"]
    metrics = {m["id"]: m["observations"] for m in p["metrics"]}
    financial = metrics["financialProgress"]
    assert [o["id"] for o in financial] == ["2020-03", "2020-04"]  # May's draft is not counted
    march = financial[0]
    assert march["value"] == {"amount": 30000000, "currency": "CNY"}
    assert march["measure"] == 25  # 3000 ÷ 12000 of the year's plan
    assert march["period"] == {
        "startDate": "2020-01-01T00:00:00+08:00",
        "endDate": "2020-03-31T23:59:59+08:00",
    }
    physical = {o["id"]: o for o in metrics["physicalProgress"]}
    assert physical["2020-03"]["measure"] == 50  # 施工许可 and 开工 of 4 nodes reached by 31 March
    assert "主体结构施工中" in physical["2020-03"]["notes"]
    forecasts = {m["id"]: m["observations"] for m in p["forecasts"]}
    assert [o["measure"] for o in forecasts["physicalProgress"]] == [25, 50, 75, 100]
    assert [o["value"]["amount"] for o in forecasts["financialProgress"]] == [80000000, 120000000]


def test_financial_progress_reads_the_stored_figures(client, office, ledger):
    """The ratio is the stored period figures' (the ledger's, the bulletin's), not computed again."""
    PeriodFigures.objects.filter(project=ledger["full"], year=2020, month=3).update(ratio=Decimal("0.3125"))
    p = _by_title(client.get(URL, **bearer(office)).json())["年产18GWh动力电池项目"]
    march = next(m for m in p["metrics"] if m["id"] == "financialProgress")["observations"][0]
    assert march["measure"] == 31.25


def test_milestones_come_from_the_nodes_with_codelist_types_codes_and_statuses(
    client, office, ledger, settings
):
    settings.DUCHA_TODAY = "2020-12-20"
    p = _by_title(client.get(URL, **bearer(office)).json())["年产18GWh动力电池项目"]
    nodes = {m["title"]: m for m in p["milestones"]}
    assert nodes["施工许可"]["type"] == "approval" and nodes["施工许可"]["status"] == "met"
    assert nodes["开工"]["code"] == "commencement" and nodes["开工"]["dateMet"] == "2019-04-01T23:59:59+08:00"
    assert nodes["竣工"]["status"] == "notMet"  # due 31 March 2020, not reached
    assert nodes["投产"]["status"] == "scheduled" and nodes["投产"]["code"] == "commissioning"


def test_empty_values_are_left_out_and_a_completed_project_has_its_completion(client, office, ledger):
    projects = _by_title(client.get(URL, **bearer(office)).json())
    bare = projects["农村公路提档升级项目"]
    assert "description" not in bare and "period" not in bare and "locations" not in bare
    assert bare["status"] == "identification" and bare["type"] == "rehabilitation"
    assert bare["sector"] == ["transport", "transport.road"]
    usd = projects["外资研发中心"]
    assert usd["completion"] == {"endDate": "2020-09-15T23:59:59+08:00"}
    assert usd["budget"]["amount"]["currency"] == "USD"
    placed = projects["城南实验学校新建项目"]
    assert placed["sector"] == ["education"]
    assert "geometry" not in placed["locations"][0]
    assert placed["locations"][0]["address"]["streetAddress"] == "东城街道南环路"


def test_the_package_is_in_chinese_whatever_the_requests_language(client, office, ledger):
    package = client.get(URL, HTTP_ACCEPT_LANGUAGE="en", **bearer(office)).json()
    p = _by_title(package)["年产18GWh动力电池项目"]
    assert p["language"] == "zh"
    assert {"scheme": "ducha-level", "id": "provincial", "description": "省级重大项目"} in p[
        "additionalClassifications"
    ]


def test_the_publisher_is_the_configured_office(client, office, ledger, settings):
    settings.DUCHA_OFFICE_NAME = "常州市重大项目办"
    assert client.get(URL, **bearer(office)).json()["publisher"] == {"name": "常州市重大项目办"}
    settings.DUCHA_OFFICE_NAME = ""
    settings.DUCHA_BULLETIN_ISSUER = "金坛区重点项目推进办公室"
    assert client.get(URL, **bearer(office)).json()["publisher"] == {"name": "金坛区重点项目推进办公室"}


def test_a_registered_prefix_names_the_projects(client, office, ledger, settings):
    settings.DUCHA_OC4IDS_PREFIX = "oc4ids-abc123"
    package = client.get(URL, **bearer(office)).json()
    assert {p["id"] for p in package["projects"]} == {
        f"oc4ids-abc123-{ledger[k].pk}" for k in ("full", "bare", "usd", "placed")
    }
    assert review_summary(oc4ids_review(package))["conformance_checks"] == []


# ---------------------------------------------------------------- scope and pages


def test_the_package_is_scoped_like_the_ledger(client, park_user, ledger):
    package = client.get(URL, **bearer(park_user)).json()
    assert {p["title"] for p in package["projects"]} == {"年产18GWh动力电池项目", "外资研发中心"}


def test_pages_follow_one_another_with_links(client, office, ledger):
    first = client.get(URL, {"limit": 3}, **bearer(office)).json()
    assert len(first["projects"]) == 3 and "prev" not in first["links"]
    assert first["links"]["next"] == "http://testserver/api/projects/oc4ids?limit=3&offset=3"
    second = client.get(first["links"]["next"], **bearer(office)).json()
    assert len(second["projects"]) == 1 and "next" not in second["links"]
    assert second["links"]["prev"] == "http://testserver/api/projects/oc4ids?limit=3&offset=0"
    seen = [p["id"] for p in first["projects"] + second["projects"]]
    assert len(set(seen)) == 4
    whole = client.get(URL, **bearer(office)).json()
    assert "links" not in whole and [p["id"] for p in whole["projects"]] == seen


def test_the_query_count_does_not_grow_with_projects_and_their_records(client, office, units):
    industry = Industry.objects.create(name="动力电池")
    headers = bearer(office)

    def add(start, n):
        with deferred():
            _add(start, n)

    def _add(start, n):
        for i in range(start, start + n):
            p = make_project(
                units["park"],
                f"项目{i}",
                industry=industry,
                company="企业",
                responsible_department=units["department"],
            )
            make_plan(p)
            make_report(p, 3, 100)
            make_report(p, 4, 200)
            StageDate.objects.create(project=p, stage="started", actual_date="2020-03-01")
            Milestone.objects.create(project=p, name="开工", planned_date=date(2020, 3, 1))

    def count():
        client.get(URL, **headers)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, **headers).status_code == 200
        return len(ctx.captured_queries)

    add(0, 2)
    few = count()
    add(2, 12)
    assert count() == few


# ---------------------------------------------------------------- the command


def test_the_command_exports_all_projects_or_a_regions(tmp_path, ledger, no_network):
    jintan = Region.objects.get(code="320413")
    elsewhere = Region.objects.create(code="320412", name="武进区", level="county", parent=jintan.parent)
    wujin = Unit.objects.create(name="武进高新区", kind="park", peer_group="parks", region=elsewhere)
    make_project(wujin, "武进项目")
    out = tmp_path / "all.json"
    call_command("oc4ids", "export", str(out), stdout=StringIO())
    package = json.loads(out.read_text(encoding="utf-8"))
    assert len(package["projects"]) == 5 and package["uri"] == out.as_uri()
    assert_valid(package)
    call_command("oc4ids", "export", str(out), "--region", "320412", stdout=StringIO())
    assert [p["title"] for p in json.loads(out.read_text(encoding="utf-8"))["projects"]] == ["武进项目"]
    stdout = StringIO()
    call_command("oc4ids", "validate", str(out), stdout=stdout)
    assert json.loads(stdout.getvalue())["error_count"] == 0


def test_the_command_writes_to_standard_output(ledger):
    stdout = StringIO()
    call_command("oc4ids", "export", "-", stdout=stdout)
    assert len(json.loads(stdout.getvalue())["projects"]) == 4


def test_the_command_refuses_an_unknown_region(tmp_path, db):
    with pytest.raises(CommandError, match="999999"):
        call_command("oc4ids", "export", str(tmp_path / "x.json"), "--region", "999999", stdout=StringIO())


def test_validate_fails_on_an_invalid_package(tmp_path, no_network):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"uri": "x", "version": "0.9", "projects": [{"id": "1", "title": ""}]}))
    with pytest.raises(CommandError, match="schema errors"):
        call_command("oc4ids", "validate", str(bad), stdout=StringIO())


# ---------------------------------------------------------------- the mappings


def test_every_stage_has_a_closed_codelist_status():
    codes = {"identification", "preparation", "implementation", "completion", "maintenance"}
    assert set(oc4ids.STATUS) == set(Stage) and set(oc4ids.STATUS.values()) <= codes
    assert oc4ids.STATUS[Stage.PRODUCTION] == "maintenance"  # in operation


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("年产18GWh动力电池项目", "construction"),
        ("城南实验学校新建项目", "construction"),
        ("蜂巢能源动力电池项目二期", "expansion"),
        ("中盐金坛盐化工改扩建项目", "expansion"),
        ("污水管网提标改造项目", "rehabilitation"),
        ("老旧小区改造", "rehabilitation"),
    ],
)
def test_the_type_comes_from_the_name_never_from_new_or_continuing(name, expected):
    assert oc4ids.project_type(name) == expected


@pytest.mark.parametrize(
    ("name", "category", "expected"),
    [
        ("年产18GWh动力电池项目", "industrial", ["economy"]),
        ("高效光伏组件生产基地", "industrial", ["economy"]),  # a factory, not a power station
        ("智能充电桩项目", "industrial", ["economy"]),
        ("分布式光伏发电项目", "industrial", ["energy", "energy.solar"]),
        ("区人民医院新院区", "livelihood", ["health"]),
        ("城市快速路改造", "government", ["transport", "transport.road"]),
        ("溧高线改造项目", "government", ["transport", "transport.road"]),
        ("污水管网提标改造", "government", ["waterAndWaste"]),
        ("长荡湖生态修复", "government", ["naturalResources"]),
        ("老旧小区改造", "livelihood", ["socialHousing"]),
        ("智慧城市展示中心", "government", []),  # no asset word: no guess
    ],
)
def test_the_sector_is_the_assets(name, category, expected):
    assert oc4ids.project_sectors(name, category) == expected


@pytest.mark.parametrize(
    ("name", "kind", "code"),
    [
        ("土地摘牌", "preProcurement", None),
        ("施工许可", "approval", None),
        ("开工", "delivery", "commencement"),
        ("主体结顶", "delivery", None),
        ("竣工", "delivery", "completion"),
        ("投产", "delivery", "commissioning"),
    ],
)
def test_nodes_map_to_milestone_types_and_codes(name, kind, code):
    assert (oc4ids.milestone_type(name), oc4ids.milestone_code(name)) == (kind, code)


def test_dates_are_date_times_starting_and_ending_the_day_in_the_installations_zone():
    clock = oc4ids.Clock(today=date(2020, 12, 20))
    assert clock.start(date(2020, 2, 1)) == "2020-02-01T00:00:00+08:00"
    assert clock.end(date(2020, 2, 29)) == "2020-02-29T23:59:59+08:00"
    assert clock.month(2020, 2, from_january=True) == {
        "startDate": "2020-01-01T00:00:00+08:00",
        "endDate": "2020-02-29T23:59:59+08:00",
    }
    assert clock.period(None, None) is None
    assert oc4ids.milestone_status(date(2020, 12, 19), None, clock.today) == "notMet"
    assert oc4ids.milestone_status(date(2020, 12, 20), None, clock.today) == "scheduled"
