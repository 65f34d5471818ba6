"""The ledger export at province scale: rows read as tuples, the same cells as the model instances give,
and a query count that does not grow with the number of projects (issue 13 §3)."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from ducha.lib import schedule
from ducha.lib.periods import Period
from ducha.lib.xlsx import safe_row
from ducha.projects import selectors
from ducha.projects.models import Industry, Project, StageDate
from ducha.projects.rollups import figures_refresh
from ducha.projects.spreadsheets import ledger_xlsx
from ducha.projects.spreadsheets.columns import EXPORTED_STAGE_DATES

from .factories import make_plan, make_project, make_report

MARCH = Period(2020, 3)


def _bulk(unit, n, *, start=0) -> None:
    """n projects in two queries, each with a 签约 and a 开工 date."""
    projects = Project.objects.bulk_create(
        Project(unit=unit, name=f"批量项目{i}", total_investment=Decimal(1000 + i), stage="started")
        for i in range(start, start + n)
    )
    StageDate.objects.bulk_create(
        StageDate(project=p, stage=stage, planned_date=date(2020, 1, 1), actual_date=date(2020, 2, 1))
        for p in projects
        for stage in ("signed", "started")
    )
    figures_refresh(projects=projects)  # bulk writes send no signals: store their figures as an import does


def _export_queries(client) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("projects:export"), {"year": 2020, "month": 3})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content


def _rows(content: bytes) -> list[list]:
    """The data rows, with dates as dates (openpyxl reads them back as midnight datetimes)."""
    rows = load_workbook(BytesIO(content)).active.iter_rows(min_row=2, values_only=True)
    return [[v.date() if isinstance(v, datetime) else v for v in row] for row in rows]


def test_export_queries_do_not_grow_past_thousands_of_projects(client_for, office, units):
    """Beyond any chunk of the rows' cursor or of a prefetch: 3 projects and 2,503 take the same queries."""
    client = client_for(office)
    client.get(reverse("projects:export"))  # warm up the session
    _bulk(units["park"], 3)
    few, content = _export_queries(client)
    assert len(_rows(content)) == 3
    _bulk(units["town"], 2500, start=3)
    many, content = _export_queries(client)
    rows = _rows(content)
    assert len(rows) == 2503
    assert all(row[-10:-6] == [date(2020, 1, 1), date(2020, 2, 1)] * 2 for row in rows)  # 签约, 开工 dates
    assert many == few, f"{few} queries for 3 projects, {many} for 2,503"


def _from_instance(p: Any, period: Period) -> list:  # a Project annotated by with_period_figures
    """A row as the export wrote it from model instances (before issue 13): the reference for the tuples."""
    dates = {sd.stage: (sd.planned_date, sd.actual_date) for sd in p.stage_dates.all()}
    ratio = schedule.completion_ratio(p.completed_ytd, p.plan_year)
    return safe_row(
        [
            p.name,
            p.company,
            p.unit.name,
            p.industry.name if p.industry else "",
            p.get_chain_position_display(),
            p.get_level_display(),
            p.get_category_display(),
            p.get_construction_type_display(),
            p.get_stage_display(),
            float(p.total_investment),
            p.currency,
            float(p.plan_year) if p.plan_year is not None else None,
            float(p.completed_ytd) if p.completed_ytd is not None else None,
            round(float(ratio) * 100, 1) if ratio is not None else None,
            round(float(period.schedule_ratio) * 100, 1),
            p.get_light_display(),
            p.responsible_leader,
            p.responsible_department.name if p.responsible_department else "",
            p.national_code,
            "是" if p.in_statistics else "否",
            p.statistics_date,
            p.address,
            float(p.longitude) if p.longitude is not None else None,
            float(p.latitude) if p.latitude is not None else None,
            *(dates.get(c.stage, (None, None))[c.key.endswith("_actual")] for c in EXPORTED_STAGE_DATES),
        ]
    )


def test_export_writes_the_same_cells_as_the_model_instances(office, units):
    industry = Industry.objects.create(name="动力电池")
    full = make_project(
        units["park"],
        "=全字段项目",  # typed text that looks like a formula stays text
        company="-某某公司",
        industry=industry,
        responsible_department=units["department"],
        chain_position="upstream",
        level="province",
        category="industrial",
        construction_type="continuing",
        stage="production",
        total_investment=Decimal("123456.78"),
        currency="USD",
        responsible_leader="张三",
        national_code="2019-320482-36-03-012345",
        in_statistics=True,
        statistics_date=date(2019, 6, 1),
        light="red",
        address="金坛区金科园",
        longitude=Decimal("119.571234"),
        latitude=Decimal("31.740001"),
    )
    make_plan(full, amount=1200)
    make_report(full, 2, 300)
    StageDate.objects.create(project=full, stage="signed", planned_date=date(2019, 1, 1))
    StageDate.objects.create(project=full, stage="production", actual_date=date(2020, 2, 1))
    make_project(units["town"], "空白项目", chain_position="", light="yellow")  # no industry, plan, dates
    with translation.override("zh-hans"):
        queryset = selectors.ledger(office, {}, MARCH)
        expected = [_from_instance(p, MARCH) for p in queryset.prefetch_related("stage_dates")]
        content = ledger_xlsx(queryset, MARCH)
    rows = _rows(content)
    assert rows == [[None if v == "" else v for v in row] for row in expected]  # a workbook keeps no ""
    assert rows[0][:2] == ["'=全字段项目", "'-某某公司"] and rows[0][3] == "动力电池"
    assert rows[0][4:9] != ["upstream", "province", "industrial", "continuing", "production"]  # labels
