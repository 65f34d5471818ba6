"""The stored period figures agree with the figures recomputed from the records, after every kind of write."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count

from ducha.lib.periods import Period
from ducha.projects import rollups, services, spreadsheets
from ducha.projects.models import (
    AnnualPlan,
    Industry,
    MilestoneTemplate,
    PeriodFigures,
    ProgressReport,
    Project,
    UnitPeriodFigures,
)
from ducha.projects.rules import STARTS_PLANNED, STARTS_STARTED, stage_as_of
from ducha.projects.selectors import ledger, start_dates_by

from .factories import make_plan, make_project, make_report
from .test_import import row, workbook

pytestmark = pytest.mark.django_db


def _recomputed(period: Period) -> dict[int, tuple]:
    """Each project's figures as of `period`, straight from the records (no stored figures read)."""
    projects = list(Project.objects.all())
    lights = rollups.project_lights_for_period(projects=projects, period=period)
    plans = {
        p: amount
        for p, amount in AnnualPlan.objects.filter(year=period.year).values_list(
            "project_id", "planned_investment"
        )
    }
    latest: dict[int, tuple[int, Decimal]] = {}
    reports = ProgressReport.objects.filter(year=period.year, month__lte=period.month).exclude(status="draft")
    for p, month, ytd in reports.values_list("project_id", "month", "investment_ytd"):
        if p not in latest or month > latest[p][0]:
            latest[p] = (month, ytd)
    result = {}
    for project in projects:
        actual = {sd.stage: sd.actual_date for sd in project.stage_dates.all()}
        completed = latest[project.pk][1] if project.pk in latest else None
        result[project.pk] = (
            project.unit_id,
            project.stage,
            stage_as_of(project.stage, actual, period.end),
            plans.get(project.pk),
            completed,
            str(lights[project.pk].colour),
            [r.as_dict() for r in lights[project.pk].reasons],
        )
    return result


def assert_figures_agree() -> None:
    """Every stored month of every project, every unit's sums and the projects' current lights."""
    years = rollups.stored_years()
    assert list(years), "nothing stored"
    for year in years:
        for month in range(1, 13):
            period = Period(year, month)
            stored = {
                f.project_id: (
                    f.unit_id,
                    f.stage,
                    f.stage_at_end,
                    f.plan,
                    f.completed,
                    f.light,
                    f.light_reasons,
                )
                for f in PeriodFigures.objects.filter(year=year, month=month)
            }
            assert stored == _recomputed(period), period
            sums: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
            projects = {p.pk: p for p in Project.objects.all()}
            for f in PeriodFigures.objects.filter(year=year, month=month):
                project = projects[f.project_id]
                keys = [
                    ("all", ""),
                    ("light", f.light),
                    ("stage", f.stage),
                    ("stage_end", f.stage_at_end),
                    ("industry", str(f.industry_id or "")),
                ]
                if f.industry_id and project.chain_position:  # the chain map's segments
                    chain = rollups.chain_key(f.industry_id, project.chain_position, project.chain_segment)
                    keys.append(("chain", chain))
                for key in keys:
                    s = sums[(f.unit_id, *key, f.currency)]
                    s[0] += 1
                    s[1] += f.plan or 0
                    s[2] += f.completed or 0
            unit_rows = {
                (u.unit_id, u.dimension, u.key, u.currency): [u.projects, u.plan, u.completed]
                for u in UnitPeriodFigures.objects.filter(year=year, month=month).exclude(dimension="starts")
            }
            assert unit_rows == dict(sums), period
            # 开工率's counts per unit, against the stage dates counted by the query's rule
            dates, started = start_dates_by(year, period.end)
            counted = {}
            for r in dates.values("project__unit_id").annotate(
                planned=Count("pk"), started=Count("pk", filter=started)
            ):
                counted[r["project__unit_id"], STARTS_PLANNED] = r["planned"]
                if r["started"]:
                    counted[r["project__unit_id"], STARTS_STARTED] = r["started"]
            stored_starts = dict(
                ((u, key), n)
                for u, key, n in UnitPeriodFigures.objects.filter(
                    year=year, month=month, dimension="starts"
                ).values_list("unit_id", "key", "projects")
            )
            assert stored_starts == counted, period
    current = Period.current()
    stored_lights = dict(
        PeriodFigures.objects.filter(year=current.year, month=current.month).values_list(
            "project_id", "light"
        )
    )
    assert dict(Project.objects.values_list("pk", "light")) == stored_lights


@pytest.fixture
def today(settings):
    settings.DUCHA_TODAY = "2020-12-20"  # the reporting month is November 2020


def test_every_kind_of_write_keeps_the_stored_figures_equal_to_the_recomputed_ones(units, office, today):
    park, town = units["park"], units["town"]
    battery = Industry.objects.create(name="锂电池")
    # Written without the services (a factory, the admin): the signals keep the figures.
    first = make_project(
        park,
        name="甲项目",
        stage="started",
        industry=battery,
        chain_position="upstream",
        chain_segment="正极材料",
    )
    make_plan(first, amount=1200)
    make_report(first, 3, 300)
    assert_figures_agree()

    # The project form's service with dates, plans and capacities.
    second = services.project_save(
        project=Project(unit=town, name="乙项目", total_investment=Decimal(5000), stage="signed"),
        stage_dates={"started": (date(2020, 4, 1), None)},
        plans={2020: Decimal(2400), 2021: Decimal(100)},
        capacities=[(Decimal(5), "万吨", "正极材料")],
    )
    assert_figures_agree()
    assert 2021 in rollups.stored_years()  # a plan for next year stores that year for every project

    # Monthly reports: filed, returned, corrected (refiled), reviewed; a batch.
    report = services.progress_report_submit(
        project=second, user=office, year=2020, month=5, investment_month=Decimal(200),
        investment_ytd=Decimal(200), stage="started",
    )  # fmt: skip
    services.progress_report_review(report=report, user=office, approve=False, comment="数字有误")
    services.progress_report_submit(
        project=second, user=office, year=2020, month=5, investment_month=Decimal(250),
        investment_ytd=Decimal(250), stage="started",
    )  # fmt: skip
    services.progress_report_review(
        report=ProgressReport.objects.get(project=second, month=5), user=office, approve=True
    )
    services.progress_reports_submit_batch(
        user=office,
        year=2020,
        month=9,
        rows=[
            {"project": first, "investment_ytd": Decimal(900), "stage": "started"},
            {"project": second, "investment_month": Decimal(100), "stage": "started"},
        ],
    )
    assert_figures_agree()

    # Nodes: laid out backwards from a target, one reached late; a stage date moved; unit changed.
    template = MilestoneTemplate.objects.create(name="模板")
    template.steps.create(name="开工", days_before_target=200, order=1)
    template.steps.create(name="竣工", days_before_target=30, order=2)
    nodes = services.milestones_lay_out(project=first, template=template, target=date(2020, 12, 31))
    services.milestone_reach(milestone=nodes[0], reached=date(2020, 7, 1))
    assert_figures_agree()
    # Started before its plan's year, and one planned for next year (开工率's counts of both years).
    services.project_save(project=first, stage_dates={"started": (date(2020, 2, 10), date(2019, 12, 28))})
    services.project_save(
        project=Project(unit=town, name="丙项目", total_investment=Decimal(800), stage="signed"),
        stage_dates={"started": (date(2021, 3, 1), None)},
    )
    assert_figures_agree()
    second.unit = park
    services.project_save(project=second, stage_dates={"started": (date(2020, 4, 1), date(2020, 6, 2))})
    assert_figures_agree()
    # Placed on a chain, then moved to another segment of it (the chain map's sums follow).
    second.industry, second.chain_position, second.chain_segment = battery, "upstream", "正极材料"
    services.project_save(project=second)
    assert_figures_agree()
    second.chain_segment = "电解液"
    services.project_save(project=second)
    assert_figures_agree()

    # An import of a ledger (a created and an updated row), then a deletion.
    Industry.objects.create(name="新能源汽车")
    checked = spreadsheets.ledger_read(
        workbook(row(), row(项目名称="乙项目", 阶段="开工", **{"2020年计划投资（万元）": 3000}))
    )
    assert checked.ok and (checked.created, checked.updated) == (1, 1), checked.errors
    spreadsheets.ledger_store(ledger=checked)
    assert_figures_agree()
    services.project_delete(project=first)
    assert_figures_agree()


def test_rebuild_restores_figures_deleted_or_damaged_by_hand(units, today):
    project = make_project(units["park"])
    make_plan(project, amount=1200)
    make_report(project, 6, 700)
    PeriodFigures.objects.filter(month=6).update(completed=1, light="red")
    UnitPeriodFigures.objects.all().delete()
    call_command("rollups", "rebuild")
    assert_figures_agree()


def test_the_ledger_lists_every_project_for_a_stored_month_and_sorts_by_completion(units, office, today):
    behind = make_project(units["park"], name="落后项目")
    make_plan(behind, amount=1000)
    make_report(behind, 10, 100)
    ahead = make_project(units["park"], name="领先项目")
    make_plan(ahead, amount=1000)
    make_report(ahead, 10, 900)
    unplanned = make_project(units["town"], name="无计划项目")
    rows = list(ledger(office, {"sort": "ratio"}, Period(2020, 10)))
    assert [p.name for p in rows] == ["落后项目", "领先项目", "无计划项目"]
    assert rows[0].completion_ratio == Decimal("0.1") and unplanned.pk == rows[2].pk
