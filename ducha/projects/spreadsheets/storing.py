"""Storing a checked ledger: every row through project_save.

On PostgreSQL the whole ledger is one transaction: all rows or none. SQLite has a single write lock for the
whole database, and a 5,000-row ledger takes minutes to store; holding the lock that long would refuse every
sign-in and every page that writes ("database is locked"). There the rows are stored in turns of at most
TURN_SECONDS, each turn its own transaction, with a pause between turns in which waiting requests take the lock.
The ledger was checked as a whole before storing starts, so a turn fails only on a database or system error;
then the rows stored so far stay, the error says which row failed, and importing the same file again finishes
the job (rows already stored count as unchanged).
"""

from __future__ import annotations

import time

from django.db import connection, transaction
from django.utils.translation import gettext as _

from ..models import Project
from .results import LedgerImport, LedgerRow

TURN_SECONDS = 0.5  # the longest a ledger import holds SQLite's write lock at a time
PAUSE_SECONDS = 0.2  # longer than the ~100 ms between a waiting connection's retries (SQLite's busy handler)


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


def ledger_store(*, ledger: LedgerImport) -> list[Project]:
    """Store a checked ledger; returns the created and updated projects.

    Unchanged rows are not saved (no empty entries in the audit trail).
    """
    from ..services import projects_refresh_lights

    if not ledger.ok:
        raise ValueError("a ledger with errors cannot be stored")
    rows = [row for row in ledger.rows if row.action != "unchanged"]
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        touched = _store_in_turns(rows)
    else:
        with transaction.atomic():
            touched = [_store_row(row) for row in rows]
    if touched:
        projects_refresh_lights(projects=touched)
    return touched


def _store_in_turns(rows: list[LedgerRow]) -> list[Project]:
    touched: list[Project] = []
    size = 1  # rows per turn, then sized from the time the last turn took
    while len(touched) < len(rows):
        turn = rows[len(touched) : len(touched) + size]
        began = time.monotonic()
        row = turn[0]
        try:
            with transaction.atomic():
                for row in turn:
                    _store_row(row)
        except Exception as exc:
            raise LedgerStoreInterrupted(
                stored=len(touched), row=row.row, first_unstored=turn[0].row, error=exc
            ) from exc
        per_row = (time.monotonic() - began) / len(turn)
        size = max(1, min(500, int(TURN_SECONDS / per_row) if per_row else 500))
        touched.extend(row.project for row in turn)
        if len(touched) < len(rows):
            time.sleep(PAUSE_SECONDS)
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
        refresh_lights=False,  # once for all rows, by ledger_store
    )
    return row.project
