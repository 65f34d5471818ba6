"""The ledger import as a background job: the office confirms the preview, `ducha worker --once` stores the ledger
as the office, and the job page shows the outcome the import page showed before."""

import os
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from ducha.jobs.choices import JobKind, JobState
from ducha.jobs.models import Job
from ducha.projects.models import Project
from ducha.projects.tests.test_import import row, workbook


def _run_worker() -> None:
    call_command("worker", "--once", stdout=StringIO())


@pytest.fixture
def industry(db):
    from ducha.projects.models import Industry

    return Industry.objects.create(name="新能源汽车")


def _confirm(client, *rows):
    upload = SimpleUploadedFile("ledger.xlsx", workbook(*rows).getvalue())
    token = client.post("/projects/import/", {"file": upload}).context["token"]
    return client.post("/projects/import/", {"token": token})


def test_an_import_job_stores_the_ledger_as_the_office(
    units, industry, client_for, office, settings, tmp_path
):
    settings.DUCHA_PRIVATE_ROOT = tmp_path
    client = client_for(office)
    response = _confirm(client, row(), row(项目名称="金城镇民生项目", 板块="金城镇"))
    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/" and job.kind == JobKind.LEDGER_IMPORT
    assert Project.objects.count() == 0  # nothing yet: the worker stores it
    _run_worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE and "新增项目2个" in job.message
    assert (job.progress_done, job.progress_total) == (2, 2)
    assert Project.objects.count() == 2
    entry = LogEntry.objects.get_for_object(Project.objects.get(name="金城镇民生项目")).get()
    assert entry.actor == office  # the job stores as the office that asked
    assert not list(tmp_path.glob("project-imports/*.xlsx"))  # the stashed upload is removed
    assert "新增项目2个" in client.get(response.url).content.decode()


def test_confirming_twice_queues_the_import_once(units, industry, client_for, office, settings, tmp_path):
    settings.DUCHA_PRIVATE_ROOT = tmp_path
    client = client_for(office)
    upload = SimpleUploadedFile("ledger.xlsx", workbook(row()).getvalue())
    token = client.post("/projects/import/", {"file": upload}).context["token"]
    first = client.post("/projects/import/", {"token": token})
    second = client.post("/projects/import/", {"token": token})
    assert first.url == second.url and Job.objects.count() == 1


def test_an_import_whose_data_changed_since_the_preview_fails_and_stores_nothing(
    units, industry, client_for, office, settings, tmp_path
):
    settings.DUCHA_PRIVATE_ROOT = tmp_path
    client = client_for(office)
    response = _confirm(client, row())
    industry.delete()  # the file's 所属行业 no longer exists
    _run_worker()
    job = Job.objects.get()
    assert job.state == JobState.FAILED and "新能源汽车" in job.message
    assert Project.objects.count() == 0
    body = client.get(response.url).content.decode()
    assert "新能源汽车" in body and "/projects/import/" in body


def test_an_import_whose_file_expired_fails_with_that_message(
    units, industry, client_for, office, settings, tmp_path
):
    settings.DUCHA_PRIVATE_ROOT = tmp_path
    _confirm(client_for(office), row())
    for path in tmp_path.glob("project-imports/*.xlsx"):
        os.remove(path)
    _run_worker()
    job = Job.objects.get()
    assert job.state == JobState.FAILED and job.message == "上传的文件已过期，请重新上传。"
