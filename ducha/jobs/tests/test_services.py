"""The job table: enqueue, claim (one worker per job), run, progress, failure with a readable message."""

from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import transaction

from ducha.jobs import runners, services
from ducha.jobs.choices import JobKind, JobState
from ducha.jobs.models import Job
from ducha.jobs.runners import JobError, JobResult


@pytest.fixture
def private_root(settings, tmp_path):
    settings.DUCHA_PRIVATE_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def fake_runner(monkeypatch):
    """Replace the export's runner by `fake_runner.run = callable(job)`; its calls are recorded."""

    class Fake:
        calls: list = []
        run = staticmethod(lambda job: JobResult(message="fertig", content=b"PK-bytes", filename="out.xlsx"))

    def runner(job):
        Fake.calls.append(job.pk)
        return Fake.run(job)

    monkeypatch.setitem(runners.RUNNERS, JobKind.LEDGER_EXPORT, runner)
    monkeypatch.setattr(services, "RUNNERS", runners.RUNNERS)
    return Fake


def _enqueue(user, **params) -> Job:
    return services.job_enqueue(kind=JobKind.LEDGER_EXPORT, user=user, params=params, language="en")


def test_a_queued_job_is_claimed_once_oldest_first(office):
    first, second = _enqueue(office), _enqueue(office)
    claimed = services.job_claim()
    assert claimed.pk == first.pk and claimed.state == JobState.RUNNING and claimed.started_at
    assert services.job_claim().pk == second.pk
    assert services.job_claim() is None


def test_a_job_another_worker_took_meanwhile_is_not_claimed_again(office):
    job = _enqueue(office)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)  # the other worker's claim
    assert services.job_claim() is None


def test_the_claim_is_in_the_audit_trail(office):
    job = _enqueue(office)
    services.job_claim()
    changes = [e.changes_dict for e in LogEntry.objects.get_for_object(job).order_by("pk")]
    assert changes[0]["state"][1] == "queued"  # created
    assert changes[1]["state"] == ["queued", "running"]


def test_a_job_runs_to_done_with_its_file_under_the_private_root(office, private_root, fake_runner):
    _enqueue(office)
    job = services.job_run(services.job_claim())
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.message == "fertig" and job.finished_at
    path = services.job_result_path(job)
    assert path.read_bytes() == b"PK-bytes" and private_root in path.parents
    assert job.result_name == "out.xlsx"
    assert not list(private_root.rglob("*.part"))


def test_a_job_that_raises_ends_failed_with_a_readable_message_and_no_file(office, private_root, fake_runner):
    def boom(job):
        raise ZeroDivisionError("division by zero")

    fake_runner.run = boom
    _enqueue(office)
    job = services.job_run(services.job_claim())
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.finished_at
    assert "ZeroDivisionError: division by zero" in job.message and job.result_path == ""
    assert not list(private_root.rglob("*"))


def test_a_refusal_shows_its_own_message(office, private_root, fake_runner):
    def refuse(job):
        raise JobError("Die Datei ist abgelaufen.")

    fake_runner.run = refuse
    _enqueue(office)
    job = services.job_run(services.job_claim())
    assert Job.objects.get(pk=job.pk).message == "Die Datei ist abgelaufen."


def test_the_end_of_a_job_is_recorded_as_the_user_who_asked(office, private_root, fake_runner):
    _enqueue(office)
    job = services.job_run(services.job_claim())
    last = LogEntry.objects.get_for_object(job).order_by("pk").last()
    assert last.actor == office and last.changes_dict["state"] == ["running", "done"]


def test_progress_is_stored_and_its_ticks_stay_out_of_the_audit_trail(office):
    job = _enqueue(office)
    entries = LogEntry.objects.count()
    services.job_progress(job, 3, 10)
    services.job_progress(job, 4, 10)  # within the throttle: not written yet
    assert (Job.objects.get(pk=job.pk).progress_done, Job.objects.get(pk=job.pk).progress_total) == (3, 10)
    services.job_progress(job, 10, 10)  # the last step is always written
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, job.percent) == (10, 10, 100)
    assert LogEntry.objects.count() == entries


def test_progress_inside_a_long_transaction_reaches_the_table(office):
    job = _enqueue(office)
    with transaction.atomic():
        services.job_progress(job, 5, 8)
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (5, 8)


def test_the_percentage_of_a_job(office):
    job = Job(progress_done=1, progress_total=3)
    assert job.percent == 33
    assert Job(progress_done=0, progress_total=0).percent == 0
    assert Job(state=JobState.DONE).percent == 100


def test_a_pending_job_with_the_same_parameters_is_found(office, leader):
    job = services.job_enqueue(kind=JobKind.LEDGER_IMPORT, user=office, params={"token": "a" * 32})
    assert services.job_pending(user=office, kind=JobKind.LEDGER_IMPORT, params={"token": "a" * 32}) == job
    assert services.job_pending(user=office, kind=JobKind.LEDGER_IMPORT, params={"token": "b" * 32}) is None
    assert services.job_pending(user=leader, kind=JobKind.LEDGER_IMPORT, params={"token": "a" * 32}) is None
    Job.objects.filter(pk=job.pk).update(state=JobState.FAILED)
    assert services.job_pending(user=office, kind=JobKind.LEDGER_IMPORT, params={"token": "a" * 32}) is None


def test_worker_once_runs_every_queued_job_and_stops(office, private_root, fake_runner):
    _enqueue(office)
    _enqueue(office)
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    assert set(Job.objects.values_list("state", flat=True)) == {JobState.DONE}
    assert out.getvalue().count("done") == 2


def test_a_stopped_worker_marks_its_job_as_stopped(office, private_root, fake_runner):
    def interrupted(job):
        raise KeyboardInterrupt

    fake_runner.run = interrupted
    _enqueue(office)
    call_command("worker", "--once", stdout=StringIO())
    job = Job.objects.get()
    assert job.state == JobState.FAILED and "stopped" in job.message


def test_files_of_old_jobs_are_removed_and_their_jobs_stay(office, private_root, fake_runner):
    from datetime import timedelta

    from django.utils import timezone

    _enqueue(office)
    _enqueue(office)
    call_command("worker", "--once", stdout=StringIO())
    old, new = Job.objects.order_by("pk")
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))
    old_path, new_path = services.job_result_path(old), services.job_result_path(new)
    assert services.jobs_results_expire() == 1
    old.refresh_from_db()
    assert old.result_path == "" and old.state == JobState.DONE and not old_path.exists()
    assert new_path.exists()


def test_the_claim_names_the_worker(office):
    _enqueue(office)
    assert services.job_claim().worker == services.worker_name()


def test_a_new_worker_fails_the_jobs_of_a_dead_worker_on_its_host(office):
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    running = {
        "state": JobState.RUNNING,
        "kind": JobKind.LEDGER_EXPORT,
        "user": office,
        "params": {"language": "en"},
    }
    abandoned = Job.objects.create(worker=services.worker_name(dead.pid), **running)
    alive = Job.objects.create(worker=services.worker_name(), **running)
    elsewhere = Job.objects.create(worker="another-host:1", **running)
    call_command("worker", "--once", stdout=StringIO())
    states = dict(Job.objects.values_list("pk", "state"))
    assert states == {
        abandoned.pk: JobState.FAILED,
        alive.pk: JobState.RUNNING,
        elsewhere.pk: JobState.RUNNING,
    }
    assert "stopped" in Job.objects.get(pk=abandoned.pk).message


def test_a_new_step_is_written_at_once_and_shown_while_the_job_runs(office, client_for):
    job = _enqueue(office)
    services.job_progress(job, 10, 100, step="Checking the rows")
    services.job_progress(job, 0, 4, step="Storing the rows")  # within the throttle, but a new step
    job.refresh_from_db()
    assert (job.message, job.progress_done, job.progress_total) == ("Storing the rows", 0, 4)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING)
    assert "Storing the rows" in client_for(office).get(f"/jobs/{job.pk}/").content.decode()
