"""Reads of the cockpit, the industry-chain map and the bulletin.

Everything is computed from the ledger's, supervision's, indicators' and evaluation's own selectors
or with a fixed number of aggregate queries, so the cockpit costs the same for 10 or 10,000 projects.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.http import Http404

from ducha.accounts.access import (
    owner_region_scope,
    project_scope,
    units_visible_to,
    whole_units_in_scope,
)
from ducha.lib import schedule
from ducha.lib.money import format_wan, to_cny
from ducha.lib.periods import Period
from ducha.projects.choices import ChainPosition, Currency, Light, Stage
from ducha.projects.models import (
    Capacity,
    Industry,
    PeriodFigures,
    Project,
    UnitPeriodFigures,
)
from ducha.projects.rollups import chain_key_parts, chain_key_range, year_stored
from ducha.projects.rules import STARTS_PLANNED, STARTS_STARTED
from ducha.projects.selectors import (
    current_period,
    exchange_rates,
    ledger,
    projects_for_user,
    start_dates_by,
    with_period_figures,
)
from ducha.units.models import Unit

from .models import Bulletin

ZERO = Decimal(0)
CENT = Decimal("0.01")
COMPLETED_STAGES = (Stage.COMPLETED, Stage.PRODUCTION, Stage.FULL_PRODUCTION)


# ---------------------------------------------------------------- headline figures


@dataclass
class Bucket:
    """Projects, total investment (per currency), this year's plan and completion of one group."""

    count: int = 0
    total: dict[str, Decimal] = field(default_factory=dict)
    plan: Decimal = ZERO
    completed: Decimal = ZERO

    def add(
        self, *, n: int, currency: str, total: Decimal | None, plan: Decimal | None, done: Decimal | None
    ):
        self.count += n
        self.total[currency] = self.total.get(currency, ZERO) + (total or ZERO)
        self.plan += plan or ZERO
        self.completed += done or ZERO

    def completion(self, ratio: Decimal) -> schedule.Completion:
        return schedule.completion_against_schedule(self.completed, self.plan, ratio)

    @property
    def total_cny(self) -> Decimal:
        return self.total.get(Currency.CNY, ZERO)

    @property
    def total_other(self) -> dict[str, Decimal]:
        return {c: v for c, v in self.total.items() if c != Currency.CNY and v}


@dataclass
class Figures:
    """The cockpit's headline: one aggregate query over the projects `user` may read, grouped five ways."""

    period: Period
    all: Bucket
    by_stage: dict[str, Bucket]
    by_light: dict[str, Bucket]
    by_unit: dict[int, Bucket]
    by_industry: dict[int | None, Bucket]

    @property
    def completion(self) -> schedule.Completion:
        return self.all.completion(self.period.schedule_ratio)

    @property
    def completed_or_producing(self) -> int:
        """竣工投产: projects at 竣工 or beyond."""
        return sum(self.by_stage[s].count for s in COMPLETED_STAGES if s in self.by_stage)

    def stage_count(self, stage: str) -> int:
        bucket = self.by_stage.get(stage)
        return bucket.count if bucket else 0

    def light_count(self, light: str) -> int:
        bucket = self.by_light.get(light)
        return bucket.count if bucket else 0


def _empty_figures(period: Period) -> Figures:
    return Figures(
        period, Bucket(), defaultdict(Bucket), defaultdict(Bucket), defaultdict(Bucket), defaultdict(Bucket)
    )


def figures(projects: QuerySet[Project], period: Period, *, units: list[int] | None = None) -> Figures:
    """The headline of `projects` grouped by unit, industry, stage and light, from the stored figures.

    With `units` (accounts.access.whole_units_in_scope: `projects` are exactly these units' projects) the
    units' stored sums are read, one row per group whatever the number of projects; otherwise the projects'
    stored rows are grouped in one query. Plans and completion are summed in yuan, investment per currency.
    """
    result = _empty_figures(period)
    rates = exchange_rates()

    def add(buckets, n, currency, total, plan, done) -> None:
        for bucket in buckets:
            bucket.add(
                n=n,
                currency=currency,
                total=total,
                plan=to_cny(plan, currency, rates),
                done=to_cny(done, currency, rates),
            )

    if units is not None:
        # Summed in SQL per group (a few dozen rows) and per unit, whatever the number of units.
        dimension = UnitPeriodFigures.Dimension
        sums = UnitPeriodFigures.objects.filter(unit_id__in=units, year=period.year, month=period.month)
        totals = {
            "n": Sum("projects"),
            "total": Sum("total_investment"),
            "plan": Sum("plan"),
            "done": Sum("completed"),
        }
        for row in (
            sums.filter(dimension__in=[dimension.STAGE, dimension.LIGHT, dimension.INDUSTRY])
            .values("dimension", "key", "currency")
            .annotate(**totals)
            .order_by()
        ):
            key = row["key"]
            if row["dimension"] == dimension.STAGE:
                bucket = result.by_stage[key]
            elif row["dimension"] == dimension.LIGHT:
                bucket = result.by_light[key]
            else:
                bucket = result.by_industry[int(key) if key else None]
            add([bucket], row["n"], row["currency"], row["total"], row["plan"], row["done"])
        for unit_id, currency, n, total, plan, done in sums.filter(dimension=dimension.ALL).values_list(
            "unit_id", "currency", "projects", "total_investment", "plan", "completed"
        ):
            add([result.all, result.by_unit[unit_id]], n, currency, total, plan, done)
        return result
    rows = (
        with_period_figures(projects, period)
        .order_by()
        .values("unit_id", "industry_id", "currency", "stage", "period_light")  # type: ignore[misc]
        .annotate(
            n=Count("id"), total=Sum("total_investment"), plan=Sum("plan_year"), done=Sum("completed_ytd")
        )
    )
    for row in rows:
        buckets = [
            result.all,
            result.by_stage[row["stage"]],
            result.by_light[row["period_light"]],
            result.by_unit[row["unit_id"]],
            result.by_industry[row["industry_id"]],
        ]
        add(buckets, row["n"], row["currency"], row["total"], row["plan"], row["done"])
    return result


@dataclass(frozen=True)
class StartRate:
    """开工率 of the year's new projects: started by the period's end ÷ planned to start by then."""

    planned: int
    started: int

    @property
    def ratio(self) -> Decimal | None:
        return Decimal(self.started) / Decimal(self.planned) if self.planned else None


def start_rate(
    projects: QuerySet[Project] | None, period: Period, *, units: list[int] | None = None
) -> StartRate:
    """开工率 (the evaluation's rule too: projects.rules.start_months) for any scope (None: every project): of
    the projects planned to start between 1 January and the period's end, those that had started by then.
    With `units` (the projects are exactly these units') or for every project, the units' stored counts are
    summed (one row per unit and key, whatever the number of projects); otherwise the dates are counted."""
    if (units is not None or projects is None) and year_stored(period.year):
        counts = UnitPeriodFigures.objects.filter(
            year=period.year, month=period.month, dimension=UnitPeriodFigures.Dimension.STARTS
        )
        if units is not None:
            counts = counts.filter(unit_id__in=units)
        n = dict(counts.order_by().values("key").annotate(n=Sum("projects")).values_list("key", "n"))
        return StartRate(n.get(STARTS_PLANNED) or 0, n.get(STARTS_STARTED) or 0)
    dates, started = start_dates_by(period.year, period.end)
    if units is not None:
        dates = dates.filter(project__unit_id__in=units)
    elif projects is not None:
        dates = dates.filter(project__in=projects)
    row = dates.aggregate(planned=Count("pk"), started=Count("pk", filter=started))
    return StartRate(row["planned"] or 0, row["started"] or 0)


def monthly_completion(
    projects: QuerySet[Project], period: Period, *, units: list[int] | None = None
) -> list[Decimal | None]:
    """Cumulative investment completed (in yuan) by the end of each month of the period's year (None after it).

    A project that has not reported a month yet counts with its latest earlier figure, exactly as the headline
    counts it, so the chart's last point is the headline's figure: both read the stored figures (the units'
    sums with `units`, as in `figures`).
    """
    rows: QuerySet
    if units is not None:
        rows = UnitPeriodFigures.objects.filter(
            unit_id__in=units,
            year=period.year,
            month__lte=period.month,
            dimension=UnitPeriodFigures.Dimension.ALL,
        )
    else:
        rows = PeriodFigures.objects.filter(
            project__in=projects.order_by().values("pk"), year=period.year, month__lte=period.month
        )
    rates = exchange_rates()
    done: dict[int, Decimal] = defaultdict(Decimal)
    for month, currency, amount in (
        rows.order_by()
        .values("month", "currency")
        .annotate(sum=Sum("completed"))
        .values_list("month", "currency", "sum")
    ):
        done[month] += to_cny(amount or ZERO, currency, rates)
    return [done[month] if month <= period.month else None for month in range(1, 13)]


# ---------------------------------------------------------------- industries


def _is_umbrella(industry: Industry, industries: list[Industry]) -> bool:
    """A root whose children have children of their own (三新一特) is a label over several chains."""
    children = {c.pk for c in industries if c.parent_id == industry.pk}
    return industry.parent_id is None and any(c.parent_id in children for c in industries)


def chain_heads(industries: list[Industry]) -> list[Industry]:
    """The industries a chain is drawn for: roots, or the branches of an umbrella root (新能源汽车, 光伏新能源)."""
    by_pk = {i.pk: i for i in industries}
    return [
        i
        for i in industries
        if not _is_umbrella(i, industries)
        and (i.parent_id is None or _is_umbrella(by_pk[i.parent_id], industries))
    ]


def industry_heads(industries: list[Industry]) -> dict[int, Industry]:
    """Each industry's chain head, under which the cockpit's industry chart adds it up."""
    by_pk = {i.pk: i for i in industries}
    heads = {i.pk for i in chain_heads(industries)}
    result = {}
    for industry in industries:
        node = industry
        while node.pk not in heads and node.parent_id in by_pk:
            node = by_pk[node.parent_id]
        result[industry.pk] = node
    return result


def descendants(industry: Industry, industries: list[Industry]) -> set[int]:
    found = {industry.pk}
    changed = True
    while changed:
        changed = False
        for i in industries:
            if i.parent_id in found and i.pk not in found:
                found.add(i.pk)
                changed = True
    return found


CHAIN_TOP = 5  # projects drawn per segment; the rest are counted and linked to the ledger
CHAIN_DRAWN = 80  # projects drawn on one map at most (about): a chain of many segments draws fewer of each


@dataclass(frozen=True)
class ChainProject:
    pk: int
    name: str
    company: str
    unit: str
    stage: str
    total_investment: Decimal
    currency: str
    capacities: tuple[str, ...]
    investment_cny: Decimal = ZERO  # for sums and the chart's band widths across currencies
    url: str = ""  # the project's page, set by the view

    @property
    def detail(self) -> str:
        """The line under its name on the map: unit · stage · total investment · capacities (one string, not a
        dozen template variables for each of a province's few hundred projects)."""
        return " · ".join(
            [
                self.unit,
                self.stage,
                format_wan(self.total_investment, self.currency or "CNY"),
                *self.capacities,
            ]
        )


@dataclass
class ChainSegment:
    """One segment (产业链细分领域, or the sub-industry when a project names none) of one position: its totals
    from an aggregate query and its largest projects only."""

    name: str
    position: str = ""
    segment: str = ""  # the projects' chain_segment; "" when the segment is named after the industry
    industry_id: int | None = None  # the chain head, or the sub-industry of an unnamed segment
    count: int = 0
    investment: Decimal = ZERO  # total investment in yuan
    plan: Decimal = ZERO  # the period's year, in yuan
    completed: Decimal = ZERO
    projects: list[ChainProject] = field(default_factory=list)
    url: str = ""  # the filtered ledger, set by the view

    @property
    def rest(self) -> int:
        """Projects of the segment not listed on the map."""
        return self.count - len(self.projects)

    @property
    def rest_investment(self) -> Decimal:
        return self.investment - sum((p.investment_cny for p in self.projects), ZERO)

    @property
    def ledger_filters(self) -> dict:
        filters = {"industry": self.industry_id, "chain_position": self.position}
        return {**filters, "chain_segment": self.segment} if self.segment else filters


@dataclass
class ChainPositionGroup:
    position: str
    label: str
    segments: list[ChainSegment]

    @property
    def investment(self) -> Decimal:
        return sum((s.investment for s in self.segments), ZERO)

    @property
    def count(self) -> int:
        return sum(s.count for s in self.segments)


@dataclass
class ChainMap:
    industry: Industry
    positions: list[ChainPositionGroup]
    period: Period | None = None

    @property
    def count(self) -> int:
        return sum(p.count for p in self.positions)

    @property
    def investment(self) -> Decimal:
        return sum((p.investment for p in self.positions), ZERO)

    @property
    def segments(self) -> list[ChainSegment]:
        return [s for p in self.positions for s in p.segments]

    @property
    def leaves(self) -> int:
        """Rows the sankey draws at its right edge: listed projects and one "N more" per segment."""
        return sum(len(s.projects) + (1 if s.rest else 0) for s in self.segments)


def chain_industries() -> list[Industry]:
    """Industries whose descendants hold projects with a chain position, for the map's selector."""
    # One probe per industry (its projects until one is placed on a chain), not a scan of every project.
    placed = Project.objects.filter(industry=OuterRef("pk"), chain_position__gt="")
    industries: list[Industry] = list(Industry.objects.annotate(placed=Exists(placed)))
    positioned = {i.pk for i in industries if getattr(i, "placed")}  # noqa: B009  (annotated)
    return [i for i in chain_heads(industries) if descendants(i, industries) & positioned]


def chain_map(
    user, industry: Industry, period: Period | None = None, top: int = CHAIN_TOP, drawn: int = CHAIN_DRAWN
) -> ChainMap:
    """The industry's projects that `user` may read, grouped upstream/midstream/downstream and by segment.

    Counts and sums come from the units' stored sums by chain segment (a few rows per unit and segment) when
    the user reads whole units, else from one aggregate query; only the largest projects of each segment are
    loaded (`top`, fewer when the chain has more than `drawn` // `top` segments, at least one), each segment's
    from one range of an index, so the map costs about the same for 30 or 30,000 projects in a chain.
    """
    period = period or current_period()
    industries = list(Industry.objects.all())
    names = {i.pk: i.name for i in industries}
    rates = exchange_rates()
    members = descendants(industry, industries)
    units = whole_units_in_scope(user)
    scope = projects_for_user(user).filter(industry_id__in=members).exclude(chain_position="")
    segments: dict[str, dict[str, ChainSegment]] = {p: {} for p in ChainPosition.values}
    # The industries each segment adds up, by the segment's name on the map and the projects' own segment.
    parts: dict[tuple[str, str, str], set[int]] = defaultdict(set)

    def segment_of(position: str, segment: str, industry_id: int | None) -> ChainSegment:
        name = segment or (names.get(industry_id, "") if industry_id is not None else "")
        found = segments[position].get(name)
        if found is None:
            head = industry.pk if segment else industry_id
            found = segments[position][name] = ChainSegment(name, position, segment, head)
        return found

    for position, segment, industry_id, currency, n, total, plan, done in _chain_sums(
        units, scope, members, period
    ):
        if not n:
            continue
        s = segment_of(position, segment, industry_id)
        parts[(position, s.name, segment)].add(industry_id)
        s.count += n
        s.investment += to_cny(total or ZERO, currency, rates)
        s.plan += to_cny(plan or ZERO, currency, rates)
        s.completed += to_cny(done or ZERO, currency, rates)

    # A chain of many segments draws fewer projects of each: the map (and its sankey) stays about `drawn` rows.
    top = max(1, min(top, drawn // max(len(parts), 1)))
    everything = Project.objects.filter(industry_id__in=members).exclude(chain_position="")
    ids = _largest_in_segments(scope if units is None else everything, units, parts, top)
    # Plain rows, not model instances: a few dozen projects.
    ranked = Project.objects.filter(pk__in=ids).order_by(*CHAIN_ORDER).values_list(*CHAIN_PROJECT_FIELDS)
    stages = {value: str(label) for value, label in Stage.choices}
    capacities: dict[int, list[str]] = defaultdict(list)
    for cap in Capacity.objects.filter(project_id__in=ids).order_by("pk"):
        capacities[cap.project_id].append(str(cap))
    for pk, name, company, short, unit, stage, total, currency, industry_id, position, segment in ranked:
        s = segment_of(position, segment, industry_id)
        if len(s.projects) < top:
            s.projects.append(
                ChainProject(
                    pk,
                    name,
                    company,
                    short or unit,  # Unit.label
                    stages.get(stage, stage),
                    total,
                    currency,
                    tuple(capacities.get(pk, ())),
                    to_cny(total, currency, rates),
                )
            )
    groups = [
        ChainPositionGroup(position, label, sorted(segments[position].values(), key=lambda s: -s.investment))
        for position, label in ChainPosition.choices
    ]
    return ChainMap(industry, groups, period)


CHAIN_ORDER = ("-total_investment", "name", "pk")
CHAIN_PROJECT_FIELDS = (
    "pk",
    "name",
    "company",
    "unit__short_name",
    "unit__name",
    "stage",
    "total_investment",
    "currency",
    "industry_id",
    "chain_position",
    "chain_segment",
)
_SENTINELS = ("\x00position", "\x00segment", -987654321)  # stand for a segment's values in a compiled query
_OTHER_UNITS = "chain_other_units"  # the units a user does not read, once per statement, for every subquery
_FEW_UNITS = 20  # a user of fewer units has them listed in every subquery instead


def _largest_in_segments(
    rows: QuerySet[Project], units: list[int] | None, parts: dict, top: int
) -> list[int]:
    """The ids of (at least) the `top` largest projects of each segment (position, name, segment) → industries,
    in one statement; the caller keeps each segment's `top` largest in CHAIN_ORDER. `rows` are the chain's
    projects; when the user reads whole `units`, the units they do not read are given once as a common table
    expression that every segment's subquery excludes (not the user's scope query, a join of units and regions
    evaluated again in each, nor the hundreds of units of a district's office listed in each).

    PostgreSQL: a lateral "ORDER BY … LIMIT top" per segment and industry over a VALUES list, planned once, each
    one range of the project_chain_segment_largest index (position, segment, industry, size) read in its order.
    SQLite (no LATERAL): one such subquery per segment (a named segment's industries together) joined by
    UNION ALL. The subquery is compiled once with stand-in values (compiling fifty ORM subqueries costs more
    than running them)."""
    if not parts:
        return []
    position, segment, industry = _SENTINELS
    head, params = "", []
    if units is not None and len(units) <= _FEW_UNITS:
        rows = rows.filter(unit_id__in=units)
    elif units is not None:
        # The units the user does not read (none for the province, a few for a district's office).
        others = Unit.objects.exclude(pk__in=units).order_by().values("pk")
        other_sql, other_params = others.query.sql_with_params()
        head, params = f"WITH {_OTHER_UNITS}(id) AS ({other_sql}) ", list(other_params)
        rows = rows.exclude(unit_id__in=RawSQL(f"SELECT id FROM {_OTHER_UNITS}", ()))  # noqa: S611 - a constant
    if connection.vendor == "postgresql":
        found = rows.filter(industry_id=industry, chain_position=position, chain_segment=segment)
        sql, template = found.order_by(*CHAIN_ORDER).values("pk")[:top].query.sql_with_params()
        columns = {position: "k.position", segment: "k.segment", industry: "k.industry"}
        pieces = sql.split("%s")
        lateral, kept = pieces[0], []
        for value, piece in zip(template, pieces[1:], strict=True):
            if isinstance(value, str | int) and value in columns:
                lateral += columns[value] + piece
            else:
                lateral += "%s" + piece
                kept.append(value)
        keys = [
            (pos, seg, i) for (pos, _name, seg), industry_ids in parts.items() for i in sorted(industry_ids)
        ]
        statement = (
            f"{head}SELECT t.pk FROM (VALUES {', '.join(['(%s::text, %s::text, %s::bigint)'] * len(keys))}) "
            f"AS k(position, segment, industry) CROSS JOIN LATERAL ({lateral}) AS t"
        )
        params += [value for key in keys for value in key] + kept
    else:
        templates = {}
        named = rows.filter(chain_position=position, chain_segment=segment)  # the chain's industries: `rows`
        unnamed = rows.filter(industry_id=industry, chain_position=position, chain_segment="")
        for kind, found in (("named", named), ("unnamed", unnamed)):
            templates[kind] = found.order_by(*CHAIN_ORDER).values("pk")[:top].query.sql_with_params()
        statements: list[str] = []
        for (pos, _name, seg), industry_ids in parts.items():
            sql, template = templates["named" if seg else "unnamed"]
            values: dict[object, object] = {position: pos, segment: seg}
            for industry_id in [None] if seg else sorted(industry_ids):
                values[industry] = industry_id
                statements.append(f"SELECT * FROM ({sql}) AS s{len(statements)}")
                params += [values[p] if isinstance(p, str | int) and p in values else p for p in template]
        statement = head + " UNION ALL ".join(statements)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [row[0] for row in cursor.fetchall()]


def _runs(ids: list[int]) -> list[tuple[int, int]]:
    """[2, 3, 4, 7] → [(2, 4), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for i in ids:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def _chain_sums(
    units: list[int] | None, scope: QuerySet[Project], members: set[int], period: Period
) -> list[tuple]:
    """(position, segment, industry, currency, projects, total investment, plan, completion) of the chain's
    projects in `scope`: when the user reads whole `units`, the units' stored sums, one key range per industry
    of the chain, summed over those units in SQL in the order of the covering index (no sorting); else the
    projects' stored rows grouped."""
    if units is not None and year_stored(period.year):
        # One key range per run of consecutive industry ids (a chain's industries are mostly added together),
        # each read from the covering index unit_figures_by_dimension.
        month = {"year": period.year, "month": period.month, "dimension": UnitPeriodFigures.Dimension.CHAIN}
        in_chain = Q()
        for first, last in _runs(sorted(members)):
            low, high = chain_key_range(first)[0], chain_key_range(last)[1]
            in_chain |= Q(**month, key__gte=low, key__lt=high)
        sums = (
            UnitPeriodFigures.objects.filter(in_chain, unit_id__in=units)
            .values_list("key", "currency")
            .annotate(
                n=Sum("projects"), total=Sum("total_investment"), plan=Sum("plan"), done=Sum("completed")
            )
            .order_by()
        )
        return [
            (*_key_fields(key), currency, n, total, plan, done)
            for key, currency, n, total, plan, done in sums
        ]
    rows = (
        with_period_figures(scope, period)
        .order_by()
        .values("chain_position", "chain_segment", "industry_id", "currency")
        .annotate(
            n=Count("id"), total=Sum("total_investment"), plan=Sum("plan_year"), done=Sum("completed_ytd")
        )
        .values_list(
            "chain_position", "chain_segment", "industry_id", "currency", "n", "total", "plan", "done"
        )
    )
    return list(rows)


def _key_fields(key: str) -> tuple[str, str, int]:
    """(position, segment, industry) of a chain key."""
    industry_id, position, segment = chain_key_parts(key)
    return position, segment, industry_id


def industry_get(pk) -> Industry:
    try:
        return Industry.objects.get(pk=pk)
    except (Industry.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# ---------------------------------------------------------------- lists on the cockpit


def red_projects(user, period: Period, limit: int = 10, *, region=None) -> list[Project]:
    """The largest projects red as of the period (in `region`, if given), found among the month's red rows
    (their own index)."""
    red = PeriodFigures.objects.filter(year=period.year, month=period.month, light=Light.RED)
    if (scope := project_scope(user, prefix="project__")) is not None:
        # The month's rows carry their project's unit: a scope of whole units reads them without a join (the
        # join made SQLite probe every project of a district's 100,000: 0.45 s for ten rows).
        units = whole_units_in_scope(user)
        red = red.filter(scope) if units is None else red.filter(unit_id__in=units)
    narrowed = {"region": region} if region is not None else {}
    if region is not None:
        red = red.filter(unit__in=Unit.objects.within(region).values("pk"))
    ids = list(red.order_by("-total_investment", "project_id").values_list("project_id", flat=True)[:limit])
    if not ids and not year_stored(period.year):  # a year without stored figures: today's lights
        rows = ledger(user, {"light": Light.RED, **narrowed}, period)
        return list(rows.order_by("-total_investment", "name")[:limit])
    return list(ledger(user, narrowed, period).filter(pk__in=ids).order_by("-total_investment", "name"))


def scoped_units(user) -> list[Unit]:
    """The units whose bars the cockpit shows: the units the user may see."""
    return list(units_visible_to(user).select_related("region"))


# ---------------------------------------------------------------- bulletins


def bulletins_for_user(user) -> QuerySet[Bulletin]:
    """Published bulletins circulate to every business user of the issuing region, of the regions below it (a city's
    bulletin reaches its districts) and of those above; the administrators read none."""
    if not user.is_business_user:
        return Bulletin.objects.none()
    scope = owner_region_scope(user)
    bulletins = Bulletin.objects.select_related("generated_by")
    return bulletins if scope is None else bulletins.filter(scope)


def bulletin_get_for_user(user, pk) -> Bulletin:
    bulletin = bulletins_for_user(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if bulletin is None:
        raise Http404
    return bulletin
