"""Storing a checked ledger, in chunks: new projects in bulk, changed ones through project_save.

When the ledger has at least BULK_MIN_ROWS new projects, each chunk inserts its new ones with bulk_create,
together with their stage dates, annual plans and capacities, under the same rules project_save applies (the
stage-date rule, the field rules of each row, the stage synced to the furthest stage reached) and with the
audit trail's create entries written for every row (`audit_bulk_created`: the same entries, naming the same
actor). Changed projects, and
the new ones of a small ledger, go through project_save one by one: the one write path, whose error names the
row. After each chunk the stored figures and lights of its projects are refreshed and `progress(done, total)`
is called.

On PostgreSQL the whole ledger is one transaction: all rows or none. SQLite has a single write lock for the
whole database; holding it for the minutes a large ledger takes would refuse every sign-in and every page
that writes ("database is locked"). There the chunks are turns of at most TURN_SECONDS, each its own
transaction, with a pause between turns in which waiting requests take the lock. The ledger was checked as a
whole before storing starts, so a turn fails only on a database or system error; then the rows stored so far
stay, the error says which row failed, and importing the same file again finishes the job (rows already stored
count as unchanged).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from ducha.core.audit import audit_bulk_created
from ducha.lib import clock

from ..choices import STAGE_ORDER
from ..models import AnnualPlan, Capacity, Project, StageDate
from ..rules import stage_date_problems
from .results import LedgerImport, LedgerRow

TURN_SECONDS = 0.5  # the longest a ledger import holds SQLite's write lock at a time
PAUSE_SECONDS = 0.2  # longer than the ~100 ms between a waiting connection's retries (SQLite's busy handler)
CHUNK_ROWS = 500  # rows per chunk (per turn on SQLite at most)
BULK_MIN_ROWS = 20  # a ledger with fewer new projects saves them one by one: bulk gains nothing there

Progress = Callable[[int, int], None]


class LedgerStoreInterrupted(Exception):
    """Storing stopped at a row on SQLite after earlier turns were committed; the message says where."""

    def __init__(self, *, stored: int, row: int, first_unstored: int, error: Exception):
        self.stored, self.row, self.first_unstored, self.error = stored, row, first_unstored, error
        super().__init__(
            _(
                "Storing stopped at row %(row)s: %(error)s. The %(stored)s projects of the rows before row "
                "%(first)s were stored, none from row %(first)s on; import the same file again to store the "
                "rest (stored rows count as unchanged)."
            )
            % {"row": row, "error": error, "stored": stored, "first": first_unstored}
        )


def ledger_store(*, ledger: LedgerImport, progress: Progress | None = None) -> list[Project]:
    """Store a checked ledger; returns the created and updated projects.

    Unchanged rows are not saved (no empty entries in the audit trail). `progress(done, total)`, when given, is
    called after each chunk with the rows stored so far and the rows to store.
    """
    if not ledger.ok:
        raise ValueError("a ledger with errors cannot be stored")
    rows = [row for row in ledger.rows if row.action != "unchanged"]
    bulk = (
        sum(1 for row in rows if row.is_new) >= BULK_MIN_ROWS
        and connection.features.can_return_rows_from_bulk_insert
    )
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        return _store_in_turns(rows, progress, bulk=bulk)
    touched: list[Project] = []
    with transaction.atomic():
        for start in range(0, len(rows), CHUNK_ROWS):
            touched.extend(_store_chunk(rows[start : start + CHUNK_ROWS], _Position(), bulk=bulk))
            if progress is not None:
                progress(len(touched), len(rows))
    return touched


class _Position:
    """The row being stored, for the message when storing stops, and the time storing the rows took."""

    row: LedgerRow | None = None
    seconds: float = 0.0


def _store_in_turns(rows: list[LedgerRow], progress: Progress | None, *, bulk: bool) -> list[Project]:
    touched: list[Project] = []
    size = 1  # rows per turn, then sized from the time the last turn took
    while len(touched) < len(rows):
        turn = rows[len(touched) : len(touched) + size]
        began = time.monotonic()
        position = _Position()
        try:
            with transaction.atomic():
                stored = _store_chunk(turn, position, bulk=bulk)
        except Exception as exc:
            failed = position.row or turn[0]
            raise LedgerStoreInterrupted(
                stored=len(touched), row=failed.row, first_unstored=turn[0].row, error=exc
            ) from exc
        # Sized by the time the rows took. The figures' refresh after them costs about the same for a few rows
        # or hundreds: while it takes longer than TURN_SECONDS, turns grow to take about as long as it.
        per_row = position.seconds / len(turn)
        target = max(TURN_SECONDS, time.monotonic() - began - position.seconds)
        size = max(1, min(CHUNK_ROWS, int(target / per_row) if per_row else CHUNK_ROWS))
        touched.extend(stored)
        if progress is not None:
            progress(len(touched), len(rows))
        if len(touched) < len(rows):
            time.sleep(PAUSE_SECONDS)
    return touched


def _store_chunk(rows: list[LedgerRow], position: _Position, *, bulk: bool) -> list[Project]:
    """Store the rows (inside the caller's transaction), new ones in bulk if `bulk`, then refresh their figures
    and lights."""
    from ..rollups import deferred

    # The projects' stored figures are refreshed once for the chunk, not once per saved row (rollups).
    with deferred():
        return _store_chunk_rows(rows, position, bulk=bulk)


def _store_chunk_rows(rows: list[LedgerRow], position: _Position, *, bulk: bool) -> list[Project]:
    from ..services import projects_refresh_lights

    began = time.monotonic()
    new = [row for row in rows if row.is_new]
    if bulk and new:
        position.row = new[0]
        _create_in_bulk(new)
    for row in rows:
        if not (bulk and row.is_new):
            position.row = row
            _store_row(row)
    position.row = None
    position.seconds = time.monotonic() - began
    touched = [row.project for row in rows]
    if touched:
        projects_refresh_lights(projects=touched)
    return touched


def _store_row(row: LedgerRow) -> Project:
    from ..services import project_save

    capacities = None
    if row.capacities is not None:
        capacities = [(spec.quantity, spec.unit, spec.product) for spec in row.capacities]
    project_save(
        project=row.project,
        stage_dates=row.stage_dates or None,
        plans=row.plans,
        capacities=capacities,
        refresh_lights=False,  # once per chunk, by _store_chunk
    )
    return row.project


def _create_in_bulk(rows: list[LedgerRow]) -> None:
    """Insert new projects with their stage dates, plans and capacities: what project_save does for each of
    them, in a few statements, with the audit trail's create entries."""
    today = clock.today()
    for row in rows:
        if row.stage_dates:  # project_save's stage-date rule, as of now
            problems = stage_date_problems(dict(row.stage_dates), today=today, check_statistics=False)
            if problems:
                raise ValidationError({p.field: p.message for p in problems})
        # project_sync_stage: the furthest stage with an actual date, set before the insert.
        reached = [stage for stage, (_planned, actual) in row.stage_dates.items() if actual]
        row.project.stage = max([*reached, row.project.stage], key=STAGE_ORDER.__getitem__)
    projects = Project.objects.bulk_create([row.project for row in rows])
    # Each project was checked (its fields and its unit, industry and department) when the file was read, and
    # was just inserted: the related rows' project needs no lookup, and a new project has no other stage date
    # or plan for the uniqueness rules to find.
    checks: dict[str, Any] = {"exclude": ["project"], "validate_unique": False, "validate_constraints": False}
    stage_dates, plans, capacities = [], [], []
    for row in rows:
        for stage, (planned, actual) in row.stage_dates.items():
            if planned is None and actual is None:
                continue
            record = StageDate(project=row.project, stage=stage, planned_date=planned, actual_date=actual)
            record.full_clean(**checks)
            stage_dates.append(record)
        for year, amount in row.plans.items():
            plan = AnnualPlan(project=row.project, year=year)
            if plan.planned_investment != amount:
                plan.planned_investment = amount
                plan.full_clean(
                    **checks
                )  # its min-value validator is the plan_not_negative constraint's rule
                plans.append(plan)
        for spec in row.capacities or []:
            capacity = Capacity(
                project=row.project, quantity=spec.quantity, unit=spec.unit, product=spec.product
            )
            capacity.full_clean(**checks)
            capacities.append(capacity)
    created = [
        *projects,
        *StageDate.objects.bulk_create(stage_dates),
        *AnnualPlan.objects.bulk_create(plans),
        *Capacity.objects.bulk_create(capacities),
    ]
    audit_bulk_created(created)
