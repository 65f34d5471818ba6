"""Project rules that do not need the database: the stage-date rule.

The project form, the ledger import, the milestone view and the API all call `stage_date_problems`,
so a date is judged the same way wherever it is typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from .choices import Stage

# The stages whose planned and actual dates people type (谋划 has none; 达产 follows 投产).
DATED_STAGES = (Stage.SIGNED, Stage.STARTED, Stage.COMPLETED, Stage.PRODUCTION)
# Stages that cannot come before the start (开工).
AFTER_START = (Stage.COMPLETED, Stage.PRODUCTION)

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

    - 竣工 and 投产 cannot be before the start: a planned date against the planned start (or the actual
      one when no plan is given), an actual date against the actual start (or the planned one);
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
