"""Project rules that do not need the database: the stage-date rule and the slip of a date against its plan.

The project form, the ledger import, the milestone view and the API all call `stage_date_problems`,
so a date is judged the same way wherever it is typed; the project page and the lights call `slip_days`
and `node_slip_reasons`, so a node reached late is counted the same way wherever it is shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ducha.lib import schedule

from .choices import STAGE_ORDER, Stage

# The stages whose planned and actual dates people type (谋划 has none).
DATED_STAGES = (Stage.SIGNED, Stage.STARTED, Stage.COMPLETED, Stage.PRODUCTION, Stage.FULL_PRODUCTION)
# Stages that cannot come before the start (开工).
AFTER_START = (Stage.COMPLETED, Stage.PRODUCTION, Stage.FULL_PRODUCTION)
# 达产 cannot come before 投产.
AFTER_PRODUCTION = (Stage.FULL_PRODUCTION,)
# A node reached late counts in the light in the year it was reached (the overdue node itself is red).
LATE_NODE_COLOUR = schedule.Colour.YELLOW
# How the light reason reads (ducha/core/templatetags/ducha.py light_reason); kept here for the catalog.
LATE_NODE_REASON = gettext_noop("Node %(name)s reached %(days)s days late (planned %(planned)s)")

StageDates = Mapping[str, tuple[date | None, date | None]]  # stage → (planned, actual)


@dataclass(frozen=True)
class DateProblem:
    field: str  # "completed_actual", "statistics_date" …: the form field and import column it concerns
    message: str
    value: date


def stage_date_problems(
    dates: StageDates,
    *,
    today: date,
    in_statistics: bool = False,
    statistics_date: date | None = None,
    check_statistics: bool = True,
) -> list[DateProblem]:
    """Everything wrong with a project's stage dates; an empty list when they are consistent.

    - 竣工, 投产 and 达产 cannot be before the start: a planned date against the planned start (or the actual
      one when no plan is given), an actual date against the actual start (or the planned one);
    - 达产 cannot be before 投产, in the same way;
    - an actual date (a stage reached, a node reached) cannot be in the future;
    - a project in the statistics (入库纳统) needs the date it entered them, not in the future.
    """
    problems = []
    start_planned, start_actual = dates.get(Stage.STARTED, (None, None))
    for stage in AFTER_START:
        for position, kind in enumerate(("planned", "actual")):
            value = dates.get(stage, (None, None))[position]
            own_start = (start_planned, start_actual)[position]
            start = own_start or start_actual or start_planned
            if value and start and value < start:
                message = _("This date is before the start date (%(start)s).") % {"start": start}
                problems.append(DateProblem(f"{stage}_{kind}", message, value))
    production_planned, production_actual = dates.get(Stage.PRODUCTION, (None, None))
    for stage in AFTER_PRODUCTION:
        for position, kind in enumerate(("planned", "actual")):
            value = dates.get(stage, (None, None))[position]
            own = (production_planned, production_actual)[position]
            production = own or production_actual or production_planned
            if value and production and value < production:
                message = _("This date is before the production date (%(date)s).") % {"date": production}
                problems.append(DateProblem(f"{stage}_{kind}", message, value))
    for name, (_planned, actual) in dates.items():
        if actual and actual > today:
            problems.append(
                DateProblem(f"{name}_actual", _("An actual date cannot be in the future."), actual)
            )
    if check_statistics and in_statistics and not statistics_date:
        problems.append(
            DateProblem("statistics_date", _("Give the date the project entered the statistics."), today)
        )
    if statistics_date and statistics_date > today:
        problems.append(
            DateProblem("statistics_date", _("The statistics date cannot be in the future."), statistics_date)
        )
    return problems


def reached_date_problem(reached: date, *, today: date) -> str | None:
    """A milestone (节点) reached on `reached`: the same rule as an actual stage date."""
    problems = stage_date_problems({"node": (None, reached)}, today=today)
    return problems[0].message if problems else None


def slip_days(planned: date | None, actual: date | None) -> int | None:
    """Days a stage or node was reached after its plan (negative: early); None until both dates are known."""
    if planned is None or actual is None:
        return None
    return (actual - planned).days


def node_slip_reasons(
    milestones: Iterable[schedule.MilestoneFacts],
    *,
    as_of: date,
    overdue_colour: schedule.Colour = schedule.Colour.RED,
) -> list[schedule.LightReason]:
    """What the light rules add for nodes that have been reached, as of the end of a reporting month.

    - a node reached after `as_of` but planned before it was still overdue then (a bulletin of an earlier
      month shows that month's light): `milestone_overdue`;
    - a node reached late in `as_of`'s year counts, with its days late: `milestone_late`, yellow.
    Nodes not reached at all are the overdue rule of ducha.lib.schedule.project_light.
    """
    reasons = []
    params: dict[str, str | int]
    for node in milestones:
        if not (node.planned and node.actual):
            continue
        if node.actual > as_of:
            if node.planned < as_of:
                params = {"name": node.name, "planned": node.planned.isoformat()}
                reasons.append(schedule.LightReason("milestone_overdue", overdue_colour, params))
            continue
        days = slip_days(node.planned, node.actual)
        if days and days > 0 and node.actual.year == as_of.year:
            params = {"name": node.name, "planned": node.planned.isoformat(), "days": days}
            reasons.append(schedule.LightReason("milestone_late", LATE_NODE_COLOUR, params))
    return reasons


STAGES = tuple(Stage.values)  # in order; read once (the stored figures ask for every project and month)


def stage_as_of(current: str, actual_dates: Mapping[str, date | None], day: date) -> str:
    """The stage a project had reached on `day`, from its stage today and the actual dates of its stages.

    A stage counts as reached by `day` when its actual date is on or before it; a stage without an actual date
    (谋划, 达产, or one nobody dated) when no stage up to it was reached after `day`. A project 竣工 on
    15 September is 开工 in the 1-6月 bulletin. Stages beyond today's stage are never counted.
    """
    reached = Stage.PLANNING.value
    later_before = False  # some stage up to this one was reached only after `day`
    for stage in STAGES:
        if STAGE_ORDER[stage] > STAGE_ORDER.get(current, 0):
            break
        actual = actual_dates.get(stage)
        if actual is not None and actual > day:
            later_before = True
        if (actual is not None and actual <= day) or (actual is None and not later_before):
            reached = stage
    return reached


# --- 开工率 --------------------------------------------------------------------------------------------


STARTS_PLANNED, STARTS_STARTED = "planned", "started"


def start_months(planned: date, actual: date | None) -> tuple[int, int | None]:
    """开工率 (the cockpit's, the bulletin's, the evaluation's) counts, at a period's end, the starts planned
    between 1 January and that day, and of those the ones started by then. For one planned start: the first
    month of its plan's year from whose end it counts as planned (its own month), and the first from whose end
    it counts as started (None: not in that year). `selectors.start_dates_by` is the same rule as a query."""
    if actual is None or actual.year > planned.year:
        return planned.month, None
    return planned.month, planned.month if actual.year < planned.year else max(planned.month, actual.month)


def start_counts(starts: Iterable[tuple[int, date, date | None]]) -> Counter:
    """(unit, year, month, STARTS_PLANNED or STARTS_STARTED) → how many of the starts (unit, planned date,
    actual date) count so at the month's end: the units' stored 开工率 counts."""
    counts: Counter = Counter()
    for unit_id, planned, actual in starts:
        planned_from, started_from = start_months(planned, actual)
        for month in range(planned_from, 13):
            counts[unit_id, planned.year, month, STARTS_PLANNED] += 1
        for month in range(started_from or 13, 13):
            counts[unit_id, planned.year, month, STARTS_STARTED] += 1
    return counts


# --- location ------------------------------------------------------------------------------------------

COORDINATE_SYSTEMS = ("wgs84", "gcj02")  # GPS and Tianditu; Amap and Tencent (China's offset coordinates)


def stored_point(lon: float, lat: float, system: str = "wgs84") -> tuple[Decimal, Decimal]:
    """A project's point as stored: WGS-84 degrees to six decimals (about 0.1 m). The project form, the ledger
    import, the API and the demo all store their points through here."""
    from ducha.lib.geo import gcj02_to_wgs84

    if system not in COORDINATE_SYSTEMS:
        raise ValueError(system)
    if system == "gcj02":
        lon, lat = gcj02_to_wgs84(lon, lat)
    step = Decimal("0.000001")
    return Decimal(repr(lon)).quantize(step), Decimal(repr(lat)).quantize(step)
