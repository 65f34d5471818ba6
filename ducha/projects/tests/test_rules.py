"""The stage-date rule, table-driven: the form, the import, the milestone view and project_save all call it."""

from datetime import date

import pytest

from ducha.projects.rules import reached_date_problem, stage_date_problems

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
