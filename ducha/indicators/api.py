"""Indicator endpoints, mounted at /api/indicators: definitions, the period table, monthly values."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status

from ducha.api.auth import business_user, office_user
from ducha.api.conditional import PRECONDITION_DOC, PreconditionFailed, content_etag, if_match
from ducha.api.errors import ApiError, ErrorOut
from ducha.api.types import Month, ObjectId, Year
from ducha.lib.periods import Period
from ducha.projects.services import StaleEdit
from ducha.units.models import Unit

from . import rules, selectors, services
from .models import Indicator, IndicatorTarget, IndicatorValue

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    code: str
    name: str
    measure: str
    cumulative: bool
    higher_is_better: bool
    reporting_kinds: list[str]


class CellOut(Schema):
    indicator: str
    reported: bool
    value: Decimal | None
    last_year: Decimal | None
    target: Decimal | None
    completion_percent: Decimal | None
    schedule_gap_points: Decimal | None
    growth_percent: Decimal | None
    increase: Decimal | None
    rank_peer: int | None
    rank_district: int | None


class RowOut(Schema):
    unit_id: int | None = Field(description="Empty for the whole district.")
    unit: str
    cells: list[CellOut]


class TableOut(Schema):
    year: int
    month: int
    schedule_percent: Decimal
    indicators: list[IndicatorOut]
    district: RowOut = Field(description="The home district as a whole; no cells for another region's users")
    rows: list[RowOut]  # one page of the units (ROWS_PER_PAGE), in the web table's order
    page: int
    pages: int
    count: int = Field(description="Units the token's user may read, on all pages")


class ValueIn(Schema):
    indicator: str = Field(description="The indicator's code.")
    value: str | int | float | Decimal = Field(
        description="In the base unit (元, 美元, 家 …), or typed with 亿/万: 321.71亿."
    )
    correction: bool = False
    reason: str = ""


class ValuesIn(Schema):
    unit_id: ObjectId
    year: Year
    month: Month
    values: list[ValueIn]


class MonthQuery(Schema):
    unit_id: ObjectId
    year: Year
    month: Month


class StoredValueOut(Schema):
    indicator: str
    value: Decimal
    correction: bool
    reason: str


class MonthValuesOut(Schema):
    unit_id: int
    unit: str
    year: int
    month: int
    values: list[StoredValueOut]


class StoredOut(Schema):
    stored: int


def _row(row) -> RowOut:
    return RowOut(
        unit_id=row.unit.pk if row.unit else None,
        unit=row.unit.name if row.unit else "全区",
        cells=[
            CellOut(
                indicator=c.indicator.code,
                reported=c.reported,
                value=c.derived.value,
                last_year=c.derived.last_year,
                target=c.derived.target,
                completion_percent=c.derived.completion,
                schedule_gap_points=c.derived.gap,
                growth_percent=c.derived.growth,
                increase=c.derived.increase,
                rank_peer=c.rank_peer,
                rank_district=c.rank_district,
            )
            for c in row.cells
        ],
    )


@router.get("/definitions", response=list[IndicatorOut])
def definitions(request):
    """The active indicators, in the table's order."""
    business_user(request)
    return list(Indicator.objects.active())


@router.get("/table", response=TableOut)
def table(request, year: Year | None = None, month: Month | None = None, page: int | None = None):
    """The period table (1–month of year): the district and one page (`page`, from 1) of the units the
    token's user may read, as the web table pages them; places rank every unit the table compares."""
    user = business_user(request)
    year, month = Period.from_params(year, month)
    result, chosen = selectors.indicator_table_page(user=user, year=year, month=month, page=page)
    return TableOut(
        page=chosen.number,
        pages=chosen.paginator.num_pages,
        count=chosen.paginator.count,
        year=result.year,
        month=result.month,
        schedule_percent=result.schedule,
        indicators=result.indicators,
        district=_row(result.district)
        if selectors.reads_home_district(user)
        else RowOut(unit_id=None, unit="全区", cells=[]),
        rows=[_row(r) for r in result.rows],
    )


def _month_values(unit: Unit, year: int, month: int, *, lock: bool = False) -> list[IndicatorValue]:
    rows = IndicatorValue.objects.filter(unit=unit, year=year, month=month).select_related("indicator")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return sorted(rows, key=lambda v: v.indicator_id)


def month_etag(values: list[IndicatorValue]) -> str | None:
    """The ETag of a unit's figures for a month, from what is stored (None while nothing is)."""
    if not values:
        return None
    return content_etag(
        "values",
        [(v.pk, v.indicator_id, v.value, v.is_correction, v.correction_reason, v.entered_at) for v in values],
    )


@router.get("/values", response=MonthValuesOut)
def get_values(request, response: HttpResponse, query: Query[MonthQuery]):
    """A unit's stored figures for a month (base units). The `ETag` header is needed, as `If-Match`, to
    store figures for a month that already has some."""
    user = business_user(request)
    visible = selectors.visible_unit_ids(user)
    unit = Unit.objects.areas().filter(pk=query.unit_id).first()
    if unit is None or (visible is not None and unit.pk not in visible):
        raise Http404
    values = _month_values(unit, query.year, query.month)
    if etag := month_etag(values):
        response["ETag"] = etag
    return {
        "unit_id": unit.pk,
        "unit": unit.name,
        "year": query.year,
        "month": query.month,
        "values": [
            {
                "indicator": v.indicator.code,
                "value": v.value,
                "correction": v.is_correction,
                "reason": v.correction_reason,
            }
            for v in values
        ],
    }


@router.post(
    "/values",
    response={201: StoredOut, 412: ErrorOut, 422: ErrorOut, 428: ErrorOut},
    description="Store a unit's figures for a month: unit staff for their own unit, the office for any. "
    "The rules of the web form apply: no future month, and a cumulative figure below last month's only as a "
    "correction with a reason. Nothing is stored when any value is refused (422). The first figures of a month "
    "need no `If-Match`; once the month has figures, send the ETag of GET /values for that unit and month. "
    + PRECONDITION_DOC,
)
def post_values(request, response: HttpResponse, payload: ValuesIn):
    user = business_user(request)
    unit = selectors.unit_get_for_entry(user, payload.unit_id)
    indicators = {i.code: i for i in Indicator.objects.active()}
    problems: dict[str, list[str]] = {}
    entries: list[services.Entry] = []
    for index, item in enumerate(payload.values):
        where = f"values[{index}]"
        indicator = indicators.get(item.indicator)
        if indicator is None:
            problems.setdefault(f"{where}.indicator", []).append(f"unknown indicator “{item.indicator}”")
            continue
        if not indicator.reported_by(unit):
            problems.setdefault(f"{where}.indicator", []).append(
                f"{unit.name} does not report “{indicator.name}”"
            )
            continue
        try:
            value = rules.parse_amount(item.value, indicator.measure)
        except rules.WrongUnit as exc:
            problems.setdefault(f"{where}.value", []).append(str(exc))
            continue
        except ValueError:
            value = None
        if value is None:
            problems.setdefault(f"{where}.value", []).append(f"“{item.value}” is not a number")
            continue
        entries.append(services.Entry(indicator, value, is_correction=item.correction, reason=item.reason))
    if problems:
        raise ApiError(422, "Some values were refused; nothing was stored.", fields=problems)
    with transaction.atomic():
        if_match(request, month_etag(_month_values(unit, payload.year, payload.month, lock=True)))
        try:
            stored = services.indicator_values_save(
                unit=unit, year=payload.year, month=payload.month, entries=entries, user=user
            )
        except ValidationError as exc:
            problems = {"values": list(exc.messages)}
        except StaleEdit as exc:  # a first figure of the month stored at the same moment
            raise PreconditionFailed(None) from exc
    if problems:
        raise ApiError(422, "Some values were refused; nothing was stored.", fields=problems)
    response["ETag"] = month_etag(_month_values(unit, payload.year, payload.month)) or ""
    return Status(201, {"stored": stored})


class TargetOut(Schema):
    unit_id: int | None = Field(description="Null for the whole district.")
    unit: str
    indicator: str = Field(description="The indicator's code.")
    value: Decimal


class TargetsOut(Schema):
    year: int
    targets: list[TargetOut]


class TargetIn(Schema):
    unit_id: ObjectId | None = Field(None, description="Null for the whole district.")
    indicator: str = Field(description="The indicator's code.")
    value: Decimal | None = Field(description="In the base unit; null removes the target.")


class TargetsIn(Schema):
    targets: list[TargetIn]


class TargetsStoredOut(Schema):
    stored: int
    removed: int


def _targets(year: int, unit_ids: list[int] | None, *, district: bool) -> list[IndicatorTarget]:
    rows = IndicatorTarget.objects.filter(year=year).select_related("indicator", "unit")
    if unit_ids is not None:
        rows = (
            rows.filter(Q(unit_id__in=unit_ids) | Q(unit__isnull=True))
            if district
            else rows.filter(unit_id__in=unit_ids)
        )
    elif not district:
        rows = rows.filter(unit__isnull=False)
    return sorted(rows, key=lambda t: (t.unit_id or 0, t.indicator_id))


def targets_etag(targets: list[IndicatorTarget]) -> str | None:
    if not targets:
        return None
    return content_etag("targets", [(t.pk, t.unit_id, t.indicator_id, t.value) for t in targets])


@router.get("/targets", response=TargetsOut)
def get_targets(request, response: HttpResponse, year: Year):
    """The annual targets (年度目标) of `year` the token's user may read. The `ETag` covers the office's whole
    grid of the year, and is needed to change it."""
    user = business_user(request)
    targets = _targets(year, selectors.visible_unit_ids(user), district=selectors.reads_home_district(user))
    own, district = selectors.target_units(user)
    if user.is_office and (etag := targets_etag(_targets(year, [u.pk for u in own], district=district))):
        response["ETag"] = etag
    return {
        "year": year,
        "targets": [
            {
                "unit_id": t.unit_id,
                "unit": t.unit.name if t.unit else "全区",
                "indicator": t.indicator.code,
                "value": t.value,
            }
            for t in targets
        ],
    }


@router.put(
    "/targets/{year}",
    response={200: TargetsStoredOut, 403: ErrorOut, 412: ErrorOut, 422: ErrorOut, 428: ErrorOut},
    description="The office sets (or, with null, removes) annual targets of its own units and district, with "
    "the rules of the targets page (indicator_targets_save): all or none. Once the year has targets, send the "
    "ETag of GET /targets?year=. " + PRECONDITION_DOC,
)
def put_targets(request, response: HttpResponse, year: Path[Year], payload: TargetsIn):
    user = office_user(request)
    codes = {i.code: i.pk for i in Indicator.objects.all()}
    unknown = {
        f"targets[{n}].indicator": ["unknown indicator"]
        for n, t in enumerate(payload.targets)
        if t.indicator not in codes
    }
    if unknown:
        raise ApiError(422, "Unknown indicators; nothing was stored.", fields=unknown)
    own, district = selectors.target_units(user)
    grid = {(t.unit_id, codes[t.indicator]): t.value for t in payload.targets}
    with transaction.atomic():
        current = _targets(year, [u.pk for u in own], district=district)
        list(
            IndicatorTarget.objects.select_for_update()
            .filter(pk__in=[t.pk for t in current])
            .order_by("pk")  # not the model's order, whose outer join PostgreSQL cannot lock
            .values_list("pk")
        )
        if_match(request, targets_etag(current))
        stored, removed = services.indicator_targets_save(year=year, targets=grid, user=user)
    if etag := targets_etag(_targets(year, [u.pk for u in own], district=district)):
        response["ETag"] = etag
    return {"stored": stored, "removed": removed}
