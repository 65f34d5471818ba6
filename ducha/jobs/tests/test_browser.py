"""In Chromium: the job page follows the job by itself (htmx, vendored) and offers the download once it is done."""

from io import StringIO

import pytest
from django.core.management import call_command

from ducha.jobs.choices import JobKind
from ducha.jobs.services import job_enqueue
from ducha.projects.tests.factories import make_project

pytestmark = pytest.mark.browser


def test_the_job_page_shows_the_download_without_a_reload(
    browser_page, sign_in_browser, office, units, settings, tmp_path
):
    settings.DUCHA_PRIVATE_ROOT = tmp_path
    make_project(units["park"], "蜂巢能源动力电池项目")
    job = job_enqueue(kind=JobKind.LEDGER_EXPORT, user=office, params={"query": ""}, language="zh-hans")
    page = browser_page
    sign_in_browser(page, "office")
    page.goto(page.base_url + f"/jobs/{job.pk}/")
    assert page.locator("#job-status[data-state=queued]").count() == 1
    page.evaluate("window.__same_page = true")

    call_command("worker", "--once", stdout=StringIO())

    page.wait_for_selector("#job-download", timeout=10000)  # the page asks every 2 s
    assert page.evaluate("window.__same_page") is True  # swapped in, not reloaded
    assert "已导出1个项目。" in page.inner_text("#job-status")
    with page.expect_download() as download:
        page.click("#job-download")
    assert download.value.suggested_filename.startswith("ducha-projects-")
