"""Re-importing an export of the stored ledger: every row is found unchanged, with a fixed number of queries
(the stored projects, stage dates, plans and capacities are read per batch of rows, not per row)."""

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.lib import clock
from ducha.projects import spreadsheets
from ducha.projects.models import Capacity, Project, StageDate

from .factories import make_plan, make_project

YEAR = clock.today().year  # the export's plan column


def _ledger(units, n: int) -> list:
    projects = []
    for i in range(n):
        project = make_project(
            units["park"],
            f"项目{i}",
            total_investment=Decimal("12345.67") + i,
            annual_revenue=Decimal("800.5"),
            in_statistics=True,
            statistics_date=date(2020, 4, 1),
            responsible_leader="沈东",
        )
        make_plan(project, year=YEAR, amount=Decimal("1500.25") + i)
        make_plan(project, year=YEAR - 1, amount=900)  # a year the export does not show: never compared
        StageDate.objects.create(
            project=project, stage="signed", planned_date=date(2019, 5, 1), actual_date=date(2019, 6, 3)
        )
        StageDate.objects.create(project=project, stage="started", planned_date=date(2020, 3, 1))
        Capacity.objects.create(project=project, quantity=Decimal("18"), unit="GWh", product="动力电池")
        Capacity.objects.create(project=project, quantity=Decimal("200000"), unit="套", product="电池系统")
        projects.append(project)
    # The same name in another unit: another project, whose rows the lookup by name also meets.
    other = make_project(units["town"], "项目0", total_investment=Decimal(1))
    make_plan(other, year=YEAR, amount=1)
    StageDate.objects.create(project=other, stage="signed", actual_date=date(2018, 1, 1))
    return projects


def _fields(project: Project) -> dict:
    return {key: value for key, value in vars(project).items() if not key.startswith("_")}


def _read(client):
    content = client.get("/projects/export.xlsx").content
    with CaptureQueriesContext(connection) as queries:
        ledger = spreadsheets.ledger_read(BytesIO(content), today=date(2020, 12, 15))
    assert ledger.ok, [str(e) for e in ledger.errors]
    return ledger, len(queries)


def test_an_exported_ledger_read_back_is_unchanged_row_by_row(units, client_for, office):
    projects = _ledger(units, 4)
    ledger, _queries = _read(client_for(office))
    by_name = {(row.project.unit_id, row.project.name): row for row in ledger.rows}
    assert len(by_name) == 5
    assert {row.action for row in ledger.rows} == {"unchanged"}
    for project in projects:
        row = by_name[(project.unit_id, project.name)]
        stored = Project.objects.get(pk=project.pk)
        assert _fields(row.project) == _fields(stored)  # the stored project as the ORM loads it
        assert not row.project._state.adding
        assert row.stage_dates == {} and row.capacities is None


def test_a_changed_stored_plan_is_found(units, client_for, office):
    projects = _ledger(units, 2)
    client = client_for(office)
    content = client.get("/projects/export.xlsx").content
    projects[1].annual_plans.filter(year=YEAR).update(planned_investment=Decimal("1"))
    StageDate.objects.filter(project=projects[0], stage="signed").update(actual_date=date(2019, 6, 4))
    ledger = spreadsheets.ledger_read(BytesIO(content), today=date(2020, 12, 15))
    assert ledger.ok, [str(e) for e in ledger.errors]
    actions = {row.project.pk: (row.action, len(row.changes)) for row in ledger.rows}
    assert actions[projects[1].pk] == ("update", 1)
    assert actions[projects[0].pk] == ("update", 1)


def test_the_queries_do_not_grow_with_the_rows(units, client_for, office):
    _ledger(units, 2)
    client = client_for(office)
    _ledger_few, few = _read(client)
    for i in range(2, 30):
        make_project(units["park"], f"项目{i}")
    ledger, many = _read(client)
    assert len(ledger.rows) == 31
    assert few == many
