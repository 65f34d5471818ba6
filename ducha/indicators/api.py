"""Indicator endpoints, mounted at /api/indicators: definitions, the period table, monthly values."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema, Status

from ducha.api.auth import business_user

from . import rules, selectors, services
from .models import Indicator

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
    district: RowOut
    rows: list[RowOut]


class ValueIn(Schema):
    indicator: str = Field(description="The indicator's code.")
    value: str | int | float | Decimal = Field(
        description="In the base unit (元, 美元, 家 …), or typed with 亿/万: 321.71亿."
    )
    correction: bool = False
    reason: str = ""


class ValuesIn(Schema):
    unit_id: int
    year: int
    month: int
    values: list[ValueIn]


class StoredOut(Schema):
    stored: int


class Problem(Schema):
    field: str
    message: str


class ProblemsOut(Schema):
    detail: list[Problem]


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
def table(request, year: int | None = None, month: int | None = None):
    """The period table (1–month of year): the district and the units the token's user may read."""
    user = business_user(request)
    year, month = selectors.period_or_default(year, month)
    result = selectors.indicator_table(year=year, month=month, unit_ids=selectors.visible_unit_ids(user))
    return TableOut(
        year=result.year,
        month=result.month,
        schedule_percent=result.schedule,
        indicators=result.indicators,
        district=_row(result.district),
        rows=[_row(r) for r in result.rows],
    )


@router.post("/values", response={201: StoredOut, 422: ProblemsOut})
def post_values(request, payload: ValuesIn):
    """Store a unit's figures for a month: unit staff for their own unit, the office for any.

    The rules of the web form apply: no future month, and a cumulative figure below last month's
    only as a correction with a reason. Nothing is stored when any value is refused (422).
    """
    user = business_user(request)
    unit = selectors.unit_get_for_entry(user, payload.unit_id)
    indicators = {i.code: i for i in Indicator.objects.active()}
    problems: list[Problem] = []
    entries: list[services.Entry] = []
    for index, item in enumerate(payload.values):
        where = f"values[{index}]"
        indicator = indicators.get(item.indicator)
        if indicator is None:
            problems.append(
                Problem(field=f"{where}.indicator", message=f"unknown indicator “{item.indicator}”")
            )
            continue
        if not indicator.reported_by(unit):
            problems.append(
                Problem(field=f"{where}.indicator", message=f"{unit.name} does not report “{indicator.name}”")
            )
            continue
        try:
            value = rules.parse_amount(item.value, indicator.measure)
        except rules.WrongUnit as exc:
            problems.append(Problem(field=f"{where}.value", message=str(exc)))
            continue
        except ValueError:
            value = None
        if value is None:
            problems.append(Problem(field=f"{where}.value", message=f"“{item.value}” is not a number"))
            continue
        entries.append(services.Entry(indicator, value, is_correction=item.correction, reason=item.reason))
    if not problems:
        try:
            stored = services.indicator_values_save(
                unit=unit, year=payload.year, month=payload.month, entries=entries, user=user
            )
        except ValidationError as exc:
            problems = [Problem(field="values", message=m) for m in exc.messages]
        else:
            return Status(201, {"stored": stored})
    return Status(422, {"detail": problems})
