"""Background jobs: enqueue in the request, claim and run in `ducha worker`, report progress as they go.

A job is claimed by exactly one worker: with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, with a conditional
UPDATE … WHERE state='queued' on SQLite (whose single write lock serialises the claims). A job that raises ends
failed with a readable message; its result file is written under a temporary name and renamed into place, so a
download never sees half a file.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from datetime import timedelta
from pathlib import Path

from auditlog.models import LogEntry
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ducha.core.audit import acting_as

from .choices import JobKind, JobState
from .models import Job
from .runners import RUNNERS, JobError, JobResult

logger = logging.getLogger(__name__)

RESULT_KEEP_DAYS = 7  # a job's file is removed this long after it was made (exports can be made again)
PROGRESS_SECONDS = 0.5  # write progress at most this often: a 100,000-row import calls back per chunk
RESULT_FOLDER = "jobs"


def job_enqueue(*, kind: JobKind | str, user, params: dict | None = None, language: str | None = None) -> Job:
    """Queue a job for `ducha worker`; it runs as `user`, in `language` (the page's language, for its messages)."""
    params = dict(params or {})
    params["language"] = language or translation.get_language() or settings.LANGUAGE_CODE
    return Job.objects.create(kind=kind, user=user, params=params)


def job_pending(*, user, kind: JobKind | str, params: dict) -> Job | None:
    """The user's job of this kind with these parameters that is still queued or running (a second click on
    "store" must not queue the same import twice)."""
    lookups = {f"params__{key}": value for key, value in params.items()}
    pending = Job.objects.filter(
        user=user, kind=kind, state__in=[JobState.QUEUED, JobState.RUNNING], **lookups
    )
    return pending.order_by("-created_at", "-pk").first()


def job_claim() -> Job | None:
    """Take the oldest queued job for this worker, or None; two workers never take the same job."""
    now = timezone.now()
    claim = {"state": JobState.RUNNING, "started_at": now, "worker": worker_name()}
    queued = Job.objects.filter(state=JobState.QUEUED).order_by("created_at", "pk")
    claimed_pk = None
    if connection.vendor == "postgresql":
        with transaction.atomic():
            pk = queued.select_for_update(skip_locked=True).values_list("pk", flat=True).first()
            if pk is not None:
                Job.objects.filter(pk=pk).update(**claim)
                claimed_pk = pk
    else:
        for pk in queued.values_list("pk", flat=True)[:20]:
            if Job.objects.filter(pk=pk, state=JobState.QUEUED).update(**claim):
                claimed_pk = pk
                break
    if claimed_pk is None:
        return None
    job = Job.objects.select_related("user").get(pk=claimed_pk)
    # The claim is an UPDATE that sends no signal: its entry in the trail is written here, as auditlog would.
    LogEntry.objects.log_create(
        job,
        action=LogEntry.Action.UPDATE,
        changes={
            "state": [JobState.QUEUED.value, JobState.RUNNING.value],
            "started_at": ["None", str(now)],
            "worker": ["", job.worker],
        },
    )
    return job


def worker_name(pid: int | None = None) -> str:
    return f"{socket.gethostname()}:{pid or os.getpid()}"[:100]


def jobs_abandoned_fail() -> int:
    """Mark as failed the running jobs of workers on this host that no longer run (killed, machine restarted):
    otherwise their pages would say "running" for ever. Jobs of other hosts are left to their own workers."""
    host = socket.gethostname()
    failed = 0
    for job in Job.objects.filter(state=JobState.RUNNING, worker__startswith=f"{host}:").select_related(
        "user"
    ):
        pid = job.worker.rpartition(":")[2]
        if pid.isdigit() and not _process_alive(int(pid)):
            with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
                _fail(job, _("The worker was stopped while this job ran. Start it again."))
            failed += 1
    return failed


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def job_progress(job: Job, done: int, total: int, *, step: str | None = None) -> None:
    """Record how far the job is, and optionally which step it is at ("checking the rows"), for its page.
    Throttled; a new step and the last tick (done == total) are always written. The ticks stay out of the audit
    trail (counters, not anybody's change); the job's outcome is audited when it ends.

    A job may run inside one long transaction (a PostgreSQL import stores all rows or none): the progress is then
    written through a connection of its own, so that the page sees it before the transaction ends.
    """
    new_step = step is not None and step != job.message
    job.progress_done, job.progress_total = max(0, int(done)), max(0, int(total))
    if step is not None:
        job.message = step
    now = time.monotonic()
    last = getattr(job, "_progress_written", None)
    if last is not None and now - last < PROGRESS_SECONDS and done < total and not new_step:
        return
    job._progress_written = now  # type: ignore[attr-defined]
    if connection.in_atomic_block and connection.vendor != "sqlite" and _write_progress_aside(job):
        return
    Job.objects.filter(pk=job.pk).update(
        progress_done=job.progress_done, progress_total=job.progress_total, message=job.message
    )


_aside = threading.local()


def _write_progress_aside(job: Job) -> bool:
    """The progress through a second, autocommit connection; False when it cannot see the job (a test's
    uncommitted row), so the caller writes it on the main connection."""
    side = getattr(_aside, "connection", None)
    if side is None:
        main = connections[DEFAULT_DB_ALIAS]
        side = type(main)(dict(main.settings_dict), alias=DEFAULT_DB_ALIAS)
        _aside.connection = side
    table = side.ops.quote_name(Job._meta.db_table)
    with side.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET progress_done = %s, progress_total = %s, message = %s WHERE id = %s",  # noqa: S608
            [job.progress_done, job.progress_total, job.message, job.pk],
        )
        seen = cursor.rowcount > 0
    if not seen:
        _close_progress_connection()
    return seen


def _close_progress_connection() -> None:
    side = getattr(_aside, "connection", None)
    if side is not None:
        side.close()
        _aside.connection = None


def job_run(job: Job) -> Job:
    """Run one claimed job as the user who asked for it; it ends done (with its file) or failed (with a message)."""
    runner = RUNNERS[job.kind]
    try:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            try:
                with acting_as(job.user):
                    result = runner(job)
                    _finish(job, result)
            except (
                KeyboardInterrupt
            ):  # `ducha worker` stopped (Ctrl-C, SIGTERM): say so rather than stay "running"
                _fail(job, _("The worker was stopped while this job ran. Start it again."))
                raise
            except Exception as exc:
                logger.exception("job %s (%s) failed", job.pk, job.kind)
                _fail(job, _readable(exc))
    finally:
        _close_progress_connection()
    return job


def job_result_path(job: Job) -> Path | None:
    """The job's result file on disk, if it has one that exists."""
    if not job.result_path:
        return None
    root = Path(settings.DUCHA_PRIVATE_ROOT).resolve()
    path = (root / job.result_path).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def _readable(exc: Exception) -> str:
    if isinstance(exc, JobError):
        return str(exc)
    detail = f"{type(exc).__name__}: {exc}"[:500]
    return _("The job stopped with an error; nothing more was done. %(error)s") % {"error": detail}


def _finish(job: Job, result: JobResult) -> None:
    written: Path | None = None
    if result.content is not None:
        written = _write_result(job, result.content)
        job.result_path = str(written.relative_to(Path(settings.DUCHA_PRIVATE_ROOT).resolve()))
        job.result_name = result.filename
    try:
        job.state = JobState.DONE
        job.message = result.message
        job.finished_at = timezone.now()
        if job.progress_total:
            job.progress_done = job.progress_total
        job.save()
    except BaseException:
        if written is not None:
            written.unlink(missing_ok=True)
        job.result_path = job.result_name = ""
        raise


def _write_result(job: Job, content: bytes) -> Path:
    folder = Path(settings.DUCHA_PRIVATE_ROOT).resolve() / RESULT_FOLDER / f"{timezone.localdate():%Y/%m}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{job.pk}-{secrets.token_hex(8)}.xlsx"
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(content)
    os.replace(partial, path)  # atomic: the file is whole or absent
    return path


def _fail(job: Job, message: str) -> None:
    job.state = JobState.FAILED
    job.message = message
    job.finished_at = timezone.now()
    with acting_as(job.user):
        job.save()


def jobs_results_expire(*, days: int = RESULT_KEEP_DAYS) -> int:
    """Remove the files of jobs finished more than `days` ago (the job and its message stay); returns how many."""
    old = Job.objects.filter(finished_at__lt=timezone.now() - timedelta(days=days)).exclude(result_path="")
    removed = 0
    for job in old.select_related("user"):
        path = job_result_path(job)
        if path is not None:
            path.unlink(missing_ok=True)
        job.result_path = ""
        job.save(update_fields=["result_path"])
        removed += 1
    return removed
