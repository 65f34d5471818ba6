"""The job pages: only the user who asked sees a job (others: 404), the page refreshes itself while the job runs,
the download sends the file and is recorded as an export; the list shows the latest 20."""

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from ducha.jobs.choices import JobKind, JobState
from ducha.jobs.models import Job


@pytest.fixture
def done_job(office, settings, tmp_path):
    settings.DUCHA_PRIVATE_ROOT = tmp_path
    (tmp_path / "jobs").mkdir()
    (tmp_path / "jobs" / "1-abc.xlsx").write_bytes(b"PK workbook")
    return Job.objects.create(
        kind=JobKind.LEDGER_EXPORT,
        user=office,
        params={"query": "year=2020&month=3"},
        state=JobState.DONE,
        progress_done=7,
        progress_total=7,
        message="7个项目已导出。",
        result_path="jobs/1-abc.xlsx",
        result_name="ducha-projects-20201220.xlsx",
        finished_at=timezone.now(),
    )


def test_the_owner_sees_the_finished_job_with_its_download(client_for, done_job):
    body = client_for(done_job.user).get(f"/jobs/{done_job.pk}/").content.decode()
    assert "7个项目已导出。" in body and f"/jobs/{done_job.pk}/download/" in body
    assert 'hx-trigger="every 2s"' not in body  # finished: the page stops asking


def test_a_running_job_refreshes_itself_and_answers_htmx_with_the_status_alone(client_for, office):
    job = Job.objects.create(
        kind=JobKind.LEDGER_IMPORT, user=office, state=JobState.RUNNING, progress_done=40, progress_total=160
    )
    client = client_for(office)
    body = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in body and "25%" in body and "40" in body and "160" in body
    partial = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="job-status"') and "<html" not in partial


@pytest.mark.parametrize("who", ["leader", "auditor", "other_office"])
def test_nobody_else_sees_or_downloads_the_job(client_for, done_job, who, request):
    from ducha.accounts.models import Role, User

    if who == "other_office":
        other = User.objects.create_user(username="office2", password="pw-for-tests-1", role=Role.OFFICE)
    else:
        other = request.getfixturevalue(who)
    client = client_for(other)
    assert client.get(f"/jobs/{done_job.pk}/").status_code == 404
    assert client.get(f"/jobs/{done_job.pk}/download/").status_code == 404
    assert "data-job=" not in client.get("/jobs/").content.decode()


def test_anonymous_visitor_is_sent_to_sign_in(client, done_job):
    response = client.get(f"/jobs/{done_job.pk}/download/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_download_sends_the_file_and_is_recorded_as_an_export(client_for, done_job):
    response = client_for(done_job.user).get(f"/jobs/{done_job.pk}/download/?year=2020&month=3")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"PK workbook"
    assert "ducha-projects-20201220.xlsx" in response["Content-Disposition"]
    entry = LogEntry.objects.filter(additional_data__event="export").latest("pk")
    assert entry.actor == done_job.user
    assert entry.additional_data["rows"] == 7 and entry.additional_data["query"] == "year=2020&month=3"


def test_a_job_without_its_file_has_no_download(client_for, done_job, tmp_path):
    (tmp_path / "jobs" / "1-abc.xlsx").unlink()
    assert client_for(done_job.user).get(f"/jobs/{done_job.pk}/download/").status_code == 404
    Job.objects.filter(pk=done_job.pk).update(result_path="../../etc/passwd")
    assert client_for(done_job.user).get(f"/jobs/{done_job.pk}/download/").status_code == 404


def test_an_unfinished_job_has_no_download(client_for, office):
    job = Job.objects.create(kind=JobKind.LEDGER_EXPORT, user=office, result_path="jobs/x.xlsx")
    assert client_for(office).get(f"/jobs/{job.pk}/download/").status_code == 404


def test_my_jobs_lists_the_latest_twenty_of_mine(client_for, office, leader):
    mine = [Job.objects.create(kind=JobKind.LEDGER_EXPORT, user=office) for _ in range(22)]
    theirs = Job.objects.create(kind=JobKind.LEDGER_EXPORT, user=leader)
    body = client_for(office).get("/jobs/").content.decode()
    shown = {int(pk) for pk in __import__("re").findall(r'data-job="(\d+)"', body)}
    assert shown == {job.pk for job in mine[-20:]} and theirs.pk not in shown


def test_the_user_menu_links_to_my_jobs(client_for, office):
    assert 'href="/jobs/"' in client_for(office).get("/projects/").content.decode()


def _jobs(user, n):
    for _ in range(n):
        Job.objects.create(
            kind=JobKind.LEDGER_EXPORT, user=user, state=JobState.DONE, result_path="jobs/x.xlsx"
        )


def test_the_list_queries_do_not_grow_with_the_jobs(client_for, office, django_assert_max_num_queries):
    client = client_for(office)
    _jobs(office, 1)
    client.get("/jobs/")
    with django_assert_max_num_queries(6):
        client.get("/jobs/")
    _jobs(office, 19)
    with django_assert_max_num_queries(6):
        assert client.get("/jobs/").status_code == 200


def test_the_job_page_takes_few_queries(client_for, done_job, django_assert_max_num_queries):
    client = client_for(done_job.user)
    client.get(f"/jobs/{done_job.pk}/")
    with django_assert_max_num_queries(6):
        assert client.get(f"/jobs/{done_job.pk}/", headers={"HX-Request": "true"}).status_code == 200
