"""Issue 12 §6: 达产 has planned and actual dates like the other stages (form, import, export), and a node
reached after its plan shows its days late (or early) on the project page and counts in the light."""

from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from ducha.lib import schedule
from ducha.lib.periods import Period
from ducha.projects import spreadsheets
from ducha.projects.models import Milestone, Project, StageDate
from ducha.projects.rules import node_slip_reasons, slip_days, stage_date_problems
from ducha.projects.services import project_lights_for_period, projects_refresh_lights

from .factories import make_project
from .test_import import HEADER, row, workbook
from .test_views import _form_data

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("dates", "fields"),
    [
        ({"production": (date(2021, 6, 1), None), "full_production": (date(2021, 12, 1), None)}, []),
        ({"production": (date(2021, 6, 1), None), "full_production": (date(2021, 5, 1), None)}, ["full_production_planned"]),
        ({"production": (None, date(2021, 6, 1)), "full_production": (None, date(2021, 5, 31))}, ["full_production_actual"]),
        ({"started": (date(2020, 3, 1), None), "full_production": (date(2020, 2, 1), None)}, ["full_production_planned"]),
        ({"full_production": (None, date(2027, 1, 1))}, ["full_production_actual"]),
    ],
)  # fmt: skip
def test_full_production_dates_follow_the_stage_date_rule(dates, fields):
    assert [p.field for p in stage_date_problems(dates, today=TODAY)] == fields


@pytest.mark.parametrize(
    ("planned", "actual", "days"),
    [
        (date(2020, 3, 1), date(2020, 4, 10), 40),
        (date(2020, 3, 1), date(2020, 2, 25), -5),
        (date(2020, 3, 1), date(2020, 3, 1), 0),
        (date(2020, 3, 1), None, None),
        (None, date(2020, 3, 1), None),
    ],
)
def test_slip_is_days_after_the_plan(planned, actual, days):
    assert slip_days(planned, actual) == days


def _node(planned, actual, name="主体结顶"):
    return schedule.MilestoneFacts(name, planned, actual)


@pytest.mark.parametrize(
    ("node", "as_of", "expected"),
    [
        (_node(date(2020, 3, 1), date(2020, 4, 10)), date(2020, 6, 30), [("milestone_late", "yellow", 40)]),
        (_node(date(2020, 3, 1), date(2020, 2, 25)), date(2020, 6, 30), []),  # early
        (_node(date(2020, 3, 1), date(2020, 3, 1)), date(2020, 6, 30), []),  # on time
        (_node(date(2019, 3, 1), date(2019, 4, 10)), date(2020, 6, 30), []),  # late, but last year
        (_node(date(2020, 3, 1), date(2020, 8, 1)), date(2020, 6, 30), [("milestone_overdue", "red", None)]),
        (_node(date(2020, 8, 1), date(2020, 9, 1)), date(2020, 6, 30), []),  # not yet due then
        (_node(date(2020, 3, 1), None), date(2020, 6, 30), []),  # the schedule's own overdue rule
    ],
)
def test_reached_nodes_count_in_the_light(node, as_of, expected):
    reasons = node_slip_reasons([node], as_of=as_of)
    assert [(r.rule, str(r.colour), r.params.get("days")) for r in reasons] == expected


def test_a_node_reached_40_days_late_is_not_plain_green(units):
    project = make_project(units["park"])
    Milestone.objects.create(
        project=project, name="主体结顶", planned_date=date(2020, 3, 1), actual_date=date(2020, 4, 10)
    )
    light = project_lights_for_period(projects=[project], period=Period(2020, 6))[project.pk]
    assert light.colour != schedule.Colour.GREEN
    assert [(r.rule, r.params["days"]) for r in light.reasons] == [("milestone_late", 40)]
    # a bulletin of March shows the node as still overdue then
    march = project_lights_for_period(projects=[project], period=Period(2020, 3))[project.pk]
    assert march.colour == schedule.Colour.RED
    assert [r.rule for r in march.reasons] == ["milestone_overdue"]


def test_the_project_page_shows_days_late_and_early(client_for, office, units, settings):
    settings.DUCHA_TODAY = "2020-07-15"
    project = make_project(units["park"])
    Milestone.objects.create(
        project=project,
        name="主体结顶",
        planned_date=date(2020, 3, 1),
        actual_date=date(2020, 4, 10),
        order=1,
    )
    Milestone.objects.create(
        project=project,
        name="施工许可",
        planned_date=date(2020, 2, 1),
        actual_date=date(2020, 1, 27),
        order=0,
    )
    StageDate.objects.create(
        project=project, stage="full_production", planned_date=date(2020, 5, 1), actual_date=date(2020, 6, 1)
    )
    projects_refresh_lights(projects=[project], period=Period(2020, 6))
    page = client_for(office).get(f"/projects/{project.pk}/").content.decode()
    assert "逾期40天达成" in page and "提前5天" in page and "逾期31天达成" in page
    assert "达产" in page
    project.refresh_from_db()
    assert project.light == "yellow"


def test_the_project_form_keeps_full_production_dates(client_for, office, units):
    data = _form_data(
        units["park"],
        production_planned="2021-06-01",
        full_production_planned="2021-12-01",
    )
    assert client_for(office).post("/projects/new/", data).status_code == 302
    project = Project.objects.get(name="新项目")
    assert project.stage_dates.get(stage="full_production").planned_date == date(2021, 12, 1)
    data = _form_data(
        units["park"], name="另一个", production_planned="2021-06-01", full_production_planned="2021-05-01"
    )
    response = client_for(office).post("/projects/new/", data)
    assert response.status_code == 200
    assert "full_production_planned" in response.context["form"].errors


def test_the_ledger_import_and_export_carry_full_production_dates(units, client_for, office):
    from ducha.projects.models import Industry

    Industry.objects.create(name="新能源汽车")
    header = [*HEADER, "计划投产", "计划达产", "实际达产"]
    ledger = spreadsheets.ledger_read(
        workbook(
            row(计划投产="2021-06-01", 计划达产="2022-06-30", 实际达产=""),
            header=header,
        )
    )
    assert ledger.ok, ledger.errors
    spreadsheets.ledger_store(ledger=ledger)
    project = Project.objects.get(name="蜂巢能源动力电池项目")
    assert project.stage_dates.get(stage="full_production").planned_date == date(2022, 6, 30)
    response = client_for(office).get("/projects/export.xlsx?year=2020&month=6")
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    header_row = [c.value for c in sheet[1]]
    values = dict(zip(header_row, [c.value for c in sheet[2]], strict=False))
    planned_full = next(h for h in header_row if h and "达产" in h and "计划" in h)
    assert values[planned_full].date() == date(2022, 6, 30)
