"""Stored period figures: each project's plan, completion, light and stage as of the end of every month, and
their sums per unit, written whenever what they follow changes and read by every page about a period.

The rules are the ledger's own (ducha.lib.schedule through `project_lights_for_period`'s facts, the stage as of
a day from ducha.projects.rules): this module only decides when they are computed and where they are kept.

- `figures_refresh(projects)`: after any write to projects, their reports, plans, stage dates or nodes, in the
  writer's transaction — their rows for every stored year and their units' sums. Every save and delete of
  those models calls it (signals, connected in apps.py), so a write that bypasses the services (the admin, a
  test's factory) cannot leave the figures behind; inside `deferred()` (the services, an import turn) the
  projects are only noted and refreshed once when the block ends, still in its transaction;
- `rollups_rebuild(years)`: everything again (`ducha rollups rebuild`), in chunks, for new rules or repairs.

Every project has a row for every month of every stored year (from the first year with a plan or a report to
the current year), so that a month's ledger is a plain join and its sorts use the table's indexes.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict, namedtuple
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import cast

from django.db import connections, router, transaction
from django.db.models import Count, Field, Max, Min, Sum

from ducha.lib import schedule
from ducha.lib.periods import Period
from ducha.units.models import Unit

from .choices import ReportStatus, Stage
from .models import (
    AnnualPlan,
    Milestone,
    PeriodFigures,
    ProgressReport,
    Project,
    StageDate,
    UnitPeriodFigures,
)
from .rules import node_slip_reasons, stage_as_of, start_counts

CHUNK = 500  # projects computed and written at a time: bounded memory, and IN lists far below SQLite's limit
UNIT_CHUNK = 50  # units summed at a time: a province's unit has a few thousand rows a year (chain segments)
RATIO_PLACES = Decimal("0.0001")
PROJECT_FIELDS = (
    "pk",
    "unit_id",
    "industry_id",
    "currency",
    "stage",
    "total_investment",
    "in_statistics",
    "statistics_date",
)


# ---------------------------------------------------------------- the rules applied to one project


def _facts_for(
    project: Project, period: Period, plans, reports, stage_dates, milestones
) -> schedule.ProjectFacts:
    year_reports = [r for r in reports if r.year == period.year and r.month <= period.month]
    latest = max(year_reports, key=lambda r: r.month, default=None)
    dates = {sd.stage: sd for sd in stage_dates}
    started = dates.get(Stage.STARTED)
    plan = plans.get(period.year)
    planned_start = (plan.planned_start if plan else None) or (started.planned_date if started else None)
    return schedule.ProjectFacts(
        year=period.year,
        month=period.month,
        annual_plan=plan.planned_investment if plan else None,
        completed_ytd=latest.investment_ytd if latest else (Decimal(0) if plan else None),
        planned_start=planned_start,
        actual_start=started.actual_date if started else None,
        # 纳统 as of the period: a project entered into the statistics after the period was not in them then.
        in_statistics=project.in_statistics
        and (project.statistics_date is None or project.statistics_date <= period.end),
        milestones=[schedule.MilestoneFacts(m.name, m.planned_date, m.actual_date) for m in milestones],
        reported_months=frozenset(r.month for r in year_reports),
    )


def _light(facts: schedule.ProjectFacts, rules: schedule.LightRules) -> schedule.Light:
    """The published light rules, plus the nodes that were reached: late this year, or after the month."""
    light = schedule.project_light(facts, rules)
    extra = node_slip_reasons(
        facts.milestones,
        as_of=schedule.month_end(facts.year, facts.month),
        overdue_colour=rules.overdue_milestone_colour,
    )
    if not extra:
        return light
    return replace(
        light,
        colour=schedule.worst([light.colour, *(r.colour for r in extra)]),
        reasons=light.reasons + tuple(extra),
    )


# The records as plain tuples with the model's attribute names: a model instance per row costs more than the
# rules themselves at 100,000 projects.
_Plan = namedtuple("_Plan", "year planned_investment planned_start")
_Report = namedtuple("_Report", "year month investment_ytd")
_StageDate = namedtuple("_StageDate", "stage planned_date actual_date")
_Milestone = namedtuple("_Milestone", "name planned_date actual_date")


class _Records:
    """Everything the rules read about a chunk of projects in some years, loaded in four queries."""

    def __init__(self, ids: Sequence[int], years: Iterable[int]):
        years = list(years)
        self.plans: dict[int, dict] = defaultdict(dict)
        plans = AnnualPlan.objects.filter(project_id__in=ids, year__in=years)
        for pk, *values in plans.values_list("project_id", *_Plan._fields):
            self.plans[pk][values[0]] = _Plan(*values)
        self.reports: dict[int, list] = defaultdict(list)
        reports = ProgressReport.objects.filter(project_id__in=ids, year__in=years).exclude(
            status=ReportStatus.DRAFT
        )
        for pk, *values in reports.values_list("project_id", *_Report._fields):
            self.reports[pk].append(_Report(*values))
        self.stage_dates: dict[int, list] = defaultdict(list)
        for pk, *values in StageDate.objects.filter(project_id__in=ids).values_list(
            "project_id", *_StageDate._fields
        ):
            self.stage_dates[pk].append(_StageDate(*values))
        self.milestones: dict[int, list] = defaultdict(list)
        milestones = Milestone.objects.filter(project_id__in=ids).order_by("planned_date", "order")
        for pk, *values in milestones.values_list("project_id", *_Milestone._fields):
            self.milestones[pk].append(_Milestone(*values))

    def facts(self, project: Project, period: Period) -> schedule.ProjectFacts:
        pk = project.pk
        return _facts_for(
            project, period, self.plans[pk], self.reports[pk], self.stage_dates[pk], self.milestones[pk]
        )


def project_lights_for_period(*, projects: list[Project], period: Period) -> dict[int, schedule.Light]:
    """Each project's light as of `period`, computed from what is recorded, without storing it
    (the stored figures hold the same; tests compare the two)."""
    from .selectors import light_rules

    rules = light_rules()
    result = {}
    for start in range(0, len(projects), CHUNK):
        chunk = projects[start : start + CHUNK]
        records = _Records([p.pk for p in chunk], [period.year])
        result.update({p.pk: _light(records.facts(p, period), rules) for p in chunk})
    return result


COLUMNS = (
    "project_id",
    "year",
    "month",
    "unit_id",
    "industry_id",
    "currency",
    "stage",
    "stage_at_end",
    "total_investment",
    "plan",
    "completed",
    "ratio",
    "has_ratio",
    "light",
    "light_reasons",
)


def _rows_for(project: Project, years: Iterable[int], records: _Records, rules) -> list[tuple]:
    """The project's rows (COLUMNS) for every month of `years`."""
    pk = project.pk
    actual = {sd.stage: sd.actual_date for sd in records.stage_dates[pk]}
    by_year: dict[int, list] = defaultdict(list)
    for report in records.reports[pk]:
        by_year[report.year].append(report)
    plans, stage_dates, milestones = records.plans[pk], records.stage_dates[pk], records.milestones[pk]
    own = (project.unit_id, project.industry_id, project.currency, project.stage)
    rows = []
    for year in years:
        for month in range(1, 13):
            period = Period(year, month)
            facts = _facts_for(project, period, plans, by_year[year], stage_dates, milestones)
            light = _light(facts, rules)
            plan = facts.annual_plan
            # The latest cumulative figure reported, none before the first report (not the rules' 0).
            completed = facts.completed_ytd if facts.reported_months else None
            ratio = (completed / plan).quantize(RATIO_PLACES) if completed is not None and plan else None
            rows.append(
                (
                    pk,
                    year,
                    month,
                    *own,
                    stage_as_of(project.stage, actual, period.end),
                    project.total_investment,
                    plan,
                    completed,
                    ratio,
                    ratio is not None,
                    str(light.colour),
                    [r.as_dict() for r in light.reasons],
                )
            )
    return rows


def _insert(rows: list[tuple]) -> None:
    """INSERT the rows in batches, values prepared for the database as Django would (JSON, decimals)."""
    fields = [cast(Field, PeriodFigures._meta.get_field(name)) for name in COLUMNS]
    table = PeriodFigures._meta.db_table
    connection = connections[router.db_for_write(PeriodFigures)]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True)]
                    for row in rows[start : start + 2000]
                ],
            )


# ---------------------------------------------------------------- which years are stored


def stored_years() -> range:
    """The years that have rows: from the first to the last year in the table (empty when nothing is stored).
    Two index seeks (SQLite reads the whole table for MIN and MAX in one statement)."""
    years = PeriodFigures.objects.order_by("year").values_list("year", flat=True)
    first = years.first()
    if first is None:
        return range(0)
    last = years.reverse().first()
    return range(first, (last or first) + 1)


def year_stored(year: int) -> bool:
    """Whether `year` has rows (one index seek): the pages' test before joining a month's rows."""
    return PeriodFigures.objects.filter(year=year).exists()


def _years_of(ids: Sequence[int] | None) -> set[int]:
    """The years in which projects (all when None) have a plan or a report."""
    years: set[int] = set()
    for model in (AnnualPlan, ProgressReport):
        rows = model.objects.all() if ids is None else model.objects.filter(project_id__in=ids)
        found = rows.aggregate(first=Min("year"), last=Max("year"))
        if found["first"] is not None:
            years.update(range(found["first"], found["last"] + 1))
    return years


def _span(years: Iterable[int]) -> range:
    years = set(years) | {Period.current().year}
    return range(min(years), max(years) + 1)


# ---------------------------------------------------------------- writing


def _write_projects(projects: Sequence[Project], years: Sequence[int], rules) -> set[int]:
    """Replace the rows of `projects` in `years`; returns the units whose sums must follow."""
    ids = [p.pk for p in projects]
    touched_units = set(
        PeriodFigures.objects.filter(project_id__in=ids, year__in=years)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    records = _Records(ids, years)
    rows = [row for project in projects for row in _rows_for(project, years, records, rules)]
    PeriodFigures.objects.filter(project_id__in=ids, year__in=years).delete()
    _insert(rows)
    return touched_units | {p.unit_id for p in projects}


def _sync_project_lights(projects: Sequence[Project], period: Period) -> int:
    """Project.light is the light of the current reporting month (the ledger's default filter and the API)."""
    stored = _month_lights([p.pk for p in projects], period)
    changed = []
    for project in projects:
        light, why = stored.get(project.pk, (None, []))
        if light is not None and (project.light != light or project.light_reasons != why):
            project.light, project.light_reasons = light, why
            changed.append(project)
    Project.objects.bulk_update(changed, ["light", "light_reasons"], batch_size=500)
    return len(changed)


def _month_lights(ids: Sequence[int], period: Period) -> dict[int, tuple[str, list]]:
    rows = PeriodFigures.objects.filter(project_id__in=ids, year=period.year, month=period.month)
    return {pk: (light, why) for pk, light, why in rows.values_list("project_id", "light", "light_reasons")}


# The columns each dimension groups by; the chain's from the project (see unit_figures_refresh).
CHAIN_COLUMNS = ("industry_id", "project__chain_position", "project__chain_segment")
GROUPINGS: dict[str, tuple[str, ...]] = {
    UnitPeriodFigures.Dimension.ALL: (),
    UnitPeriodFigures.Dimension.STAGE: ("stage",),
    UnitPeriodFigures.Dimension.STAGE_AT_END: ("stage_at_end",),
    UnitPeriodFigures.Dimension.LIGHT: ("light",),
    UnitPeriodFigures.Dimension.INDUSTRY: ("industry_id",),
    UnitPeriodFigures.Dimension.CHAIN: CHAIN_COLUMNS,
}


def chain_key(industry_id: int, position: str, segment: str) -> str:
    """The key of a chain segment's sums: the industry first, six digits wide, so that one industry's keys are
    one range of the index whatever the collation (`chain_key_range`); then the position and the segment."""
    return f"{industry_id:06d}|{position}|{segment}"


def chain_key_parts(key: str) -> tuple[int, str, str]:
    """(industry id, chain position, chain segment) of a chain key."""
    industry, position, segment = key.split("|", 2)
    return int(industry), position, segment


def chain_key_range(industry_id: int) -> tuple[str, str]:
    """The keys of one industry's segments lie in [low, high)."""
    return f"{industry_id:06d}", f"{industry_id + 1:06d}"


def _start_counts(units: Sequence[int], years: Sequence[int]) -> Counter:
    """The units' 开工率 counts in `years` (rules.start_counts), from one read of the starts planned then."""
    planned_in = StageDate.objects.filter(
        stage=Stage.STARTED,
        project__unit_id__in=units,
        planned_date__gte=date(min(years), 1, 1),
        planned_date__lte=date(max(years), 12, 31),
    )
    starts = planned_in.values_list("project__unit_id", "planned_date", "actual_date")
    return start_counts(starts)  # type: ignore[arg-type]  # planned_date in a range: never null


def unit_figures_refresh(*, units: Iterable[int], years: Iterable[int]) -> None:
    """Sum the units' PeriodFigures again in `years`, one aggregate query per dimension, and count their starts.

    The chain dimension sums the projects placed on an industry chain by industry, chain position and segment
    (read from the project: a change of either is a write of the project, which refreshes its unit). The starts
    (开工率) are counted from the stage dates: a change of one is a write of its project."""
    units, years = list(units), list(years)
    chain = UnitPeriodFigures.Dimension.CHAIN
    for start in range(0, len(units), UNIT_CHUNK):
        chunk = units[start : start + UNIT_CHUNK]
        UnitPeriodFigures.objects.filter(unit_id__in=chunk, year__in=years).delete()
        source = PeriodFigures.objects.filter(unit_id__in=chunk, year__in=years).order_by()
        rows = []
        for dimension, columns in GROUPINGS.items():
            grouped = source
            if dimension == chain:  # the projects placed on a chain of an industry
                grouped = source.filter(industry_id__isnull=False).exclude(project__chain_position="")
            for row in grouped.values("unit_id", "year", "month", "currency", *columns).annotate(
                n=Count("pk"), total=Sum("total_investment"), plan=Sum("plan"), done=Sum("completed")
            ):
                if dimension == chain:
                    key = chain_key(*(row[c] for c in columns))
                else:
                    key = row[columns[0]] if columns else ""
                rows.append(
                    UnitPeriodFigures(
                        unit_id=row["unit_id"],
                        year=row["year"],
                        month=row["month"],
                        dimension=dimension,
                        key="" if key is None else str(key),
                        currency=row["currency"],
                        projects=row["n"],
                        total_investment=row["total"] or 0,
                        plan=row["plan"] or 0,
                        completed=row["done"] or 0,
                    )
                )
        if years:
            rows.extend(
                UnitPeriodFigures(
                    unit_id=unit_id,
                    year=year,
                    month=month,
                    dimension=UnitPeriodFigures.Dimension.STARTS,
                    key=key,
                    currency="",
                    projects=n,
                    total_investment=0,
                    plan=0,
                    completed=0,
                )
                for (unit_id, year, month, key), n in _start_counts(chunk, years).items()
            )
        UnitPeriodFigures.objects.bulk_create(rows, batch_size=500)


_pending = threading.local()  # projects and units noted inside deferred(), per thread


@contextmanager
def deferred() -> Iterator[None]:
    """Note the projects written inside the block and refresh their figures once at its end (one refresh for
    a project saved with its dates, plans and capacities). Nested blocks join the outermost one; nothing is
    refreshed when the block fails (its transaction is rolled back anyway)."""
    if getattr(_pending, "projects", None) is not None:
        yield
        return
    _pending.projects, _pending.units = set(), set()
    try:
        yield
        projects, units = _pending.projects, _pending.units
    finally:
        _pending.projects = _pending.units = None
    if projects or units:
        _refresh_now(projects, units)  # the refresh's own writes (bulk, figures only) send no signals


def _refresh_now(project_ids: set[int], units: set[int]) -> None:
    # Only their ids: figures_refresh reads the projects as stored itself.
    existing = list(Project.objects.filter(pk__in=project_ids).only("pk")) if project_ids else []
    with transaction.atomic():
        if existing:
            figures_refresh(projects=existing)
        if units:  # units that lost a project (deleted or moved)
            unit_figures_refresh(units=units, years=stored_years())


def project_written(project_id: int | None, *, unit_id: int | None = None) -> None:
    """A project (or a row of it) was saved or deleted: refresh its figures now, or at the end of deferred()."""
    if getattr(_pending, "projects", None) is not None:
        if project_id is not None:
            _pending.projects.add(project_id)
        if unit_id is not None:
            _pending.units.add(unit_id)
        return
    _refresh_now({project_id} if project_id is not None else set(), {unit_id} if unit_id else set())


def on_project_row_saved(sender, instance, raw=False, **kwargs) -> None:
    """post_save / post_delete of a project's own rows (signals connected in apps.py)."""
    if not raw and instance.project_id not in _deleting():
        project_written(instance.project_id)


def on_project_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        project_written(instance.pk)


def on_project_deleting(sender, instance, **kwargs) -> None:
    """pre_delete: the rows deleted with the project (cascade) must not bring its figures back."""
    _deleting().add(instance.pk)


def on_project_deleted(sender, instance, **kwargs) -> None:
    _deleting().discard(instance.pk)
    project_written(None, unit_id=instance.unit_id)


def _deleting() -> set[int]:
    if getattr(_pending, "deleting", None) is None:
        _pending.deleting = set()
    return _pending.deleting


def figures_refresh(*, projects: Iterable[Project] | None = None, period: Period | None = None) -> int:
    """Recompute and store the figures of `projects` (all by default) for every stored year and the years of
    their own records, with their units' sums, and keep Project.light at the current month's light (or at
    `period`'s), on the given instances too. Runs in the caller's transaction (or its own); returns how many
    stored lights changed.

    When the projects' records reach a year not stored yet (a plan for next year), every project gets that
    year's rows, so that every month's ledger lists every project.
    """
    from .selectors import light_rules

    if projects is not None and period is None and getattr(_pending, "projects", None) is not None:
        _pending.projects.update(p.pk for p in projects)  # refreshed when the deferred() block ends
        return 0
    period = period or Period.current()
    with transaction.atomic():
        if projects is None:
            return rollups_rebuild(years=None, period=period)
        given = list(projects)
        ids = [p.pk for p in given]
        if not ids:
            return 0
        stored = stored_years()
        years = _span(set(stored) | _years_of(ids))
        new_years = [y for y in years if y not in stored]
        if new_years and (stored or Project.objects.exclude(pk__in=ids).exists()):
            # The other projects get the new years too (the invariant above).
            rollups_rebuild(years=new_years if stored else years, period=period)
        rules = light_rules()
        units: set[int] = set()
        changed = 0
        for start in range(0, len(ids), CHUNK):
            chunk = _stored_projects(ids[start : start + CHUNK])
            units |= _write_projects(chunk, list(years), rules)
            changed += _sync_project_lights(chunk, period)
        unit_figures_refresh(units=units, years=years)
    lights = _month_lights(ids, period) if len(ids) <= CHUNK else {}
    for project in given:  # the caller's instances read as stored
        if project.pk in lights:
            project.light, project.light_reasons = lights[project.pk]
    return changed


def _stored_projects(ids: Sequence[int]) -> list[Project]:
    """The projects as stored now (a caller may hold an instance from before its own write)."""
    return list(Project.objects.filter(pk__in=ids).only(*PROJECT_FIELDS, "light", "light_reasons"))


def progress_on_stderr() -> Callable[[int, int], None]:
    """A `progress` for rollups_rebuild on the command line: "12000/100149 projects (35 s)"."""
    import sys
    import time

    began = time.monotonic()

    def report(done: int, total: int) -> None:
        sys.stderr.write(f"\r{done}/{total} projects ({time.monotonic() - began:.0f} s)")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return report


def rollups_rebuild(
    *,
    years: Iterable[int] | None = None,
    period: Period | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute every project's figures in `years` (all years with records up to the current one by default)
    and every unit's sums, in chunks of CHUNK projects; returns how many stored lights changed."""
    from .selectors import light_rules

    period = period or Period.current()
    rules = light_rules()
    years = sorted(years) if years is not None else list(_span(_years_of(None)))
    ids = list(Project.objects.order_by("pk").values_list("pk", flat=True))
    changed = 0
    with transaction.atomic():
        if set(years) >= set(stored_years()):
            PeriodFigures.objects.all().delete()
            UnitPeriodFigures.objects.all().delete()
        for start in range(0, len(ids), CHUNK):
            chunk = _stored_projects(ids[start : start + CHUNK])
            _write_projects(chunk, years, rules)
            if period.year in years:
                changed += _sync_project_lights(chunk, period)
            if progress:
                progress(min(start + CHUNK, len(ids)), len(ids))
        units = list(Unit.objects.values_list("pk", flat=True))
        unit_figures_refresh(units=units, years=years)
    # Project too: the lights it rewrote leave the ledger's index-only counts reading the heap (131,000 fetches
    # for a district's 97,000 projects on PostgreSQL, 84 ms) until a VACUUM.
    _analyze(PeriodFigures, UnitPeriodFigures, *([Project] if changed else []))
    return changed


def _analyze(*models) -> None:
    """Fresh planner statistics after rewriting millions of rows (without them PostgreSQL may scan a whole
    table for a month's sums)."""
    connection = connections[router.db_for_write(PeriodFigures)]
    if connection.in_atomic_block and connection.vendor == "sqlite":
        return  # SQLite's ANALYZE inside the caller's transaction would hold the write lock longer; run later
    # PostgreSQL outside a transaction: VACUUM too, so that index-only scans of the covering indexes (the unit
    # sums, the chain map) skip the heap at once instead of after autovacuum has passed.
    command = (
        "VACUUM ANALYZE"
        if connection.vendor == "postgresql" and not connection.in_atomic_block
        else "ANALYZE"
    )
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
