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
    assert "80亿元" in body and "18 GWh" in body
    # The chart is drawn by the vendored ECharts (no CDN): a canvas appears.
    page.wait_for_selector("#progress-chart canvas")


def test_wrong_password_is_refused_and_recorded(browser_page, sign_in_browser, office, client_for):
    page = browser_page
    sign_in_browser(page, "office", password="wrong-password")
    assert "/accounts/login/" in page.url
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.filter(username="office").exists()
