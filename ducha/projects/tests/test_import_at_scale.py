"""The ledger import at scale (issue 13 §4): the row limit checked while reading, progress while checking and
storing, new projects stored in bulk exactly as project_save stores them one by one."""

import threading
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.test import override_settings

from ducha.core.audit import acting_as
from ducha.projects import spreadsheets
from ducha.projects.models import Industry, Project, StageDate
from ducha.projects.spreadsheets import reading, storing

from .test_import import workbook as ledger_workbook

HEADER = [
    "项目名称",
    "板块",
    "所属行业",
    "阶段",
    "总投资（万元）",
    "责任部门",
    "2020年计划投资（万元）",
    "计划开工",
    "实际开工",
    "计划竣工",
    "设计产能",
]
TODAY = date(2020, 12, 15)


def row(name: str, **over) -> dict:
    values = {
        "项目名称": name,
        "板块": "金科园",
        "所属行业": "新能源汽车",
        "阶段": "开工",
        "总投资（万元）": "8亿元",
        "责任部门": "住建局",
        "2020年计划投资（万元）": 15000,
        "计划开工": "2020-03-01",
        "实际开工": date(2020, 3, 18),
        "计划竣工": "2021年12月31日",
        "设计产能": "18GWh动力电池；20万套电池系统",
    }
    values.update(over)
    return values


def workbook(rows: list[dict]) -> BytesIO:
    return ledger_workbook(*rows, header=HEADER)


@pytest.fixture
def industry(db):
    return Industry.objects.create(name="新能源汽车")


# ---------------------------------------------------------------- the row limit


@override_settings(DUCHA_IMPORT_MAX_ROWS=3)
def test_a_file_with_one_row_over_the_limit_is_refused_naming_the_limit(units, industry):
    ledger = spreadsheets.ledger_read(workbook([row(f"项目{i}") for i in range(4)]), today=TODAY)
    assert [str(e) for e in ledger.errors] == ["文件超过3行。"]
    assert ledger.rows == []


@override_settings(DUCHA_IMPORT_MAX_ROWS=3)
def test_a_file_with_as_many_rows_as_the_limit_is_read(units, industry):
    ledger = spreadsheets.ledger_read(workbook([row(f"项目{i}") for i in range(3)]), today=TODAY)
    assert ledger.ok, [str(e) for e in ledger.errors]
    assert ledger.created == 3


@override_settings(DUCHA_IMPORT_MAX_ROWS=20)
def test_reading_stops_at_the_first_row_over_the_limit(units, industry):
    header = tuple(HEADER)
    data = [tuple(row(f"项目{i}").get(h, "") for h in HEADER) for i in range(1000)]
    taken = 0

    def rows():
        nonlocal taken
        for values in [header, *data]:
            taken += 1
            yield values

    ledger = reading._read_sheet(rows(), TODAY)
    assert [str(e) for e in ledger.errors] == ["文件超过20行。"]
    assert taken == 1 + 20 + 1  # the header, the rows allowed and the first one over


@override_settings(DUCHA_IMPORT_MAX_ROWS=2)
def test_the_command_refuses_a_file_over_the_limit(units, industry, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(workbook([row(f"项目{i}") for i in range(3)]).getvalue())
    err = StringIO()
    with pytest.raises(Exception, match="1 problem"):
        call_command("import_projects", str(path), "--dry-run", stderr=err)
    assert "文件超过2行。" in err.getvalue()


def test_names_of_many_rows_are_looked_up_in_batches(units, industry, monkeypatch):
    monkeypatch.setattr(reading, "BATCH_ROWS", {"sqlite": 4, "postgresql": 4})
    for i in range(10):
        Project.objects.create(name=f"项目{i}", unit=units["park"], total_investment=Decimal(80000))
    ledger = spreadsheets.ledger_read(workbook([row(f"项目{i}") for i in range(10)]), today=TODAY)
    assert ledger.ok, [str(e) for e in ledger.errors]
    assert (ledger.created, ledger.updated) == (0, 10)


# ---------------------------------------------------------------- progress


def test_checking_reports_progress_up_to_the_total(units, industry, monkeypatch):
    monkeypatch.setattr(reading, "BATCH_ROWS", {"sqlite": 3, "postgresql": 3})
    calls = []
    ledger = spreadsheets.ledger_read(
        workbook([row(f"项目{i}") for i in range(10)]),
        today=TODAY,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert ledger.ok
    assert calls == [(3, 10), (6, 10), (9, 10), (10, 10)]


def test_storing_reports_progress_after_each_chunk_up_to_the_total(units, industry, monkeypatch):
    monkeypatch.setattr(storing, "CHUNK_ROWS", 4)
    ledger = spreadsheets.ledger_read(workbook([row(f"项目{i}") for i in range(10)]), today=TODAY)
    calls = []
    stored = spreadsheets.ledger_store(ledger=ledger, progress=lambda d, t: calls.append((d, t)))
    assert len(stored) == 10
    assert calls == [(4, 10), (8, 10), (10, 10)]


@pytest.mark.django_db(transaction=True)
def test_storing_in_sqlite_turns_reports_progress_after_each_turn(units, monkeypatch):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("turns are SQLite's")
    Industry.objects.create(name="新能源汽车")
    monkeypatch.setattr(storing, "PAUSE_SECONDS", 0)
    ledger = spreadsheets.ledger_read(workbook([row(f"项目{i}") for i in range(30)]), today=TODAY)
    calls = []
    spreadsheets.ledger_store(ledger=ledger, progress=lambda d, t: calls.append((d, t)))
    done = [d for d, _t in calls]
    assert calls[0] == (1, 30) and calls[-1] == (30, 30)  # the first turn is one row
    assert done == sorted(set(done)) and {t for _d, t in calls} == {30}
    assert Project.objects.count() == 30


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_next_batch_is_read_aside_with_the_same_outcome(units, monkeypatch):
    """Outside a transaction (the command, the job) on PostgreSQL the stored rows of the next batch are read in a
    thread aside while a batch is compared; the ledger reads exactly as it does batch after batch inside one,
    progress included, and the thread's connection is closed. SQLite reads in turn either way."""
    from django.db import connection, transaction

    aside_expected = 0 if connection.vendor == "sqlite" else 4  # rows 2–4, 5–7, 8–10 and 11

    Industry.objects.create(name="新能源汽车")
    monkeypatch.setattr(reading, "BATCH_ROWS", {"sqlite": 3, "postgresql": 3})
    stored = spreadsheets.ledger_read(workbook([row(f"项目{i}") for i in range(8)]), today=TODAY)
    spreadsheets.ledger_store(ledger=stored)
    rows = [row(f"项目{i}") for i in range(10)]  # two new
    rows[4]["总投资（万元）"] = "9亿元"
    rows[7]["实际开工"] = date(2020, 3, 19)
    read_aside, closed, threads = [], [], []
    monkeypatch.setattr(reading._Rows, "_read_aside", _counted(reading._Rows._read_aside, read_aside))
    monkeypatch.setattr(reading, "_close_connection", _counted(reading._close_connection, closed))
    batch = reading._StoredRows.batch
    monkeypatch.setattr(
        reading._StoredRows,
        "batch",
        lambda *args: threads.append(threading.current_thread().name) or batch(*args),
    )

    def outcome(ledger) -> list[tuple]:
        return [
            (r.row, r.action, r.changes, r.plans, r.stage_dates, r.project.total_investment)
            for r in ledger.rows
        ]

    calls_aside: list[tuple[int, int]] = []
    aside = spreadsheets.ledger_read(workbook(rows), today=TODAY, progress=lambda *c: calls_aside.append(c))
    assert (len(read_aside), len(closed)) == (aside_expected, min(aside_expected, 1))
    assert len(threads) == 4
    assert sum(name.startswith("ledger-read-ahead") for name in threads) == aside_expected
    with transaction.atomic():
        calls: list[tuple[int, int]] = []
        in_order = spreadsheets.ledger_read(workbook(rows), today=TODAY, progress=lambda *c: calls.append(c))
    assert (
        len(read_aside) == aside_expected and threads[4:] == [threading.current_thread().name] * 4
    )  # in turn
    assert aside.ok and in_order.ok
    assert outcome(aside) == outcome(in_order)
    assert [r.action for r in aside.rows].count("unchanged") == 6
    assert calls_aside == calls == [(3, 10), (6, 10), (9, 10), (10, 10)]


def _counted(function, calls: list):
    def counted(*args, **kwargs):
        calls.append(args)
        return function(*args, **kwargs)

    return counted


def test_the_command_prints_progress_on_stderr(units, industry, office, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(workbook([row(f"项目{i}") for i in range(3)]).getvalue())
    out, err = StringIO(), StringIO()
    call_command("import_projects", str(path), "--user", "office", stdout=out, stderr=err)
    assert "Checked 3/3 rows (100%)" in err.getvalue()
    assert "Stored 3/3 rows (100%)" in err.getvalue()
    assert "Stored 3 projects." in out.getvalue()


# ---------------------------------------------------------------- bulk creation


def _stored(prefix: str) -> dict[str, dict]:
    """The projects named `prefix`…, as stored, by name without the prefix: their fields (but ids and times),
    stage dates, plans and capacities."""
    skip = {"id", "name", "created_at", "updated_at"}
    found = {}
    for project in Project.objects.filter(name__startswith=prefix):
        fields = {
            f.attname: getattr(project, f.attname)
            for f in Project._meta.concrete_fields
            if f.attname not in skip
        }
        found[project.name.removeprefix(prefix)] = {
            **fields,
            "stage_dates": sorted(project.stage_dates.values_list("stage", "planned_date", "actual_date")),
            "plans": sorted(project.annual_plans.values_list("year", "planned_investment", "planned_start")),
            "capacities": sorted(project.capacities.values_list("quantity", "unit", "product", "phase")),
        }
    return found


def _entries(after: int, prefix: str) -> list[tuple]:
    """The audit trail's entries since entry `after`: action, what, by whom, which values (ids left out)."""
    entries = []
    for entry in LogEntry.objects.filter(pk__gt=after).select_related("actor", "content_type"):
        changes = {
            k: [str(v).removeprefix(prefix) for v in values]
            for k, values in (entry.changes_dict or {}).items()
            if k not in {"id", "project"}
        }
        actor = entry.actor.username if entry.actor else None
        what = (entry.content_type.model, entry.object_repr.removeprefix(prefix))
        entries.append((entry.action, *what, actor, sorted(changes.items())))
    return sorted(entries, key=repr)


def _import(office, monkeypatch, prefix: str, *, bulk: bool) -> tuple[dict, list[tuple], list]:
    monkeypatch.setattr(storing, "BULK_MIN_ROWS", 1 if bulk else 10**9)
    rows = [row(f"{prefix}项目{i:02d}", 阶段="开工") for i in range(25)]
    rows[0] = row(f"{prefix}项目00", 阶段="签约")  # stage synced to 开工 (its actual start) when stored
    rows[1] = row(
        f"{prefix}项目01", 设计产能="", 所属行业="", 责任部门="", **{"2020年计划投资（万元）": None}
    )
    rows[2] = row(f"{prefix}项目02", 板块="金城镇", 实际开工=None, 计划竣工=None)
    ledger = spreadsheets.ledger_read(workbook(rows), today=TODAY)
    assert ledger.ok, [str(e) for e in ledger.errors]
    mark = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with acting_as(office):
        stored = spreadsheets.ledger_store(ledger=ledger)
    return _stored(prefix), _entries(mark, prefix), stored


def test_new_projects_stored_in_bulk_are_those_saved_one_by_one(units, industry, office, monkeypatch):
    one_by_one, one_by_one_entries, saved = _import(office, monkeypatch, "甲", bulk=False)
    bulk, bulk_entries, created = _import(office, monkeypatch, "乙", bulk=True)

    assert len(bulk) == 25 and bulk == one_by_one
    assert bulk["项目00"]["stage"] == "started" and len(bulk["项目00"]["stage_dates"]) == 2
    assert bulk["项目01"]["capacities"] == [] and bulk["项目01"]["plans"] == []
    assert len(created) == len(saved) == 25 and all(p.pk for p in created)
    # Every project, stage date, plan and capacity has its create entry naming who imported it: the same entries.
    # Saved one by one, 项目00 is created 签约 and then changed to 开工 (project_sync_stage); in bulk it is
    # created 开工 at once.
    assert {actor for *_e, actor, _c in bulk_entries} == {"office"}
    create = LogEntry.Action.CREATE
    assert len([e for e in bulk_entries if e[0] == create]) == 25 + 24 * 2 + 1 + 24 + 24 * 2
    stage_change = (LogEntry.Action.UPDATE, "project", "项目00", "office", [("stage", ["signed", "started"])])
    assert stage_change in one_by_one_entries
    assert [e for e in one_by_one_entries if e != stage_change] == [
        (*e[:4], [(k, ["None", "signed"]) if (e[2], k) == ("项目00", "stage") else (k, v) for k, v in e[4]])
        for e in bulk_entries
    ]


def test_a_bulk_chunk_that_fails_stores_none_of_its_rows(units, industry, monkeypatch):
    monkeypatch.setattr(storing, "BULK_MIN_ROWS", 1)

    def failing(objects):
        raise RuntimeError("disk full")

    monkeypatch.setattr(storing, "audit_bulk_created", failing)
    ledger = spreadsheets.ledger_read(workbook([row(f"项目{i}") for i in range(5)]), today=TODAY)
    with pytest.raises(RuntimeError, match="disk full"):
        spreadsheets.ledger_store(ledger=ledger)
    assert not Project.objects.exists() and not StageDate.objects.exists()


def test_a_new_row_makes_its_project_from_the_values_checked(units, industry, django_assert_num_queries):
    """A new row keeps its checked values until its project is asked for (issue 13 §4: the memory of a file of
    new projects); the project then made holds them, with its unit, industry and department at hand."""
    rows = [row("项目0", 阶段="签约"), row("项目1", 所属行业="", 责任部门="", **{"总投资（万元）": 1234.5})]
    ledger = spreadsheets.ledger_read(workbook(rows), today=TODAY)
    assert ledger.ok, [str(e) for e in ledger.errors]
    first, second = ledger.rows
    with django_assert_num_queries(0):
        shown = [
            (
                p.name,
                p.unit.name,
                p.industry and p.industry.name,
                p.responsible_department and p.responsible_department.name,
            )
            for p in (first.project, second.project)
        ]
    assert shown == [
        ("项目0", "金坛区金科园", "新能源汽车", "区住建局"),
        ("项目1", "金坛区金科园", None, None),
    ]
    assert first.project is first.project and first.project._state.adding
    assert (first.project.stage, first.project.total_investment) == ("signed", Decimal("80000"))
    assert second.project.total_investment == Decimal("1234.5")
    assert (
        first.project.light_reasons == [] and first.project.light_reasons is not second.project.light_reasons
    )
    assert first.stage_dates == {
        "started": (date(2020, 3, 1), date(2020, 3, 18)),
        "completed": (date(2021, 12, 31), None),
    }
    assert first.plans == {2020: Decimal("15000")} and len(first.capacities) == 2
