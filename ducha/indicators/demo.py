"""Jintan's 2019 and 2020 monthly indicators for the district and every town, street and park.

District figures follow the 金坛时报 front pages: 1–3月 2020 工业开票销售收入 321.71亿元 (+6.89%,
net +20.73亿), 规上企业 456家, "三新一特" 89.36亿元 (+22.14%); 1–11月 开票 1425.2亿元, 工业实际投入
187.1亿元 (74.9% of the plan), 实际到账注册外资 3.05亿美元, 一般公共预算收入 53.7亿元. The other
months and the units' shares are invented around them. Idempotent: values are matched on
(indicator, unit, year, month) and updated in bulk.
"""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from ducha.units.demo import jintan_units
from ducha.units.models import Unit, UnitKind

from .choices import Measure
from .models import Indicator, IndicatorTarget, IndicatorValue

YI = Decimal(100_000_000)
AREAS = [str(UnitKind.TOWN), str(UnitKind.STREET), str(UnitKind.PARK)]

# code, name, measure, cumulative, reported by, {year: 12 monthly values (亿 for money)}, 2020 district target
INDICATORS = [
    (
        "sales",
        "工业开票销售收入",
        Measure.YUAN,
        True,
        AREAS,
        {
            2019: [112, 198, "300.98", 415, 532, 660, 776, 893, 1021, 1150, 1290, 1430],
            2020: [95, "172.4", "321.71", 452, 585, 728, 856, 985, 1124, 1270, "1425.2", 1600],
        },
        1560,
    ),
    (
        "sxyt_sales",
        "“三新一特”产业开票销售收入",
        Measure.YUAN,
        True,
        AREAS,
        {
            2019: [27, 48, "73.16", 101, 130, 161, 190, 219, 250, 282, 316, 351],
            2020: [28, 51, "89.36", 124, 160, 199, 235, 271, 309, 349, 391, 436],
        },
        420,
    ),
    (
        "firms",
        "规上工业企业数",
        Measure.ENTERPRISES,
        False,
        AREAS,
        {
            2019: [421, 421, 423, 425, 426, 428, 430, 431, 433, 434, 436, 438],
            2020: [449, 451, 456, 458, 460, 462, 465, 467, 470, 472, 475, 481],
        },
        490,
    ),
    (
        "industrial_input",
        "工业实际投入",
        Measure.YUAN,
        True,
        AREAS,
        {
            2019: [11, 24, 40, 57, 74, 92, 108, 124, 139, 154, 170, 186],
            2020: [9, 19, 38, 56, 75, 95, 113, 130, 147, 167, "187.1", 206],
        },
        "249.8",
    ),
    (
        "fdi",
        "实际到账注册外资",
        Measure.USD,
        True,
        AREAS,
        {
            2019: [
                "0.18",
                "0.35",
                "0.58",
                "0.8",
                "1.02",
                "1.25",
                "1.46",
                "1.68",
                "1.9",
                "2.15",
                "2.6",
                "2.78",
            ],
            2020: [
                "0.12",
                "0.3",
                "0.61",
                "0.88",
                "1.14",
                "1.42",
                "1.7",
                "1.98",
                "2.3",
                "2.66",
                "3.05",
                "3.2",
            ],
        },
        "2.9",
    ),
    (
        "budget_revenue",
        "一般公共预算收入",
        Measure.YUAN,
        True,
        AREAS,
        {
            2019: [
                "6.1",
                "10.4",
                "15.2",
                "20.5",
                "25.4",
                "30.2",
                "34.8",
                "39.1",
                "43.4",
                "47.6",
                "50.9",
                "55.3",
            ],
            2020: [
                "6.4",
                "10.2",
                "15.1",
                "20.8",
                "26.1",
                "31.3",
                "36.2",
                "40.8",
                "45.5",
                "50.1",
                "53.7",
                "58.1",
            ],
        },
        57,
    ),
    (
        "tax_revenue",
        "税收收入",
        Measure.YUAN,
        True,
        AREAS,
        {
            2019: [
                "5.2",
                "8.8",
                "12.8",
                "17.2",
                "21.3",
                "25.3",
                "29.1",
                "32.7",
                "36.3",
                "39.8",
                "42.6",
                "46.2",
            ],
            2020: [
                "5.4",
                "8.5",
                "12.6",
                "17.4",
                "21.9",
                "26.2",
                "30.4",
                "34.3",
                "38.2",
                "42.1",
                "45.2",
                "48.9",
            ],
        },
        48,
    ),
    (
        "signed_projects",
        "新签约亿元以上项目",
        Measure.ITEMS,
        True,
        AREAS,
        {
            2019: [3, 6, 11, 16, 21, 26, 31, 35, 40, 45, 50, 56],
            2020: [2, 5, 12, 18, 24, 30, 36, 41, 47, 52, 58, 63],
        },
        60,
    ),
    (
        "started_projects",
        "新开工亿元以上项目",
        Measure.ITEMS,
        True,
        AREAS,
        {
            2019: [2, 4, 8, 12, 16, 20, 24, 27, 30, 34, 38, 42],
            2020: [1, 3, 9, 14, 19, 24, 28, 32, 36, 40, 44, 47],
        },
        45,
    ),
    (
        "hightech_share",
        "高新技术产业产值占比",
        Measure.PERCENT,
        False,
        [str(UnitKind.PARK)],
        {
            2019: [
                "45.2",
                "45.3",
                "45.6",
                "45.8",
                "46",
                "46.1",
                "46.3",
                "46.5",
                "46.6",
                "46.8",
                "47",
                "47.1",
            ],
            2020: [
                "47.5",
                "47.6",
                "48.2",
                "48.5",
                "48.7",
                "49",
                "49.2",
                "49.4",
                "49.6",
                "49.9",
                "50.2",
                "50.4",
            ],
        },
        50,
    ),
]

# Each unit's share of the district (parks weigh more); the rest of the district is outside the units.
SHARES = {
    "常州金坛经济开发区": Decimal("0.24"),
    "常州金坛华罗庚科技产业园": Decimal("0.13"),
    "常州金坛金城科技产业园": Decimal("0.11"),
    "江苏茅山旅游度假区": Decimal("0.02"),
    "江苏长荡湖旅游度假区": Decimal("0.02"),
}
DEFAULT_SHARE = Decimal("0.05")


def _wobble(*parts: object, spread: int = 16) -> Decimal:
    """A stable factor in [1 − spread/200, 1 + spread/200] derived from the parts' names."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return Decimal(1) + (Decimal(digest[0] % (spread + 1)) - Decimal(spread) / 2) / Decimal(100)


def _base(value, measure: str) -> Decimal:
    value = Decimal(str(value))
    return value * YI if measure in (Measure.YUAN, Measure.USD) else value


def _unit_value(
    district: Decimal, *, unit: Unit, code: str, year: int, measure: str, cumulative: bool
) -> Decimal:
    if measure == Measure.PERCENT:
        return (district * _wobble(unit.name, code, spread=40)).quantize(Decimal("0.01"))
    share = SHARES.get(unit.name, DEFAULT_SHARE * _wobble(unit.name, "share", spread=60))
    # A unit's growth differs from the district's: last year is scaled by a unit-specific factor.
    factor = _wobble(unit.name, code, year, spread=24) if year == 2019 else Decimal(1)
    value = district * share * factor
    places = (
        Decimal(1)
        if measure in (Measure.ENTERPRISES, Measure.ITEMS, Measure.YUAN, Measure.USD)
        else Decimal("0.01")
    )
    return value.quantize(places, rounding=ROUND_HALF_UP)


def load(*, password: str, log) -> None:
    units = list(jintan_units().areas())  # the figures are Jintan's; the other districts have none yet
    indicators = {}
    for order, (code, name, measure, cumulative, kinds, _years, _target) in enumerate(INDICATORS, start=1):
        indicators[code], _created = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "measure": measure,
                "cumulative": cumulative,
                "reporting_kinds": kinds,
                "order": order,
            },
        )

    wanted: dict[tuple[int, int | None, int, int], Decimal] = {}
    for code, _name, measure, cumulative, kinds, years, target in INDICATORS:
        indicator = indicators[code]
        for year, months in years.items():
            for month, raw in enumerate(months, start=1):
                district = _base(raw, measure)
                wanted[(indicator.pk, None, year, month)] = district
                for unit in units:
                    if unit.kind in kinds:
                        wanted[(indicator.pk, unit.pk, year, month)] = _unit_value(
                            district, unit=unit, code=code, year=year, measure=measure, cumulative=cumulative
                        )
        _target_save(indicator, None, _base(target, measure))
        for unit in units:
            if unit.kind in kinds:
                district_target = _base(target, measure)
                unit_target = _unit_value(
                    district_target, unit=unit, code=code, year=2020, measure=measure, cumulative=cumulative
                )
                _target_save(
                    indicator,
                    unit,
                    (unit_target * _wobble(unit.name, code, "target", spread=20)).quantize(Decimal(1)),
                )

    existing = {
        (v.indicator_id, v.unit_id, v.year, v.month): v
        for v in IndicatorValue.objects.filter(indicator__in=indicators.values(), year__in=[2019, 2020])
    }
    to_update, to_create = [], []
    for key, value in wanted.items():
        if key in existing:
            row = existing[key]
            if row.value != value or row.is_correction:
                row.value, row.is_correction, row.correction_reason = value, False, ""
                to_update.append(row)
        else:
            indicator_id, unit_id, year, month = key
            to_create.append(
                IndicatorValue(
                    indicator_id=indicator_id, unit_id=unit_id, year=year, month=month, value=value
                )
            )
    IndicatorValue.objects.bulk_create(to_create, batch_size=1000)
    IndicatorValue.objects.bulk_update(
        to_update, ["value", "is_correction", "correction_reason"], batch_size=1000
    )
    log(
        f"indicators: {len(indicators)} indicators, {len(to_create)} values created, {len(to_update)} updated"
    )


def _target_save(indicator: Indicator, unit: Unit | None, value: Decimal) -> None:
    IndicatorTarget.objects.update_or_create(
        indicator=indicator, unit=unit, year=2020, defaults={"value": value}
    )
