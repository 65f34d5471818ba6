from datetime import date
from decimal import Decimal

import pytest

from ducha.lib import schedule
from ducha.lib.schedule import Colour, LightRules, MilestoneFacts, ProjectFacts, project_light

D = Decimal


@pytest.mark.parametrize(
    ("month", "start_month", "expected"),
    [
        (1, 1, D(1) / 12),
        (8, 1, D(8) / 12),
        (12, 1, D(1)),
        (8, 7, D(2) / 6),  # a project starting in July: two of its six months have passed
        (6, 7, D(0)),  # not started yet
        (12, 12, D(1)),
    ],
)
def test_schedule_ratio_for_month(month, start_month, expected):
    assert schedule.schedule_ratio_for_month(month, start_month=start_month) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2020, 8, 31), D(8) / 12),
        (date(2020, 12, 31), D(1)),
        (date(2021, 1, 31), D(1) / 12),
        (date(2020, 2, 29), D(2) / 12),  # leap year: the 29th ends February
        (date(2021, 2, 28), D(2) / 12),
    ],
)
def test_schedule_ratio_for_date_ends_months_exactly(day, expected):
    assert schedule.schedule_ratio_for_date(day) == expected


def test_leap_february_midpoint_counts_29_days():
    assert schedule.schedule_ratio_for_date(date(2020, 2, 14)) < schedule.schedule_ratio_for_date(
        date(2021, 2, 14)
    )


def test_schedule_ratio_rejects_month_13():
    with pytest.raises(ValueError):
        schedule.schedule_ratio_for_month(13)


@pytest.mark.parametrize(
    ("completed", "planned", "expected"),
    [(D(50), D(100), D("0.5")), (D(0), D(0), None), (None, D(100), D(0)), (D(10), None, None)],
)
def test_completion_ratio_is_none_without_a_plan(completed, planned, expected):
    assert schedule.completion_ratio(completed, planned) == expected


def test_unit_completion_sums_before_dividing():
    result = schedule.unit_completion([(D(10), D(100)), (D(90), D(100))], D("0.5"))
    assert result.ratio == D("0.5")
    assert result.points_behind == 0
    assert result.ahead


def facts(**kw):
    base = {"year": 2020, "month": 8, "annual_plan": D(1200), "completed_ytd": D(800), "in_statistics": True}
    base.update(kw)
    return ProjectFacts(**base)


@pytest.mark.parametrize(
    ("completed", "colour"),
    [
        (D(800), Colour.GREEN),  # exactly on 序时 (8/12)
        (D(1000), Colour.GREEN),  # ahead
        (D(700), Colour.GREEN),  # 8.3 points behind: within tolerance
        (D(680), Colour.YELLOW),  # 10 points behind
        (D(440), Colour.YELLOW),  # 30 points behind: still yellow
        (D(430), Colour.RED),  # more than 30 behind
        (D(0), Colour.RED),
    ],
)
def test_light_against_schedule(completed, colour):
    assert project_light(facts(completed_ytd=completed)).colour == colour


def test_zero_plan_gets_no_schedule_light():
    light = project_light(facts(annual_plan=D(0), completed_ytd=D(0)))
    assert light.colour == Colour.GREEN
    assert light.ratio is None


@pytest.mark.parametrize(
    ("planned_start", "colour"),
    [
        (date(2020, 8, 1), Colour.GREEN),
        (date(2020, 7, 1), Colour.YELLOW),
        (date(2020, 6, 1), Colour.YELLOW),
        (date(2020, 5, 1), Colour.RED),
    ],
)
def test_missed_start_month(planned_start, colour):
    light = project_light(facts(annual_plan=None, completed_ytd=None, planned_start=planned_start))
    assert light.colour == colour


def test_started_project_is_not_late():
    light = project_light(
        facts(annual_plan=None, planned_start=date(2020, 3, 1), actual_start=date(2020, 4, 2))
    )
    assert light.colour == Colour.GREEN


def test_project_starting_mid_year_is_measured_from_its_start():
    # Planned to start in July; by the end of August 2 of 6 months have passed: 1/3 of the plan is on schedule.
    light = project_light(
        facts(planned_start=date(2020, 7, 1), actual_start=date(2020, 7, 3), completed_ytd=D(400))
    )
    assert light.schedule == D(2) / 6
    assert light.colour == Colour.GREEN


@pytest.mark.parametrize(
    ("started", "colour"),
    [(date(2020, 8, 10), Colour.GREEN), (date(2020, 7, 10), Colour.YELLOW), (date(2020, 6, 10), Colour.RED)],
)
def test_started_but_not_in_statistics(started, colour):
    light = project_light(facts(annual_plan=None, actual_start=started, in_statistics=False))
    assert light.colour == colour


def test_overdue_milestone_is_red_and_named():
    light = project_light(
        facts(
            milestones=[
                MilestoneFacts("主体结顶", date(2020, 7, 1), None),
                MilestoneFacts("开工", date(2020, 3, 1), date(2020, 3, 5)),
            ]
        )
    )
    assert light.colour == Colour.RED
    assert [r.params["name"] for r in light.reasons if r.rule == "milestone_overdue"] == ["主体结顶"]


def test_january_and_december_edges():
    assert project_light(facts(month=1, completed_ytd=D(100))).colour == Colour.GREEN
    assert project_light(facts(month=12, completed_ytd=D(1200))).colour == Colour.GREEN
    assert project_light(facts(month=12, completed_ytd=D(800))).colour == Colour.RED  # 33 points behind


def test_missing_report_is_said_without_changing_the_colour():
    light = project_light(facts(reported_months=frozenset({6, 7})))
    assert any(r.rule == "report_missing" for r in light.reasons)
    assert light.colour == Colour.GREEN


def test_thresholds_are_settings():
    strict = LightRules(yellow_points_behind=D(5), red_points_behind=D(8))
    assert project_light(facts(completed_ytd=D(700)), strict).colour == Colour.RED


def test_backward_schedule_lays_nodes_out_from_the_target():
    nodes = schedule.backward_schedule(date(2021, 6, 30), [("开工", 365), ("竣工", 30), ("投产", 0)])
    assert [(n.name, n.planned) for n in nodes] == [
        ("开工", date(2020, 6, 30)),
        ("竣工", date(2021, 5, 31)),
        ("投产", date(2021, 6, 30)),
    ]
