"""The cockpit's monthly chart and its headline compute from the same period and agree."""

from decimal import Decimal

from ducha.cockpit import selectors
from ducha.lib.periods import Period
from ducha.projects.selectors import projects_for_user
from ducha.projects.tests.factories import make_plan, make_project, make_report


def test_a_month_only_some_projects_reported_carries_the_others_forward(units, office):
    ahead = make_project(units["park"], "已报十二月的项目")
    behind = make_project(units["park"], "尚未报十二月的项目")
    for project in (ahead, behind):
        make_plan(project, amount=10000)
    make_report(ahead, 11, 8000)
    make_report(ahead, 12, 9000)
    make_report(behind, 10, 5000)
    make_report(behind, 11, 7000)  # no December report yet: counts with November's figure
    make_report(behind, 12, 100, status="draft")  # drafts never count

    period = Period(2020, 12)
    months = selectors.monthly_completion(projects_for_user(office), period)
    headline = selectors.figures(projects_for_user(office), period).all.completed
    assert months[9:12] == [Decimal(5_000), Decimal(15_000), Decimal(16_000)]
    assert months[11] == headline
    assert months[:9] == [Decimal(0)] * 9


def test_the_chart_follows_the_users_scope(units, park_user):
    mine = make_project(units["park"], "本园区项目")
    other = make_project(units["town"], "别的镇项目")
    make_report(mine, 3, 300)
    make_report(other, 3, 700)
    months = selectors.monthly_completion(projects_for_user(park_user), Period(2020, 3))
    assert months[2] == Decimal(300) and months[3:] == [None] * 9


def test_lights_on_a_page_about_another_month_are_that_months(units, office, settings):
    """On 2020-12-20 the stored lights are November's; the cockpit and ledger for 1-3月 show March's."""
    from ducha.projects.selectors import ledger
    from ducha.projects.services import projects_refresh_lights

    settings.DUCHA_TODAY = "2020-12-20"
    project = make_project(units["park"], "三月按序时、之后停滞的项目")
    make_plan(project, amount=1200)
    make_report(project, 3, 300)  # on 序时 at the end of March
    make_report(project, 11, 300)  # flat since: far behind in November
    projects_refresh_lights()
    project.refresh_from_db()
    assert project.light == "red"

    march, november = Period(2020, 3), Period(2020, 11)
    assert selectors.figures(projects_for_user(office), march).by_light.keys() == {"green"}
    assert selectors.figures(projects_for_user(office), november).by_light.keys() == {"red"}
    assert not ledger(office, {"light": "red"}, march).exists()
    assert list(ledger(office, {"light": "red"}, november)) == [project]
