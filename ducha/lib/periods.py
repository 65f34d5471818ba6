"""The reporting period: a month of a year, whose figures are cumulative from January (1-11月).

The one notion of a period for projects, indicators, evaluation, the cockpit, bulletins and the API.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from . import schedule

FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True, order=True)
class Period:
    """January to `month` of `year`."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (FIRST_YEAR <= self.year <= LAST_YEAR and 1 <= self.month <= 12):
            raise ValueError(f"not a reporting period: {self.year}-{self.month}")

    @classmethod
    def just_ended(cls, today: date) -> Period:
        """The month whose figures are reported now: the month just ended (in January, last December)."""
        return cls(today.year, today.month - 1) if today.month > 1 else cls(today.year - 1, 12)

    @classmethod
    def current(cls, today: date | None = None) -> Period:
        """The current reporting month: the last month whose reporting deadline has passed.

        With reports due by the 5th, on 5 December that is still October and on 6 December November: a month
        only becomes the default once every unit has had until its deadline to report it.
        """
        from . import clock

        today = today or clock.today()
        period = cls.just_ended(today)
        return period if period.reporting_deadline < today else period.previous

    @classmethod
    def from_params(cls, year: object, month: object, *, today: date | None = None) -> Period:
        """The period a page was asked for (?year=&month=): both valid → that month; a past year alone → its
        whole year (1-12月); anything else (nothing, this year alone, bad values) → the current reporting month."""
        if asked := cls.parse(year, month):
            return asked
        current = cls.current(today)
        if (whole_year := cls.parse(year, 12)) and whole_year < current:
            return whole_year
        return current

    @property
    def previous(self) -> Period:
        return Period(self.year, self.month - 1) if self.month > 1 else Period(self.year - 1, 12)

    @property
    def reporting_deadline(self) -> date:
        """The day by which the month's reports are due (DUCHA_REPORTING_DEADLINE_DAY of the next month)."""
        from django.conf import settings

        day = min(max(int(getattr(settings, "DUCHA_REPORTING_DEADLINE_DAY", 5)), 1), 28)
        after = self.end + timedelta(days=1)
        return after.replace(day=day)

    @classmethod
    def parse(cls, year: object, month: object) -> Period | None:
        """?year=&month= as typed; None when either is missing, not a number or out of range."""
        try:
            return cls(int(str(year)), int(str(month)))
        except (TypeError, ValueError):
            return None

    @property
    def schedule_ratio(self) -> Decimal:
        """序时进度 at the end of the period: elapsed months ÷ 12."""
        return schedule.schedule_ratio_for_month(self.month)

    @property
    def end(self) -> date:
        return schedule.month_end(self.year, self.month)

    @property
    def months(self) -> str:
        """ "1-11月", "1月": the period without its year, as statistics write it."""
        return f"1-{self.month}月" if self.month > 1 else "1月"

    @property
    def label(self) -> str:
        """ "2020年1-11月"."""
        return f"{self.year}年{self.months}"

    def __str__(self) -> str:
        return self.label

    def __iter__(self) -> Iterator[int]:
        """year, month = period."""
        return iter((self.year, self.month))
