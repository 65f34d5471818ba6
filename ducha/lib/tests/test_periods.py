from datetime import date
from decimal import Decimal

import pytest

from ducha.lib.periods import Period


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2020, 12, 5), Period(2020, 11)),
        (date(2021, 1, 3), Period(2020, 12)),
        (date(2020, 2, 29), Period(2020, 1)),
    ],
)
def test_the_period_just_ended_is_last_month(today, expected):
    assert Period.just_ended(today) == expected


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        ("2020", "11", Period(2020, 11)),
        (2020, 1, Period(2020, 1)),
        ("2020", "13", None),
        ("1999", "5", None),
        ("abc", "5", None),
        (None, "5", None),
        ("2020", "", None),
    ],
)
def test_periods_are_parsed_from_what_people_type(year, month, expected):
    assert Period.parse(year, month) == expected


def test_a_period_knows_its_label_schedule_and_end():
    period = Period(2020, 8)
    assert (period.label, period.months, str(period)) == ("2020年1-8月", "1-8月", "2020年1-8月")
    assert Period(2020, 1).label == "2020年1月"
    assert period.schedule_ratio == Decimal(8) / Decimal(12)
    assert period.end == date(2020, 8, 31)
    year, month = period
    assert (year, month) == (2020, 8)
    assert Period(2020, 3) < Period(2020, 11) < Period(2021, 1)


def test_an_impossible_period_is_refused():
    with pytest.raises(ValueError):
        Period(2020, 0)


@pytest.mark.parametrize(
    ("today", "current"),
    [
        (date(2020, 12, 5), Period(2020, 10)),
        (date(2020, 12, 6), Period(2020, 11)),
        (date(2021, 1, 5), Period(2020, 11)),
        (date(2021, 1, 6), Period(2020, 12)),
        (date(2021, 2, 1), Period(2020, 12)),
    ],
)
def test_current_period_is_the_last_month_whose_deadline_has_passed(today, current):
    assert Period.current(today) == current


def test_the_deadline_day_is_a_setting(settings):
    settings.DUCHA_REPORTING_DEADLINE_DAY = 10
    assert Period(2020, 11).reporting_deadline == date(2020, 12, 10)
    assert Period.current(date(2020, 12, 8)) == Period(2020, 10)


def test_the_business_date_can_be_pinned_for_a_demo(settings):
    settings.DUCHA_TODAY = "2020-12-20"
    assert Period.current() == Period(2020, 11)


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        ("2019", "7", Period(2019, 7)),
        ("2019", None, Period(2019, 12)),
        ("2020", "", Period(2020, 10)),
        (None, None, Period(2020, 10)),
        ("abc", "3", Period(2020, 10)),
        ("2020", "13", Period(2020, 10)),
    ],
)
def test_a_page_period_from_its_parameters(year, month, expected):
    assert Period.from_params(year, month, today=date(2020, 11, 20)) == expected
