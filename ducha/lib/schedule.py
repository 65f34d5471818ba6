"""Schedule rules: 序时进度, completion ratios and the project lights (亮灯).

Pure functions without the ORM: the ledger, the cockpit, the bulletin and the
evaluation all call these, so a rule changes in exactly one place.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

HUNDRED = Decimal(100)


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


_SEVERITY = {Colour.GREEN: 0, Colour.YELLOW: 1, Colour.RED: 2}


def worst(colours: Iterable[Colour]) -> Colour:
    return max(colours, key=_SEVERITY.__getitem__, default=Colour.GREEN)


def month_index(d: date) -> int:
    """Months since year 0, so that differences of two dates count calendar months."""
    return d.year * 12 + d.month - 1


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier`'s month to `later`'s month (negative if later is earlier)."""
    return month_index(later) - month_index(earlier)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# ---------------------------------------------------------------- 序时进度


def schedule_ratio_for_month(month: int, *, start_month: int = 1) -> Decimal:
    """序时进度 at the end of `month`: elapsed months ÷ months in the plan.

    A plan that starts in `start_month` (a project starting mid-year) only counts
    the months from its start: started in July, at the end of August it is 2/6.
    """
    if not 1 <= month <= 12 or not 1 <= start_month <= 12:
        raise ValueError("month must be 1..12")
    elapsed = max(0, month - start_month + 1)
    return Decimal(elapsed) / Decimal(12 - start_month + 1)


def schedule_ratio_for_date(d: date) -> Decimal:
    """序时进度 on any day: whole months elapsed plus the elapsed share of this month.

    The last day of August gives exactly 8/12; leap years are handled by the month's length.
    """
    days_in_month = calendar.monthrange(d.year, d.month)[1]
    return (Decimal(d.month - 1) + Decimal(d.day) / Decimal(days_in_month)) / Decimal(12)


def completion_ratio(completed: Decimal | None, planned: Decimal | None) -> Decimal | None:
    """Completed ÷ planned, or None when there is no plan to measure against (a zero plan)."""
    if planned is None or planned <= 0:
        return None
    return (completed or Decimal(0)) / planned


def points_behind(ratio: Decimal | None, schedule: Decimal) -> Decimal | None:
    """Percentage points behind 序时 (negative when ahead, 超序时)."""
    if ratio is None:
        return None
    return (schedule - ratio) * HUNDRED


@dataclass(frozen=True)
class Completion:
    planned: Decimal
    completed: Decimal
    ratio: Decimal | None
    schedule: Decimal
    points_behind: Decimal | None

    @property
    def ahead(self) -> bool:
        return self.points_behind is not None and self.points_behind <= 0


def completion_against_schedule(completed: Decimal, planned: Decimal, schedule: Decimal) -> Completion:
    ratio = completion_ratio(completed, planned)
    return Completion(planned, completed, ratio, schedule, points_behind(ratio, schedule))


def unit_completion(pairs: Iterable[tuple[Decimal, Decimal]], schedule: Decimal) -> Completion:
    """A unit's completion: the sum of its projects' completed over the sum of their plans."""
    completed = planned = Decimal(0)
    for done, plan in pairs:
        completed += done or 0
        planned += plan or 0
    return completion_against_schedule(completed, planned, schedule)


# ---------------------------------------------------------------- lights


@dataclass(frozen=True)
class LightRules:
    """One district's published light rules. Every threshold is a setting."""

    yellow_points_behind: Decimal = Decimal(10)
    red_points_behind: Decimal = Decimal(30)
    start_late_yellow_months: int = 1
    start_late_red_months: int = 3
    unstatisticised_yellow_months: int = 1
    unstatisticised_red_months: int = 2
    overdue_milestone_colour: Colour = Colour.RED


@dataclass(frozen=True)
class MilestoneFacts:
    name: str
    planned: date | None
    actual: date | None


@dataclass(frozen=True)
class ProjectFacts:
    """What the light rules need to know about one project in one reporting month."""

    year: int
    month: int
    annual_plan: Decimal | None = None
    completed_ytd: Decimal | None = None
    planned_start: date | None = None
    actual_start: date | None = None
    in_statistics: bool = False
    milestones: Sequence[MilestoneFacts] = ()
    reported_months: frozenset[int] = frozenset()


@dataclass(frozen=True)
class LightReason:
    rule: str
    colour: Colour
    params: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"rule": self.rule, "colour": str(self.colour), "params": self.params}


@dataclass(frozen=True)
class Light:
    colour: Colour
    reasons: tuple[LightReason, ...]
    schedule: Decimal
    ratio: Decimal | None


def _months_late_colour(months: int, yellow: int, red: int) -> Colour:
    if months >= red:
        return Colour.RED
    if months >= yellow:
        return Colour.YELLOW
    return Colour.GREEN


def project_light(facts: ProjectFacts, rules: LightRules = LightRules()) -> Light:
    """The light for a project at the end of reporting month (facts.year, facts.month).

    Each rule that fires adds a reason; the light is the worst colour among them.
    """
    as_of = month_end(facts.year, facts.month)
    reasons: list[LightReason] = []

    # Investment against 序时; a project planned to start later in the year counts from its start.
    start_month = 1
    if facts.planned_start and facts.planned_start.year == facts.year:
        start_month = facts.planned_start.month
    schedule = schedule_ratio_for_month(facts.month, start_month=start_month)
    ratio = completion_ratio(facts.completed_ytd, facts.annual_plan)
    behind = points_behind(ratio, schedule)
    if behind is not None:
        if behind > rules.red_points_behind:
            colour = Colour.RED
        elif behind >= rules.yellow_points_behind:
            colour = Colour.YELLOW
        else:
            colour = Colour.GREEN
        if colour is not Colour.GREEN:
            reasons.append(LightReason("behind_schedule", colour, {"points": f"{behind:.1f}"}))

    # A missed planned start month.
    if facts.planned_start and not (facts.actual_start and facts.actual_start <= as_of):
        late = months_between(facts.planned_start, as_of)
        colour = _months_late_colour(late, rules.start_late_yellow_months, rules.start_late_red_months)
        if colour is not Colour.GREEN:
            reasons.append(LightReason("start_late", colour, {"months": late}))

    # Started but not yet in the official statistics (入库纳统).
    if facts.actual_start and facts.actual_start <= as_of and not facts.in_statistics:
        late = months_between(facts.actual_start, as_of)
        colour = _months_late_colour(
            late, rules.unstatisticised_yellow_months, rules.unstatisticised_red_months
        )
        if colour is not Colour.GREEN:
            reasons.append(LightReason("not_in_statistics", colour, {"months": late}))

    for milestone in facts.milestones:
        if milestone.planned and milestone.planned < as_of and not milestone.actual:
            reasons.append(
                LightReason(
                    "milestone_overdue",
                    rules.overdue_milestone_colour,
                    {"name": milestone.name, "planned": milestone.planned.isoformat()},
                )
            )

    # A month without a report is said, though the carried-forward figure already shows the lag.
    if facts.reported_months and facts.month not in facts.reported_months:
        reasons.append(LightReason("report_missing", Colour.GREEN, {"month": facts.month}))

    return Light(worst(r.colour for r in reasons), tuple(reasons), schedule, ratio)


# ---------------------------------------------------------------- backward scheduling (倒排工期)


@dataclass(frozen=True)
class PlannedNode:
    name: str
    order: int
    planned: date


def backward_schedule(target: date, steps: Sequence[tuple[str, int]]) -> list[PlannedNode]:
    """Lay a project's nodes out backwards from its target date.

    `steps` are (node name, days before the target), as in the district's template:
    the last node usually has 0 days and lands on the target itself.
    """
    nodes = [PlannedNode(name, i, target - timedelta(days=days)) for i, (name, days) in enumerate(steps)]
    return sorted(nodes, key=lambda n: (n.planned, n.order))
