"""What each kind of job does. A runner gets its claimed job, reports progress with `job_progress` and returns a
JobResult; it raises JobError with a message for the user when it refuses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import JobKind

if TYPE_CHECKING:
    from .models import Job


class JobError(Exception):
    """A job's own refusal (a file that expired, a ledger with problems): its message is shown as it is."""


@dataclass(frozen=True)
class JobResult:
    message: str
    content: bytes | None = None  # the file to download, if any
    filename: str = ""


def ledger_export(job: Job) -> JobResult:
    """The ledger export of the page the user was on: the same queryset, filters and scope as the direct export."""
    from ducha.projects import spreadsheets
    from ducha.projects.views import ledger_rows_for

    from .services import job_progress

    user = job.user
    if not user.is_active or not user.is_business_user:
        raise JobError(_("You may no longer export the ledger."))
    _form, period, projects = ledger_rows_for(user, QueryDict(job.params.get("query", "")), whole=True)
    total = projects.count()
    job_progress(job, 0, total, step=_("Writing the workbook"))
    content = spreadsheets.ledger_xlsx(projects, period)
    job_progress(job, total, total)
    return JobResult(
        message=ngettext("%(rows)s project exported.", "%(rows)s projects exported.", total)
        % {"rows": total},
        content=content,
        filename=f"ducha-projects-{timezone.localdate():%Y%m%d}.xlsx",
    )


def ledger_import(job: Job) -> JobResult:
    """Store a ledger workbook the office previewed and confirmed (stashed by the import page)."""
    from ducha.projects import spreadsheets
    from ducha.projects.views_import import stashed_upload

    from .services import job_progress

    user = job.user
    if not user.is_active or not user.is_office:
        raise JobError(_("You may no longer import the ledger."))
    path = stashed_upload(user, job.params.get("token", ""))
    if path is None:
        raise JobError(_("The uploaded file has expired; upload it again."))
    checking, storing = _("Checking the rows"), _("Storing the rows")
    ledger = spreadsheets.ledger_read(
        path, progress=lambda done, total: job_progress(job, done, total, step=checking)
    )
    if not ledger.ok:  # the stored data changed since the preview
        errors = ledger.errors
        head = ngettext(
            "Nothing was stored: %(n)s problem was found. Fix it in the file and upload it again.",
            "Nothing was stored: %(n)s problems were found. Fix them in the file and upload it again.",
            len(errors),
        ) % {"n": len(errors)}
        raise JobError("\n".join([head, *(str(e) for e in errors[:20])]))
    job_progress(job, 0, ledger.created + ledger.updated, step=storing)
    try:
        stored = spreadsheets.ledger_store(
            ledger=ledger, progress=lambda done, total: job_progress(job, done, total, step=storing)
        )
    except spreadsheets.LedgerStoreInterrupted as exc:
        raise JobError(str(exc)) from exc
    path.unlink(missing_ok=True)
    message = _(
        "The ledger was imported. Projects created: %(created)s; updated: %(updated)s; unchanged: %(unchanged)s."
    ) % {"created": ledger.created, "updated": ledger.updated, "unchanged": ledger.unchanged}
    if not stored:
        message += " " + _("Nothing had changed.")
    return JobResult(message=message)


RUNNERS: dict[str, Callable[[Job], JobResult]] = {
    JobKind.LEDGER_EXPORT: ledger_export,
    JobKind.LEDGER_IMPORT: ledger_import,
}
