"""Storing a checked ledger: every row through project_save, all in one transaction."""

from __future__ import annotations

from django.db import transaction

from ..models import Project
from .results import LedgerImport

# ---------------------------------------------------------------- storing


def ledger_store(*, ledger: LedgerImport) -> list[Project]:
    """Store a checked ledger in one transaction; returns the created and updated projects.

    Unchanged rows are not saved (no empty entries in the audit trail).
    """
    from ..services import project_save, projects_refresh_lights

    if not ledger.ok:
        raise ValueError("a ledger with errors cannot be stored")
    touched = []
    with transaction.atomic():
        for row in ledger.rows:
            if row.action == "unchanged":
                continue
            capacities = None
            if row.capacities is not None:
                capacities = [(spec.quantity, spec.unit, spec.product) for spec in row.capacities]
            project_save(
                project=row.project,
                stage_dates=row.stage_dates or None,
                plans=row.plans,
                capacities=capacities,
                refresh_lights=False,  # once for all rows below
            )
            touched.append(row.project)
    if touched:
        projects_refresh_lights(projects=touched)
    return touched
