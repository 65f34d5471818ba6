"""On a phone (390 px wide) the round list and the closure statistics fit the screen: wide tables scroll
inside their card instead of widening the page."""

import datetime

import pytest
from django.utils import timezone

from ducha.projects.models import Project
from ducha.supervision.models import ProblemCategory, RoundVisit, SupervisionRound
from ducha.supervision.services import problem_raise

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def rounds_and_problems(office, units):
    category, _ = ProblemCategory.objects.get_or_create(name="土地", defaults={"order": 1})
    project = Project.objects.create(
        name="飞荣达高性能导电导热材料项目", unit=units["park"], total_investment=200000
    )
    today = timezone.localdate()
    for n in range(1, 4):
        rnd = SupervisionRound.objects.create(
            title=f"{today.year}年“两个加快全面决战年”第{n}次集中现场督查",
            campaign="两个加快全面决战年",
            year=today.year,
            ordinal=n,
            date=today - datetime.timedelta(days=n),
            start_time=datetime.time(8, 30),
            leaders="狄志强、沈东、刘宏伟、王海燕、陈建国",
        )
        RoundVisit.objects.create(round=rnd, project=project, order=1)
        problem_raise(
            user=office,
            project=project,
            category=category,
            description="二期用地指标尚未落实",
            lead_department=units["department" if n % 2 else "other_department"],
            round=rnd,
            raised_on=rnd.date,
        )


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/supervision/rounds/", "/supervision/problems/stats/"])
def test_supervision_pages_fit_a_phone_screen(
    browser_page, sign_in_browser, office, rounds_and_problems, path
):
    page = browser_page
    page.set_viewport_size(PHONE)
    sign_in_browser(page, "office")
    page.goto(page.base_url + path)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=f"/tmp/h3-narrow-{path.strip('/').replace('/', '-')}.png", full_page=True)
    assert page.locator("table").count() >= 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide on a {PHONE['width']} px screen"
