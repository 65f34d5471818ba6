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
