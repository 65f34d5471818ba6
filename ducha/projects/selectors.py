"""Reads of the project ledger. Views load projects only through these."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import Range
from django.http import Http404

from ducha.accounts.access import can_write_unit, project_scope
from ducha.lib import schedule
from ducha.lib.money import to_cny
from ducha.lib.periods import Period
from ducha.units.models import Unit

from .choices import Stage
from .models import (
    Industry,
    LightSettings,
    PeriodFigures,
    ProgressReport,
    Project,
    StageDate,
    UnitPeriodFigures,
)


def projects_for_user(user) -> QuerySet[Project]:
    """Every project `user` may read: all for office and leaders, their own unit's for unit staff,
    the projects a department is responsible for for department staff, none for auditors."""
    scope = project_scope(user)
    return Project.objects.all() if scope is None else Project.objects.filter(scope)


def project_get_for_user(user, pk: int, *, write: bool = False) -> Project:
    """The one way a view loads a project. Outsiders get 404, never a hint that it exists."""
    try:
        project = (
            projects_for_user(user).select_related("unit", "industry", "responsible_department").get(pk=pk)
        )
    except (Project.DoesNotExist, ValueError):
        raise Http404 from None
    if write and not can_write_unit(user, project.unit_id):
        raise Http404
    return project


def current_period() -> Period:
    """The current reporting month (Period.current): the ledger's, cockpit's and lights' default."""
    return Period.current()


def period_from_params(params) -> Period:
    """Read ?year=&month= with the current period as the default; out-of-range values fall back too."""
    return Period.from_params(params.get("year"), params.get("month"))


FIGURES = {  # annotation → PeriodFigures column
    "plan_year": "plan",
    "completed_ytd": "completed",
    "completion_ratio": "ratio",
    "has_ratio": "has_ratio",
    "period_light": "light",
}


def with_period_figures(
    projects: QuerySet[Project], period: Period, *, join: bool = False
) -> QuerySet[Project]:
    """The projects with their stored figures as of the period (rollups): `plan_year`, `completed_ytd`,
    `completion_ratio`, `has_ratio` and `period_light`, the light as of the period — November's lights on a
    page about 1-11月, not today's. Every project has a row for every month of every stored year.

    Each figure is a lookup of the project's row by its unique index, made only for the rows a page shows
    (a count or a page of 50 reads 50 rows, not 100,000); with `join`, the month's rows are joined instead, for
    queries that group or sort all projects by a figure. A year before any plan or report (or after the current
    one) has no rows: there the projects are listed without figures and with today's light.
    """
    from .rollups import year_stored

    if not year_stored(period.year):
        return projects.annotate(
            plan_year=Value(None, output_field=_MONEY),
            completed_ytd=Value(None, output_field=_MONEY),
            completion_ratio=Value(None, output_field=_MONEY),
            has_ratio=Value(False),
            period_light=F("light"),
        )
    if join:
        month = projects.filter(period_figures__year=period.year, period_figures__month=period.month)
        return month.annotate(**{name: F(f"period_figures__{column}") for name, column in FIGURES.items()})
    row = PeriodFigures.objects.filter(project=OuterRef("pk"), year=period.year, month=period.month)
    return projects.annotate(**{name: Subquery(row.values(column)[:1]) for name, column in FIGURES.items()})


def period_light_is(light: str, period: Period) -> Q:
    """Projects whose light as of the period is `light` (one index range of the month's rows)."""
    from .rollups import year_stored

    if not year_stored(period.year):
        return Q(light=light)
    rows = PeriodFigures.objects.filter(year=period.year, month=period.month, light=light)
    return Q(pk__in=rows.values("project_id"))


def start_dates_by(year: int, until: date) -> tuple[QuerySet[StageDate], Q]:
    """开工率's starts as a query (rules.start_months for one start): those planned between 1 January of `year`
    and `until`, and the condition of those started by then. Where the units' stored counts stand for the
    projects, the cockpit and the bulletin read those instead (cockpit.selectors.start_rate)."""
    dates = StageDate.objects.filter(
        stage=Stage.STARTED, planned_date__gte=date(year, 1, 1), planned_date__lte=until
    )
    return dates, Q(actual_date__lte=until)


_MONEY = DecimalField(max_digits=14, decimal_places=2)


def light_rules() -> schedule.LightRules:
    settings = LightSettings.objects.first()
    if settings is None:
        return schedule.LightRules()
    return schedule.LightRules(
        yellow_points_behind=settings.yellow_points_behind,
        red_points_behind=settings.red_points_behind,
        start_late_yellow_months=settings.start_late_yellow_months,
        start_late_red_months=settings.start_late_red_months,
        unstatisticised_yellow_months=settings.unstatisticised_yellow_months,
        unstatisticised_red_months=settings.unstatisticised_red_months,
    )


def light_labels() -> dict[str, dict[str, str]]:
    """Names and colours of the lights as this district calls them."""
    s = LightSettings.objects.first() or LightSettings()
    return {
        "green": {"label": s.green_label, "colour": s.green_colour},
        "yellow": {"label": s.yellow_label, "colour": s.yellow_colour},
        "red": {"label": s.red_label, "colour": s.red_colour},
    }


def progress_series(project: Project, year: int) -> list[ProgressReport]:
    return list(project.reports.filter(year=year).exclude(status="draft").order_by("month"))


@dataclass(frozen=True)
class UnitCompletionRow:
    unit_id: int
    unit_name: str
    project_count: int
    completion: schedule.Completion


def exchange_rates() -> dict[str, Decimal]:
    return settings.DUCHA_EXCHANGE_RATES


def unit_completion_rows(units, period: Period) -> list[UnitCompletionRow]:
    """Each unit's completed investment against its plans and 序时, in yuan (other currencies converted at the
    configured rates), from the units' stored sums (one query)."""
    units = list(units)
    rates = exchange_rates()
    planned: dict[int, Decimal] = defaultdict(Decimal)
    completed: dict[int, Decimal] = defaultdict(Decimal)
    counts: dict[int, int] = defaultdict(int)
    sums = UnitPeriodFigures.objects.filter(
        unit__in=[u.pk for u in units],
        year=period.year,
        month=period.month,
        dimension=UnitPeriodFigures.Dimension.ALL,
    )
    for unit_id, currency, n, plan, done in sums.values_list(
        "unit_id", "currency", "projects", "plan", "completed"
    ):
        planned[unit_id] += to_cny(plan, currency, rates)
        completed[unit_id] += to_cny(done, currency, rates)
        counts[unit_id] += n
    ratio = period.schedule_ratio
    return [
        UnitCompletionRow(
            unit.pk,
            unit.label,
            counts[unit.pk],
            schedule.completion_against_schedule(completed[unit.pk], planned[unit.pk], ratio),
        )
        for unit in units
    ]


def industry_with_descendants(industry) -> set[int]:
    """The industry's id and those of all industries below it, from one query over the (small) taxonomy."""
    root = industry.pk if hasattr(industry, "pk") else int(industry)
    children: dict[int | None, list[int]] = {}
    for pk, parent in Industry.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = set(), [root]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


LEDGER_SORTS = {
    "": ("-total_investment", "name"),
    "name": ("name",),
    "unit": ("unit__order", "unit__name", "-total_investment"),
    "updated": ("-updated_at",),
}


def ledger(user, filters: dict, period: Period, *, whole: bool = False) -> QuerySet[Project]:
    """The ledger rows `user` may see, filtered by the cleaned LedgerFilterForm data, with period figures.
    `whole`: every row will be read (an export), so the month's figures are joined once."""
    sort = filters.get("sort") or ""
    projects = projects_for_user(user).for_ledger()
    if q := (filters.get("q") or "").strip():
        projects = projects.filter(
            Q(name__icontains=q) | Q(company__icontains=q) | Q(national_code__icontains=q)
        )
    for field in ("unit", "level", "construction_type", "chain_position", "chain_segment"):
        if value := filters.get(field):
            projects = projects.filter(**{field: value})
    if region := filters.get("region"):
        projects = projects.filter(unit__in=Unit.objects.within(region).values("pk"))
    if lights := filters.get("lights") or ([filters["light"]] if filters.get("light") else []):
        either = Q()
        for light in lights:
            either |= period_light_is(light, period)
        projects = projects.filter(either)
    if stages := filters.get("stages") or ([filters["stage"]] if filters.get("stage") else []):
        projects = projects.filter(stage__in=stages)
    if industry := filters.get("industry"):
        # An industry includes its sub-industries (新能源汽车 → 动力电池, 电池材料 …).
        projects = projects.filter(industry__in=industry_with_descendants(industry))
    # Sorting every project by a figure, or reading every row, joins the month's rows (counted without the
    # join); a page otherwise looks up the figures of its 50 rows only.
    joined = whole or sort in ("ratio", "light")
    counted = projects
    projects = with_period_figures(projects, period, join=joined)
    if joined:
        projects = projects.counted_as(counted)  # type: ignore[attr-defined]
    if sort == "ratio":
        # Projects without a plan sort last.
        return projects.order_by("-has_ratio", "completion_ratio", "name")
    if sort == "light":
        severity = Case(
            When(period_light="red", then=Value(0)),
            When(period_light="yellow", then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return projects.order_by(severity, "-total_investment")
    return projects.order_by(*LEDGER_SORTS.get(sort, LEDGER_SORTS[""]))


@dataclass(frozen=True)
class Box:
    """A map's view in WGS-84 degrees (Leaflet's bounds: west, south, east, north)."""

    west: Decimal
    south: Decimal
    east: Decimal
    north: Decimal


@dataclass(frozen=True)
class MapPoints:
    points: list[dict]
    truncated: bool  # more in view than DUCHA_MAP_MAX_POINTS: the largest are shown
    # Asked for by a page that shows them (`counted`), each exact up to `counted_up_to` and counted_up_to + 1
    # beyond it ("600+"); None when not counted, or not known from the rows counted.
    counted_up_to: int = 0
    total: int | None = None  # the filtered projects, placed or not (not for a box: the page keeps the first)
    placed: int | None = None  # of which have a location (likewise)
    in_view: int | None = None  # placed in the box (all placed without one)


def map_points(
    projects: QuerySet[Project],
    period: Period,
    *,
    box: Box | None = None,
    lights: Sequence[str] = (),
    counted: bool = False,
    limit: int | None = None,
) -> MapPoints:
    """The placed projects of a ledger query as map points, largest first, at most `limit`
    (DUCHA_MAP_MAX_POINTS), those in `box` when it is given; `lights`: of these lights as of the period.
    `counted`: with how many there are (MapPoints), counted up to twice `limit`.

    One row per point from `values_list`, no model instances. Every query reads a bounded number of rows,
    however many projects there are: the points walk the investment index until `limit` are found (or, in a box
    holding few projects, the location index), and the counts stop after twice `limit`."""
    from .rollups import year_stored

    limit = limit or settings.DUCHA_MAP_MAX_POINTS
    if lights and year_stored(period.year):
        # Each walked project's month joined by the unique index and its light checked: 300 red or yellow ones
        # are found after about 800 projects. The ledger's `pk IN (every red one) OR pk IN (every yellow one)`
        # reads and sorts all 35,000 first (0.4 s at 100,000 projects; 0.6 s on PostgreSQL).
        month = {"period_figures__year": period.year, "period_figures__month": period.month}
        chosen = projects.filter(**month, period_figures__light__in=lights)
        light = "period_figures__light"
    else:
        chosen = projects.filter(period_light__in=lights) if lights else projects  # type: ignore[misc]  # annotated
        light = "period_light"
    few = box is not None and _few_in(box)
    shown = _largest_in(chosen.filter(longitude__isnull=False), box, few=few)
    with _serial_plan(shown.db):
        rows = list(
            shown.values_list("pk", "name", "longitude", "latitude", light, "unit__name", "stage")[
                : limit + 1
            ]
        )
    truncated = len(rows) > limit
    points = [
        {
            "id": pk,
            "name": name,
            "lon": float(lon),
            "lat": float(lat),
            "light": light,
            "unit": unit,
            "stage": str(Stage(stage).label),
        }
        for pk, name, lon, lat, light, unit, stage in rows[:limit]
    ]
    if not counted:
        return MapPoints(points=points, truncated=truncated)
    up_to = 2 * limit
    if box is not None:
        in_view = _count_up_to(shown, up_to)[1] if truncated else len(points)
        return MapPoints(points=points, truncated=truncated, counted_up_to=up_to, in_view=in_view)
    total, placed = _count_up_to(chosen, up_to)
    known: int | None = placed
    if not truncated:
        known = len(points)
    elif total > up_to:
        known = None  # more than `limit` placed of more than `up_to`: not known without reading every row
    return MapPoints(
        points=points, truncated=truncated, counted_up_to=up_to, total=total, placed=known, in_view=known
    )


@contextmanager
def _serial_plan(using: str) -> Iterator[None]:
    """A query that stops after a few hundred rows walked in index order, planned without parallel workers: for
    the red and yellow points of 100,217 projects PostgreSQL chose a Gather Merge whose two workers took longer to
    start (24 ms) than the whole query takes alone (8 ms). Elsewhere nothing changes."""
    db = connections[using]
    if db.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using), db.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield
        cursor.execute(
            "SET LOCAL max_parallel_workers_per_gather TO DEFAULT"
        )  # within a caller's transaction


def _count_up_to(projects: QuerySet[Project], up_to: int) -> tuple[int, int]:
    """How many rows there are, and how many of those are placed, reading `up_to` + 1 rows at most: exact up to
    `up_to`, `up_to` + 1 for more."""
    counted = (
        projects.order_by()
        .values("longitude")[: up_to + 1]
        .aggregate(rows=Count("*"), placed=Count("longitude"))
    )
    return counted["rows"], counted["placed"]


def _in_box(box: Box) -> Q:
    return Q(longitude__range=(box.west, box.east), latitude__range=(box.south, box.north))


class _Unindexed(Func):
    """A column SQLite is told not to search or sort by an index (unary +, as accounts.access.InRegionUnits);
    the column itself elsewhere."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


# A box holding fewer projects than this (whatever the filters) is read by the location index and sorted.
_FEW_IN_BOX = 3000


def _few_in(box: Box) -> bool:
    """Whether SQLite should read the projects in the box by the location index and sort them (zoomed in),
    rather than walk an index in investment order and check each row's location until enough are found
    (zoomed out). PostgreSQL weighs the two by its statistics; SQLite cannot tell how many projects a box
    holds, so it is asked: the projects in the box, by the location index alone, counted up to _FEW_IN_BOX."""
    if connection.vendor != "sqlite":
        return False
    return Project.objects.filter(_in_box(box)).order_by().values("pk")[:_FEW_IN_BOX].count() < _FEW_IN_BOX


def _largest_in(placed: QuerySet[Project], box: Box | None, *, few: bool) -> QuerySet[Project]:
    """The placed projects in the box, largest first, by the plan `few` names (_few_in)."""
    largest = ("-total_investment", "name")
    if box is None:
        return placed.order_by(*largest)
    if connection.vendor != "sqlite":
        return placed.filter(_in_box(box)).order_by(*largest)
    if few:
        return placed.filter(_in_box(box)).order_by(_Unindexed(F("total_investment")).desc(), "name")
    degrees: FloatField = (
        FloatField()
    )  # compared as numbers: the unary + takes the column's numeric affinity away
    longitude = _Unindexed(F("longitude"), output_field=degrees)
    latitude = _Unindexed(F("latitude"), output_field=degrees)
    return placed.filter(
        Range(longitude, (float(box.west), float(box.east))),
        Range(latitude, (float(box.south), float(box.north))),
    ).order_by(*largest)
