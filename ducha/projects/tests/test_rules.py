"""The stage-date rule, table-driven: the form, the import, the milestone view and project_save all call it."""

from datetime import date

import pytest

from ducha.projects.rules import (
    STARTS_PLANNED,
    STARTS_STARTED,
    reached_date_problem,
    stage_date_problems,
    start_counts,
    start_months,
)

TODAY = date(2020, 12, 1)
D = date


@pytest.mark.parametrize(
    ("dates", "fields"),
    [
        ({"started": (D(2020, 3, 1), D(2020, 3, 5)), "completed": (D(2021, 6, 1), None)}, []),
        ({"started": (D(2020, 3, 1), None), "completed": (D(2020, 2, 1), None)}, ["completed_planned"]),
        ({"started": (None, D(2020, 3, 5)), "completed": (None, D(2020, 3, 1))}, ["completed_actual"]),
        # an actual completion is judged against the planned start when the start has not happened yet
        ({"started": (D(2020, 3, 1), None), "production": (None, D(2020, 2, 1))}, ["production_actual"]),
        ({"started": (None, D(2020, 12, 2))}, ["started_actual"]),
        ({"signed": (None, D(2021, 1, 1)), "started": (D(2020, 1, 1), None)}, ["signed_actual"]),
        ({"completed": (D(2019, 1, 1), D(2019, 1, 1))}, []),  # no start given: nothing to compare with
    ],
)
def test_stage_dates(dates, fields):
    assert [p.field for p in stage_date_problems(dates, today=TODAY)] == fields


def test_a_project_in_the_statistics_needs_a_date_that_is_not_in_the_future():
    assert [p.field for p in stage_date_problems({}, today=TODAY, in_statistics=True)] == ["statistics_date"]
    assert not stage_date_problems({}, today=TODAY, in_statistics=True, check_statistics=False)
    future = stage_date_problems({}, today=TODAY, in_statistics=True, statistics_date=D(2021, 1, 1))
    assert [p.field for p in future] == ["statistics_date"]
    assert not stage_date_problems({}, today=TODAY, in_statistics=True, statistics_date=D(2020, 5, 1))


def test_a_node_cannot_be_reached_in_the_future():
    assert reached_date_problem(D(2020, 12, 1), today=TODAY) is None
    assert reached_date_problem(D(2020, 12, 2), today=TODAY)


@pytest.mark.parametrize(
    "planned, actual, months",
    [
        (date(2020, 4, 10), None, (4, None)),  # not started: planned from April's end on
        (date(2020, 4, 10), date(2020, 6, 2), (4, 6)),  # started late: started from June's end
        (date(2020, 4, 10), date(2020, 3, 1), (4, 4)),  # started early: counts when it counts as planned
        (date(2020, 4, 10), date(2019, 12, 28), (4, 4)),  # started the year before its plan
        (date(2020, 11, 30), date(2021, 1, 5), (11, None)),  # started after its plan's year
    ],
)
def test_a_planned_start_counts_toward_the_start_rate_from_its_months(planned, actual, months):
    assert start_months(planned, actual) == months


def test_start_counts_are_cumulative_per_unit_and_month():
    counts = start_counts([(1, date(2020, 4, 10), date(2020, 6, 2)), (1, date(2020, 5, 1), None)])
    assert [counts[1, 2020, m, STARTS_PLANNED] for m in (3, 4, 5, 12)] == [0, 1, 2, 2]
    assert [counts[1, 2020, m, STARTS_STARTED] for m in (5, 6, 12)] == [0, 1, 1]
