"""Reads for the evaluation: the raw inputs of a period, results, differences, flag history.

`latest_published_flags` is also read by the cockpit and the bulletin: keep its shape stable.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.http import Http404

from ducha.accounts.access import (
    acting_region,
    office_get_or_404,
    owner_region_scope,
    owns_region_object,
    units_visible_to,
)
from ducha.indicators import rules as indicator_rules
from ducha.indicators.models import IndicatorTarget, IndicatorValue
from ducha.lib.schedule import month_end
from ducha.units.models import Unit, UnitKind

from . import scoring
from .choices import Source, Status
from .models import Evaluation, EvaluationResult, ManualScore, Scheme, SchemePeerGroup

HUNDRED = Decimal(100)


# ---------------------------------------------------------------- inputs


def scheme_item_specs(scheme: Scheme) -> list[scoring.ItemSpec]:
    return [
        scoring.ItemSpec(
            key=str(item.pk),
            label=item.label,
            weight=item.weight,
            method=scoring.Method(item.method),
            higher_is_better=item.indicator.higher_is_better if item.indicator_id else True,
            target=item.target,
            cap=item.cap,
        )
        for item in scheme.items.select_related("indicator")
    ]


def _indicator_raw(item, units, year: int, month: int, values, targets) -> dict[int, Decimal | None]:
    raw = {}
    for unit in units:
        value = values.get((item.indicator_id, unit.pk, year))
        if item.source == Source.INDICATOR_GROWTH:
            raw[unit.pk] = indicator_rules.yoy_growth(
                value, values.get((item.indicator_id, unit.pk, year - 1))
            )
        else:
            raw[unit.pk] = indicator_rules.completion_rate(value, targets.get((item.indicator_id, unit.pk)))
    return raw


def evaluated_units(scheme: Scheme) -> tuple[list[Unit], dict[int, int]]:
    """The units a scheme evaluates, and for each area unit whose projects count, the evaluated unit they count
    for. A district's scheme evaluates its towns, streets and parks; a city's (or a province's) evaluates the
    offices of the districts below it (units of kind county), each answering for its district's areas."""
    subjects = list(Unit.objects.subjects_of(scheme.region).select_related("region"))
    counts_for = {u.pk: u.pk for u in subjects}
    for county in (u for u in subjects if u.kind == UnitKind.COUNTY):
        for pk in Unit.objects.areas().within(county.region).values_list("pk", flat=True):
            counts_for[pk] = county.pk
    return subjects, counts_for


def _regrouped(pairs: dict[int, tuple], counts_for: dict[int, int] | None) -> dict[int, list]:
    """Per-unit sums (numerator, denominator) added up per evaluated unit (each unit itself without a map)."""
    grouped: dict[int, list] = {}
    for unit_id, values in pairs.items():
        subject = unit_id if counts_for is None else counts_for.get(unit_id)
        if subject is None:
            continue  # a unit the scheme does not evaluate
        sums = grouped.setdefault(subject, [0] * len(values))
        for i, value in enumerate(values):
            sums[i] += value
    return grouped


def start_rates(
    *, year: int, until: datetime.date, counts_for: dict[int, int] | None = None
) -> dict[int, Decimal]:
    """开工率 per unit in %: of the projects planned to start between 1 January and `until`,
    the share that had actually started by `until`."""
    from ducha.projects.selectors import start_dates_by

    dates, started = start_dates_by(year, until)
    rows = dates.values("project__unit_id").annotate(planned=Count("pk"), started=Count("pk", filter=started))
    pairs = {r["project__unit_id"]: (r["started"], r["planned"]) for r in rows}
    return {
        unit_id: Decimal(started) / planned * HUNDRED
        for unit_id, (started, planned) in _regrouped(pairs, counts_for).items()
        if planned
    }


def investment_against_schedule(
    *, year: int, month: int, counts_for: dict[int, int] | None = None
) -> dict[int, Decimal]:
    """Investment completion ÷ 序时 per unit in %: (Σ completed ÷ Σ annual plan) ÷ (month ÷ 12) × 100.

    The same figures as the units page and the cockpit (ducha.projects.selectors.unit_completion_rows):
    the latest report up to the month, other currencies in yuan at the configured rates.
    """
    from ducha.lib.periods import Period
    from ducha.lib.schedule import completion_against_schedule
    from ducha.projects.selectors import unit_completion_rows

    units = Unit.objects.areas() if counts_for is None else Unit.objects.filter(pk__in=counts_for)
    period = Period(year, month)
    rows = unit_completion_rows(list(units), period)
    pairs = {row.unit_id: (row.completion.completed, row.completion.planned) for row in rows}
    result = {}
    for unit_id, (completed, planned) in _regrouped(pairs, counts_for).items():
        completion = completion_against_schedule(completed, planned, period.schedule_ratio)
        if completion.ratio is not None:
            result[unit_id] = completion.ratio / completion.schedule * HUNDRED
    return result


def problem_closure_rates(
    *, year: int, until: datetime.date, counts_for: dict[int, int] | None = None
) -> dict[int, Decimal] | None:
    """Closed ÷ raised in % per unit, from supervision; None while supervision does not offer its statistics."""
    try:
        from ducha.supervision.selectors import problem_stats_by_unit
    except ImportError:
        return None
    stats = problem_stats_by_unit(year=year, until=until)
    pairs = {unit_id: (s.closed, s.raised) for unit_id, s in stats.items()}
    return {
        unit_id: Decimal(closed) / Decimal(raised) * HUNDRED
        for unit_id, (closed, raised) in _regrouped(pairs, counts_for).items()
        if raised
    }


def scheme_peer_groups(scheme: Scheme) -> dict[int, str]:
    """{unit id: peer group} where the scheme compares a unit outside its own group."""
    return dict(SchemePeerGroup.objects.filter(scheme=scheme).values_list("unit_id", "peer_group"))


@dataclass
class Inputs:
    specs: list[scoring.ItemSpec]
    units: list[scoring.UnitInput]
    unavailable: list[str]  # item labels whose source gave nothing at all


def evaluation_inputs(*, scheme: Scheme, month: int) -> Inputs:
    """Per unit per item raw values for the period 1–`month` of the scheme's year, in a fixed number of queries."""
    year = scheme.year
    until = month_end(year, month)
    items = list(scheme.items.select_related("indicator"))
    units, counts_for = evaluated_units(scheme)
    indicator_ids = [i.indicator_id for i in items if i.indicator_id]
    values = {
        (i, u, y): v
        for i, u, y, v in IndicatorValue.objects.filter(
            indicator_id__in=indicator_ids, year__in=[year, year - 1], month=month, unit__isnull=False
        ).values_list("indicator_id", "unit_id", "year", "value")
    }
    targets = {
        (i, u): v
        for i, u, v in IndicatorTarget.objects.filter(
            indicator_id__in=indicator_ids, year=year, unit__isnull=False
        ).values_list("indicator_id", "unit_id", "value")
    }
    sources: dict[str, dict[int, Decimal] | None] = {}
    raw_by_item: dict[str, dict[int, Decimal | None]] = {}
    for item in items:
        if item.source in (Source.INDICATOR_GROWTH, Source.INDICATOR_COMPLETION):
            raw_by_item[str(item.pk)] = _indicator_raw(item, units, year, month, values, targets)
            continue
        if item.source not in sources:
            if item.source == Source.START_RATE:
                sources[item.source] = start_rates(year=year, until=until, counts_for=counts_for)
            elif item.source == Source.INVESTMENT_SCHEDULE:
                sources[item.source] = investment_against_schedule(
                    year=year, month=month, counts_for=counts_for
                )
            elif item.source == Source.PROBLEM_CLOSURE:
                sources[item.source] = problem_closure_rates(year=year, until=until, counts_for=counts_for)
        if item.source == Source.MANUAL:
            manual = dict(ManualScore.objects.filter(item=item, month=month).values_list("unit_id", "score"))
            raw_by_item[str(item.pk)] = manual
        else:
            raw_by_item[str(item.pk)] = sources[item.source] or {}
    unavailable = [
        item.label for item in items if not any(v is not None for v in raw_by_item[str(item.pk)].values())
    ]
    groups = scheme_peer_groups(scheme)
    unit_inputs = [
        scoring.UnitInput(
            u.pk, groups.get(u.pk, u.peer_group), {key: raw.get(u.pk) for key, raw in raw_by_item.items()}
        )
        for u in units
    ]
    return Inputs(scheme_item_specs(scheme), unit_inputs, unavailable)


# ---------------------------------------------------------------- reads


def evaluation_get_for_user(user, pk: int, *, write: bool = False) -> Evaluation:
    """Published (and superseded) evaluations are read by every business user; drafts by the office only."""
    evaluation = (
        evaluations_in_scope(user)
        .select_related("scheme", "based_on", "computed_by", "published_by")
        .filter(pk=pk)
        .first()
    )
    if (
        evaluation is None
        or not user.is_business_user
        or (
            (evaluation.status == Status.DRAFT or write)
            and not owns_region_object(user, evaluation.scheme.region_id)
        )
    ):
        raise Http404
    return evaluation


def evaluations_in_scope(user):
    """The evaluations of the schemes of `user`'s regions and of the regions above them (a city's evaluation of
    its districts concerns each district)."""
    scope = owner_region_scope(user, "scheme__region__")
    return Evaluation.objects.all() if scope is None else Evaluation.objects.filter(scope)


def evaluations_for_user(user, *, year: int | None = None):
    rows = evaluations_in_scope(user).select_related("scheme").annotate(units=Count("results"))
    if not user.is_office:
        rows = rows.exclude(status=Status.DRAFT)
    elif not user.reads_everything:  # drafts stay with the office that computed them
        rows = rows.exclude(Q(status=Status.DRAFT) & ~Q(scheme__region=acting_region(user)))
    if year:
        rows = rows.filter(scheme__year=year)
    return rows


@dataclass(frozen=True)
class ResultView:
    result: EvaluationResult
    items: list[scoring.ItemScore]


def evaluation_results(evaluation: Evaluation) -> list[ResultView]:
    results = evaluation.results.select_related("unit").order_by("peer_group", "place", "unit__order")
    return [ResultView(r, [scoring.ItemScore.from_json(i) for i in r.items]) for r in results]


@dataclass(frozen=True)
class Change:
    unit: Unit
    old: EvaluationResult | None
    new: EvaluationResult | None


def evaluation_diff(evaluation: Evaluation) -> list[Change]:
    """Units whose total, place or flag differ from the evaluation this one was recomputed from."""
    if evaluation.based_on_id is None:
        return []
    old = {
        r.unit_id: r
        for r in EvaluationResult.objects.filter(evaluation_id=evaluation.based_on_id).select_related("unit")
    }
    new = {r.unit_id: r for r in evaluation.results.select_related("unit")}
    changes = []
    for unit_id in sorted(old.keys() | new.keys()):
        a, b = old.get(unit_id), new.get(unit_id)
        if a and b and (a.total, a.place, a.flag) == (b.total, b.place, b.flag):
            continue
        changes.append(Change((b or a).unit, a, b))
    return changes


def unit_get_for_history(user, pk: int) -> Unit:
    # the evaluated units: areas, and the district offices a city evaluates
    unit = Unit.objects.exclude(kind=UnitKind.DEPARTMENT).filter(pk=pk).first()
    if unit is None or not user.is_business_user:
        raise Http404
    if not units_visible_to(user, departments=True).filter(pk=unit.pk).exists():
        raise Http404
    return unit


def unit_flag_history(unit: Unit):
    return (
        EvaluationResult.objects.filter(unit=unit, evaluation__status=Status.PUBLISHED)
        .select_related("evaluation__scheme")
        .order_by("-evaluation__scheme__year", "-evaluation__month")
    )


@dataclass(frozen=True)
class PublishedFlag:
    unit_id: int
    unit_name: str
    peer_group: str
    year: int
    month: int
    total: Decimal
    place: int
    group_size: int
    flag: str


def latest_published_flags(
    *, year: int | None = None, month: int | None = None, region=None
) -> list[PublishedFlag]:
    """The flags of the latest published evaluation (of `year`, and up to `month`, if given; by `region`'s
    office, if given), best first within each peer group. A 1-3月 bulletin thus never shows a later
    evaluation's flags."""
    evaluations = Evaluation.objects.filter(status=Status.PUBLISHED).select_related("scheme")
    if region is not None:
        evaluations = evaluations.filter(scheme__region=region)
    if year:
        evaluations = evaluations.filter(scheme__year=year)
        if month:
            evaluations = evaluations.filter(month__lte=month)
    latest = evaluations.order_by("-scheme__year", "-month").first()
    if latest is None:
        return []
    return [
        PublishedFlag(
            r.unit_id,
            r.unit.name,
            r.peer_group,
            latest.scheme.year,
            latest.month,
            r.total,
            r.place,
            r.group_size,
            r.flag,
        )
        for r in latest.results.select_related("unit").order_by("peer_group", "place", "unit__order")
    ]


# ---------------------------------------------------------------- schemes (office)


def schemes_of_office(user):
    """The schemes an office admin keeps: their own region's (every scheme with no region)."""
    if user.reads_everything:
        return Scheme.objects.all()
    return Scheme.objects.filter(region=acting_region(user)) if user.is_office else Scheme.objects.none()


def schemes_for_office(user):
    return schemes_of_office(user).annotate(item_count=Count("items", distinct=True))


def scheme_get_for_office(user, pk: int) -> Scheme:
    return office_get_or_404(user, schemes_of_office(user), pk)


def manual_score_grid(*, scheme: Scheme, month: int):
    """(manual items, the units the scheme evaluates, {(item id, unit id): score}) for the period 1–`month`."""
    items = list(scheme.items.filter(source=Source.MANUAL))
    units, _counts_for = evaluated_units(scheme)  # the scheme's region's units, not every region's
    stored = {
        (i, u): s
        for i, u, s in ManualScore.objects.filter(item__in=items, month=month).values_list(
            "item_id", "unit_id", "score"
        )
    }
    return items, units, stored
