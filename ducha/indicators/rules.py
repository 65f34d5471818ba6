"""Indicator rules: completion, 序时 comparison, 同比, net increase, ranking, display.

Pure functions without the ORM; the indicator table, the evaluation and the bulletin call them.
All ratios are returned in percent (Decimal), None when there is nothing to compare with.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from ducha.lib.quantities import CURRENCY_SUFFIX, format_amount, parse_figure
from ducha.lib.schedule import schedule_ratio_for_month

HUNDRED = Decimal(100)


def completion_rate(value: Decimal | None, target: Decimal | None) -> Decimal | None:
    """Completion of the annual target in percent: value ÷ target × 100."""
    if value is None or target is None or target <= 0:
        return None
    return value / target * HUNDRED


def schedule_percent(month: int) -> Decimal:
    """序时进度 at the end of `month` in percent (end of March: 25)."""
    return schedule_ratio_for_month(month) * HUNDRED


def schedule_gap(completion: Decimal | None, month: int) -> Decimal | None:
    """Percentage points ahead of 序时 (negative when behind): completion % − month ÷ 12 × 100."""
    if completion is None:
        return None
    return completion - schedule_percent(month)


def yoy_growth(value: Decimal | None, last_year: Decimal | None) -> Decimal | None:
    """同比 growth in percent: (value − last year's same period) ÷ |last year| × 100."""
    if value is None or last_year is None or last_year == 0:
        return None
    return (value - last_year) / abs(last_year) * HUNDRED


def net_increase(value: Decimal | None, last_year: Decimal | None) -> Decimal | None:
    """净增: value − last year's same period."""
    if value is None or last_year is None:
        return None
    return value - last_year


def rank(
    values: Mapping[Hashable, Decimal | None], *, higher_is_better: bool = True
) -> dict[Hashable, int | None]:
    """Competition ranking (1, 2, 2, 4): equal values share a place; missing values get no place."""
    present = [(key, v) for key, v in values.items() if v is not None]
    present.sort(key=lambda kv: kv[1], reverse=higher_is_better)
    places: dict[Hashable, int | None] = dict.fromkeys(values)
    previous: Decimal | None = None
    place = 0
    for position, (key, v) in enumerate(present, start=1):
        if v != previous:
            place = position
            previous = v
        places[key] = place
    return places


def cumulative_drop(previous: Decimal | None, value: Decimal) -> bool:
    """A cumulative (year-to-date) figure must not fall below last month's."""
    return previous is not None and value < previous


# ---------------------------------------------------------------- display


def format_measure(value: Decimal | None, measure: str) -> str:
    """32171000000 元 → "321.71亿元"; 30500000 美元 → "3,050万美元"; 456 家 → "456家"; 12.5 % → "12.5%"."""
    from .choices import MEASURE_SUFFIX

    return format_amount(value, MEASURE_SUFFIX.get(measure, ""))


def format_percent(value: Decimal | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    text = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"
    return f"+{text}" if signed and value > 0 else text


@dataclass(frozen=True)
class Derived:
    """Everything the table shows about one value."""

    value: Decimal | None
    last_year: Decimal | None
    target: Decimal | None
    completion: Decimal | None
    gap: Decimal | None
    growth: Decimal | None
    increase: Decimal | None

    @property
    def ahead(self) -> bool | None:
        return None if self.gap is None else self.gap >= 0


def derive(
    *, value: Decimal | None, last_year: Decimal | None, target: Decimal | None, month: int, cumulative: bool
) -> Derived:
    """The derived figures of one value; 序时 applies only to cumulative indicators."""
    completion = completion_rate(value, target)
    gap = schedule_gap(completion, month) if cumulative else None
    return Derived(
        value,
        last_year,
        target,
        completion,
        gap,
        yoy_growth(value, last_year),
        net_increase(value, last_year),
    )


class WrongUnit(ValueError):
    """A figure written in another unit than its indicator's; the message is for the user."""


def parse_amount(text: str | int | float | Decimal | None, measure: str | None = None) -> Decimal | None:
    """A figure as people type it: "32171000000", "321.71亿", "一亿二千万元", "5万头", 456 → Decimal in base units.

    A unit written with the figure must be the indicator's (`measure`): "1.5亿港币" is refused for a
    figure kept in 元. Empty gives None; anything else raises ValueError with a readable message.
    """
    from .choices import MEASURE_SUFFIX, MEASURE_UNIT

    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    value, unit = parse_figure(text)
    if unit is not None and measure is not None and unit != MEASURE_UNIT.get(measure):
        written = CURRENCY_SUFFIX.get(unit, unit)
        raise WrongUnit(
            _("“%(text)s” is written in %(written)s; this indicator is kept in %(unit)s.")
            % {"text": text, "written": written, "unit": MEASURE_SUFFIX.get(measure, "")}
        )
    return value
