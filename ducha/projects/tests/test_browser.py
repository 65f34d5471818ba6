"""In Chromium: sign in through the real login form, use the ledger, open a project page."""

import pytest

from .factories import make_plan, make_project, make_report

pytestmark = pytest.mark.browser


def test_office_signs_in_filters_the_ledger_and_opens_a_project(browser_page, sign_in_browser, office, units):
    project = make_project(units["park"], "蜂巢能源动力电池项目", total_investment=800000)
    project.capacities.create(quantity=18, unit="GWh", product="动力电池")
    make_plan(project, amount=300000)
    make_report(project, 3, 80000, month_amount=80000)
    make_project(units["other_park"], "信维通信射频模组及零部件项目")
    page = browser_page

    sign_in_browser(page, "office")
    page.goto(page.base_url + "/projects/")
    assert page.locator("text=信维通信射频模组及零部件项目").count() == 1

    page.fill("input[name=q]", "蜂巢能源")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("!document.body.innerText.includes('信维通信射频模组及零部件项目')")
    page.click("text=蜂巢能源动力电池项目")
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert "80亿元" in body and "18GWh动力电池" in body
    # The chart is drawn by the vendored ECharts (no CDN): a canvas appears.
    page.wait_for_selector("#progress-chart canvas")


def test_wrong_password_is_refused_and_recorded(browser_page, sign_in_browser, office, client_for):
    page = browser_page
    sign_in_browser(page, "office", password="wrong-password")
    assert "/accounts/login/" in page.url
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.filter(username="office").exists()


def test_batch_entry_in_chromium_stores_the_other_lines_once_one_report_is_accepted(
    browser_page, sign_in_browser, park_user, office, units
):
    """Issue 12 §1 in a real browser: the accepted line is shown read-only and the other lines are stored."""
    from ducha.projects.models import ProgressReport
    from ducha.projects.services import progress_report_review

    projects = []
    for name in ("甲项目", "乙项目", "丙项目"):
        project = make_project(units["park"], name)
        make_plan(project, amount=1200)
        make_report(project, 11, 300)
        projects.append(project)
    accepted = make_report(projects[0], 12, 400, month_amount=100, status="submitted")
    progress_report_review(report=accepted, user=office, approve=True)
    page = browser_page
    sign_in_browser(page, "jinkeyuan")
    page.goto(page.base_url + "/projects/reports/batch/?year=2020&month=12")
    accepted_line = page.locator(f"tr[data-project='{projects[0].pk}']")
    assert accepted_line.locator("input, select, textarea").count() == 0  # read-only, not part of the form
    for project in projects[1:]:
        page.locator(f"tr[data-project='{project.pk}'] input[name$='-investment_month']").fill("50")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "2" in page.inner_text(".alert-success, .alert")
    for project in projects[1:]:
        assert ProgressReport.objects.get(project=project, year=2020, month=12).investment_ytd == 350
    assert ProgressReport.objects.get(project=projects[0], year=2020, month=12).investment_ytd == 400
