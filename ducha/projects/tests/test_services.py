from datetime import date
from decimal import Decimal

from ducha.lib.periods import Period
from ducha.projects.services import project_lights_for_period, projects_refresh_lights

from .factories import make_plan, make_project, make_report


def test_lights_of_an_earlier_month_are_computed_without_touching_the_stored_light(units):
    project = make_project(units["park"])
    make_plan(project, amount=1200)
    make_report(project, 3, 300)  # on 序时 at the end of March
    make_report(project, 9, 300)  # flat since: far behind by September
    projects_refresh_lights(period=Period(2020, 9))
    project.refresh_from_db()
    assert project.light == "red"
    march = project_lights_for_period(projects=[project], period=Period(2020, 3))
    assert march[project.pk].colour == "green"
    project.refresh_from_db()
    assert project.light == "red"


def test_refresh_uses_the_start_month_of_the_annual_plan(units):
    project = make_project(units["park"], stage="signed")
    make_plan(project, amount=Decimal(1200), planned_start=date(2020, 4, 1))
    projects_refresh_lights(period=Period(2020, 8))
    project.refresh_from_db()
    assert project.light == "red"
    assert any(r["rule"] == "start_late" for r in project.light_reasons)


def test_a_project_entered_into_the_statistics_later_was_not_in_them_in_an_earlier_month(units):
    """纳统 as of the period: started in March, entered into the statistics in October."""
    project = make_project(units["park"], in_statistics=True, statistics_date=date(2020, 10, 20))
    make_plan(project, amount=1200)
    project.stage_dates.create(stage="started", planned_date=date(2020, 3, 1), actual_date=date(2020, 3, 1))
    for month in range(3, 11):
        make_report(project, month, 100 * month)
    september = project_lights_for_period(projects=[project], period=Period(2020, 9))[project.pk]
    october = project_lights_for_period(projects=[project], period=Period(2020, 10))[project.pk]
    assert "not_in_statistics" in [r.rule for r in september.reasons]
    assert "not_in_statistics" not in [r.rule for r in october.reasons]
