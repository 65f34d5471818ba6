"""The large ledger export as a background job, end to end on the demo: the page queues the job, `ducha worker
--once` runs it, and the user downloads the same workbook the direct export gives."""

from io import BytesIO, StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import transaction
from openpyxl import load_workbook

from ducha.accounts.models import User
from ducha.core.demo import load_demo
from ducha.jobs.choices import JobKind, JobState
from ducha.jobs.models import Job


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The Jintan demo, loaded once for the module inside a transaction rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            load_demo(password="demo-password-1", log=lambda _line: None)
            yield
        finally:
            transaction.set_rollback(True)


def _cells(content: bytes) -> list:
    book = load_workbook(BytesIO(content))
    return [[[c.value for c in r] for r in sheet.iter_rows()] for sheet in book.worksheets]


def _run_worker() -> None:
    call_command("worker", "--once", stdout=StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["office", "jinkeyuan"])
def test_a_large_export_runs_as_a_job_and_downloads_the_direct_exports_workbook(
    demo, client, settings, tmp_path, username
):
    settings.DUCHA_PRIVATE_ROOT = tmp_path
    client.force_login(
        User.objects.get(username=username)
    )  # the park user's export holds its own projects only
    query = {"stage": "started", "year": 2020, "month": 11}
    direct = client.get("/projects/export.xlsx", query)
    assert direct.status_code == 200

    settings.DUCHA_EXPORT_INLINE_ROWS = 1
    response = client.get("/projects/export.xlsx", query)
    job = Job.objects.get(user__username=username)
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.kind == JobKind.LEDGER_EXPORT and job.state == JobState.QUEUED
    assert 'hx-trigger="every 2s"' in client.get(response.url).content.decode()

    _run_worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    assert (
        job.progress_done == job.progress_total == len(_cells(direct.content)[0]) - 1
    )  # rows below the header
    page = client.get(response.url).content.decode()
    assert f"/jobs/{job.pk}/download/" in page
    download = client.get(f"/jobs/{job.pk}/download/", {"stage": "started", "year": 2020, "month": 11})
    assert download.status_code == 200
    assert _cells(b"".join(download.streaming_content)) == _cells(direct.content)
    exports = LogEntry.objects.filter(
        additional_data__event="export", additional_data__path__startswith="/jobs/"
    )
    assert exports.get().actor.username == username


@pytest.mark.django_db
def test_a_small_export_still_answers_at_once(demo, client, settings):
    client.force_login(User.objects.get(username="office"))
    response = client.get("/projects/export.xlsx")
    assert response.status_code == 200 and not Job.objects.exists()
