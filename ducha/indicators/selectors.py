"""Reads of indicators: the period table (units × indicators), series for the trend charts, access.

`indicator_table` is also read by the cockpit and the bulletin: keep its shape stable.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404

from ducha.accounts.access import acting_region, can_write_unit, office_get_or_404, units_visible_to
from ducha.lib.periods import Period
from ducha.regions.services import home_region
from ducha.units.models import Unit

from . import rules
from .models import Indicator, IndicatorTarget, IndicatorValue


@dataclass(frozen=True)
class Cell:
    """One indicator for one unit (or the district) in the period."""

    indicator: Indicator
    derived: rules.Derived
    rank_peer: int | None = None
    rank_district: int | None = None
    reported: bool = True

    @property
    def value(self) -> Decimal | None:
        return self.derived.value

    @property
    def completion(self) -> Decimal | None:
        return self.derived.completion

    @property
    def growth(self) -> Decimal | None:
        return self.derived.growth

    @property
    def value_text(self) -> str:
        return rules.format_measure(self.derived.value, self.indicator.measure)

    @property
    def increase_text(self) -> str:
        return rules.format_measure(self.derived.increase, self.indicator.measure)

    @property
    def target_text(self) -> str:
        return rules.format_measure(self.derived.target, self.indicator.measure)

    @property
    def completion_text(self) -> str:
        return rules.format_percent(self.derived.completion)

    @property
    def growth_text(self) -> str:
        return rules.format_percent(self.derived.growth, signed=True)

    @property
    def gap_text(self) -> str:
        return rules.format_percent(self.derived.gap, signed=True).replace("%", "")

    @property
    def schedule_class(self) -> str:
        """Colour against 序时: ahead green, behind red, no target plain."""
        ahead = self.derived.ahead
        return "" if ahead is None else ("text-success" if ahead else "text-danger")


@dataclass
class Row:
    unit: Unit | None  # None: the district
    cells: list[Cell] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.unit.label if self.unit else "全区"

    def cell(self, code: str) -> Cell | None:
        return next((c for c in self.cells if c.indicator.code == code), None)


@dataclass
class IndicatorTable:
    year: int
    month: int
    indicators: list[Indicator]
    district: Row
    rows: list[Row]

    @property
    def schedule(self) -> Decimal:
        return rules.schedule_percent(self.month)

    @property
    def schedule_ratio(self) -> Decimal:
        """序时进度 as a ratio (end of March: 0.25), written with the pct filter."""
        return Period(self.year, self.month).schedule_ratio


def _values(year: int, month: int) -> dict[tuple[int, int | None, int], Decimal]:
    rows = IndicatorValue.objects.filter(Q(year=year) | Q(year=year - 1), month=month).values_list(
        "indicator_id", "unit_id", "year", "value"
    )
    return {(i, u, y): v for i, u, y, v in rows}


def indicator_table(
    *, year: int, month: int, unit_ids: list[int] | None = None, among: QuerySet[Unit] | None = None
) -> IndicatorTable:
    """Every active indicator for the district and each area unit at the end of month `month` of `year`.

    Each cell carries value, last year's same period, target, completion, 序时 gap, 同比 growth
    and net increase; places rank 同比 growth within the peer group and within the district.
    Five queries whatever the number of units. `among`: the units compared (ranking_units; every area unit by
    default); `unit_ids` limits the rows (a page of them), not the ranking, which reads every unit's growth only.
    """
    indicators = list(Indicator.objects.active())
    compared = Unit.objects.areas() if among is None else among
    # Ranking needs each unit's kind and peer group only; the rows shown are loaded in full below.
    areas = [_Area(*row) for row in compared.values_list("pk", "kind", "peer_group")]
    values = _values(year, month)
    targets = {
        (i, u): v
        for i, u, v in IndicatorTarget.objects.filter(year=year).values_list(
            "indicator_id", "unit_id", "value"
        )
    }

    def derived(indicator: Indicator, unit_id: int | None) -> rules.Derived:
        return rules.derive(
            value=values.get((indicator.pk, unit_id, year)),
            last_year=values.get((indicator.pk, unit_id, year - 1)),
            target=targets.get((indicator.pk, unit_id)),
            month=month,
            cumulative=indicator.cumulative,
        )

    district = Row(None, [Cell(i, derived(i, None)) for i in indicators])
    groups: dict[str, list[_Area]] = {}
    for area in areas:
        groups.setdefault(area.peer_group, []).append(area)
    places_district: dict[int, dict] = {}
    places_peer: dict[int, dict] = {}
    for indicator in indicators:
        growth: dict[Hashable, Decimal | None] = {
            a.pk: rules.yoy_growth(
                values.get((indicator.pk, a.pk, year)), values.get((indicator.pk, a.pk, year - 1))
            )
            for a in areas
            if indicator.reported_by(a)
        }
        places_district[indicator.pk] = rules.rank(growth, higher_is_better=indicator.higher_is_better)
        peer: dict = {}
        for members in groups.values():
            peer.update(
                rules.rank(
                    {a.pk: growth[a.pk] for a in members if a.pk in growth},
                    higher_is_better=indicator.higher_is_better,
                )
            )
        places_peer[indicator.pk] = peer
    shown = compared
    if unit_ids is not None:
        shown = shown.filter(pk__in=unit_ids)
    rows = []
    for unit in shown:
        cells = [
            Cell(
                i,
                derived(i, unit.pk),
                places_peer[i.pk].get(unit.pk),
                places_district[i.pk].get(unit.pk),
                reported=i.reported_by(unit),
            )
            for i in indicators
        ]
        rows.append(Row(unit, cells))
    return IndicatorTable(year, month, indicators, district, rows)


@dataclass(frozen=True)
class _Area:
    """What ranking reads of an area unit (Indicator.reported_by reads `kind`)."""

    pk: int
    kind: str
    peer_group: str


ROWS_PER_PAGE = 25  # unit rows a page of the table lists (the web page and the API)


def indicator_table_page(*, user, year: int, month: int, page=None) -> tuple[IndicatorTable, Page]:
    """One page of the units `user` may read, in the table's order (the district row on every page); places
    are ranked among all the units the table compares (ranking_units), not only the page's. `page` as given by
    the request (a number; out of range: the last)."""
    among, ids = _table_units(user)
    chosen = Paginator(ids, ROWS_PER_PAGE).get_page(page)
    return indicator_table(year=year, month=month, unit_ids=list(chosen.object_list), among=among), chosen


def indicator_table_whole(*, user, year: int, month: int) -> IndicatorTable:
    """Every page of indicator_table_page at once: the rows of all the units `user` may read (the export)."""
    among, ids = _table_units(user)
    return indicator_table(year=year, month=month, unit_ids=ids, among=among)


def _table_units(user) -> tuple[QuerySet[Unit], list[int]]:
    """The units `user`'s table compares, and the ids of those it shows, in the table's order."""
    among = ranking_units(user)
    visible = None if user.reads_region else visible_unit_ids(user)  # an office reads all it compares
    allowed = None if visible is None else set(visible)
    return among, [pk for pk in among.values_list("pk", flat=True) if allowed is None or pk in allowed]


def ranking_units(user) -> QuerySet[Unit]:
    """The units a user's table compares and ranks: those its region's office evaluates (a district's towns,
    streets and parks; a city's districts); every area unit for the whole installation."""
    if user.reads_everything:
        return Unit.objects.areas()
    return Unit.objects.subjects_of(acting_region(user))


def indicator_series(*, indicator: Indicator, unit_ids: list[int | None], years: list[int]) -> dict:
    """{(unit id or None, year): [12 monthly values or None]} for the trend charts, in one query."""
    series = {(u, y): [None] * 12 for u in unit_ids for y in years}
    scope = Q(unit_id__in=[u for u in unit_ids if u is not None])
    if None in unit_ids:
        scope |= Q(unit__isnull=True)
    for unit_id, year, month, value in IndicatorValue.objects.filter(
        scope, indicator=indicator, year__in=years
    ).values_list("unit_id", "year", "month", "value"):
        series[(unit_id, year)][month - 1] = value
    return series


def visible_unit_ids(user) -> list[int] | None:
    """The unit rows `user` may read in the indicator table: None = all areas, else the units it may see."""
    if user.reads_everything:
        return None
    return list(units_visible_to(user).values_list("pk", flat=True))


def unit_get_for_entry(user, pk: int) -> Unit:
    """The area unit whose monthly figures `user` may enter; 404 for everyone else."""
    unit = Unit.objects.areas().filter(pk=pk).first()
    if unit is None or not can_write_unit(user, unit.pk) or user.is_department_staff:
        raise Http404
    return unit


def indicator_values_for_entry(
    *, unit: Unit, year: int, month: int
) -> list[tuple[Indicator, Decimal | None, Decimal | None]]:
    """(indicator, this month's stored value, last month's value) for the indicators `unit` reports."""
    indicators = [i for i in Indicator.objects.active() if i.reported_by(unit)]
    stored = {
        (v.indicator_id, v.month): v.value
        for v in IndicatorValue.objects.filter(unit=unit, year=year, month__in=[month, month - 1])
    }
    return [(i, stored.get((i.pk, month)), stored.get((i.pk, month - 1))) for i in indicators]


def indicator_value_versions(*, unit: Unit, year: int, month: int) -> dict[int, int]:
    """Indicator id → version of `unit`'s stored figure for the month (the entry form sends it back)."""
    return dict(
        IndicatorValue.objects.filter(unit=unit, year=year, month=month).values_list(
            "indicator_id", "version"
        )
    )


# ---------------------------------------------------------------- definitions and targets (office)


def indicators_for_office():
    """Every indicator, active or not, with the number of figures stored for it."""
    from django.db.models import Count

    return Indicator.objects.annotate(figures=Count("values"))


def indicator_get_for_office(user, pk: int) -> Indicator:
    return office_get_or_404(user, Indicator, pk)


@dataclass(frozen=True)
class TargetCell:
    indicator: Indicator
    target: Decimal | None
    reported: bool

    @property
    def target_text(self) -> str:
        return rules.format_measure(self.target, self.indicator.measure)


@dataclass(frozen=True)
class TargetRow:
    unit: Unit | None  # None: the district
    cells: list[TargetCell]

    @property
    def unit_id(self) -> int | None:
        return self.unit.pk if self.unit else None

    @property
    def label(self) -> str:
        return self.unit.label if self.unit else "全区"


@dataclass(frozen=True)
class TargetGrid:
    year: int
    indicators: list[Indicator]
    rows: list[TargetRow]


def is_home_district(region) -> bool:
    """Values and targets without a unit are the home district's as a whole: they belong to the whole
    installation's pages (region None) and the home region's, not to another region's (which has no such row
    of its own yet)."""
    return region is None or region == home_region()


def reads_home_district(user) -> bool:
    """Whether `user`'s pages show the home district's values and targets without a unit (is_home_district)."""
    return is_home_district(None if user.reads_everything else acting_region(user))


def target_units(user) -> tuple[list[Unit], bool]:
    """The units whose targets `user`'s office sets (a district's towns, streets and parks; a city's districts)
    and whether it sets the whole district's too (values and targets without a unit are the home district's)."""
    if user.reads_everything:
        return list(Unit.objects.areas()) + list(Unit.objects.counties()), True
    return list(Unit.objects.subjects_of(acting_region(user))), reads_home_district(user)


def target_grid(*, year: int, user) -> TargetGrid:
    """The units `user`'s office sets targets for (target_units) × every active indicator, with the year's
    stored targets. Three queries."""
    indicators = list(Indicator.objects.active())
    own, district = target_units(user)
    units: list[Unit | None] = [None, *own] if district else list(own)
    stored = {
        (i, u): v
        for i, u, v in IndicatorTarget.objects.filter(year=year).values_list(
            "indicator_id", "unit_id", "value"
        )
    }
    rows = [
        TargetRow(
            unit,
            [
                TargetCell(i, stored.get((i.pk, unit.pk if unit else None)), i.reported_by(unit))
                for i in indicators
            ],
        )
        for unit in units
    ]
    return TargetGrid(year, indicators, rows)
