"""The 2020 key-work evaluation scheme of Jintan (金坛区's own), with its 1–3月 and 1–11月 evaluations published.

Idempotent: the scheme and its items are matched by region, year and label; a period that already has a
published evaluation is left alone (published evaluations are frozen).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model

from ducha.indicators.models import Indicator
from ducha.regions.demo import CITY, JINTAN, region
from ducha.regions.services import county_units
from ducha.units.demo import jintan_units

from . import services
from .choices import FlagRuleKind, Method, Source, Status
from .models import Evaluation, ManualScore, Scheme, SchemeItem

# label, source, indicator code, weight, method, target, cap
ITEMS = [
    ("工业开票销售收入增幅", Source.INDICATOR_GROWTH, "sales", 15, Method.RANK_POINTS, None, "1.2"),
    ("工业开票销售收入目标完成率", Source.INDICATOR_COMPLETION, "sales", 10, Method.RANK_POINTS, None, "1.2"),
    ("“三新一特”开票增幅", Source.INDICATOR_GROWTH, "sxyt_sales", 10, Method.RANK_POINTS, None, "1.2"),
    (
        "工业实际投入完成率",
        Source.INDICATOR_COMPLETION,
        "industrial_input",
        15,
        Method.RANK_POINTS,
        None,
        "1.2",
    ),
    ("实际到账外资完成率", Source.INDICATOR_COMPLETION, "fdi", 10, Method.RANK_POINTS, None, "1.2"),
    ("一般公共预算收入增幅", Source.INDICATOR_GROWTH, "budget_revenue", 10, Method.RANK_POINTS, None, "1.2"),
    ("重点项目开工率", Source.START_RATE, None, 10, Method.RATIO, 100, "1"),
    ("项目投资序时完成", Source.INVESTMENT_SCHEDULE, None, 10, Method.RATIO, 100, "1.2"),
    ("督办问题销号率", Source.PROBLEM_CLOSURE, None, 5, Method.RATIO, 100, "1"),
    ("综合评议", Source.MANUAL, None, 5, Method.RATIO, 100, "1"),
]
PERIODS = [3, 11]


def load(*, password: str, log) -> None:
    scheme, _created = Scheme.objects.update_or_create(
        region=region(JINTAN),
        year=2020,
        defaults={"name": "2020年度重点工作绩效评价", "flag_rule": FlagRuleKind.THIRDS},
    )
    indicators = {i.code: i for i in Indicator.objects.all()}
    manual = None
    for order, (label, source, code, weight, method, target, cap) in enumerate(ITEMS, start=1):
        if code and code not in indicators:
            continue
        item, _created = SchemeItem.objects.update_or_create(
            scheme=scheme,
            label=label,
            defaults={
                "source": source,
                "indicator": indicators.get(code) if code else None,
                "weight": Decimal(weight),
                "method": method,
                "target": None if target is None else Decimal(target),
                "cap": Decimal(cap),
                "order": order,
            },
        )
        if source == Source.MANUAL:
            manual = item
    units = list(jintan_units().areas())
    if manual:
        for month in PERIODS:
            for index, unit in enumerate(units):
                ManualScore.objects.update_or_create(
                    item=manual,
                    unit=unit,
                    month=month,
                    defaults={"score": Decimal(86 + (index * 7 + month) % 13)},
                )
    office = get_user_model().objects.filter(username="office").first()  # Jintan's office
    for month in PERIODS:
        if Evaluation.objects.filter(scheme=scheme, month=month, status=Status.PUBLISHED).exists():
            continue
        draft = services.evaluation_compute(scheme=scheme, month=month, user=office)
        services.evaluation_publish(evaluation=draft, user=office)
    log(f"evaluation: scheme {scheme.year} with {scheme.items.count()} items, periods {PERIODS} published")
    _load_city(log)


# The city's own scheme for its districts: project work only (the generated districts report no indicators).
CITY_ITEMS = [
    ("重点项目开工率", Source.START_RATE, 30, Method.RATIO, 100, "1"),
    ("项目投资序时完成", Source.INVESTMENT_SCHEDULE, 50, Method.RATIO, 100, "1.2"),
    ("督办问题销号率", Source.PROBLEM_CLOSURE, 20, Method.RATIO, 100, "1"),
]


def _load_city(log) -> None:
    """常州市 evaluates its three districts for 1–11月 2020 and publishes their flags."""
    city = region(CITY)
    county_units(city)
    scheme, _created = Scheme.objects.update_or_create(
        region=city,
        year=2020,
        defaults={"name": "2020年度各辖市区重点项目推进考核", "flag_rule": FlagRuleKind.THIRDS},
    )
    for order, (label, source, weight, method, target, cap) in enumerate(CITY_ITEMS, start=1):
        SchemeItem.objects.update_or_create(
            scheme=scheme,
            label=label,
            defaults={
                "source": source,
                "weight": Decimal(weight),
                "method": method,
                "target": Decimal(target),
                "cap": Decimal(cap),
                "order": order,
            },
        )
    city_office = get_user_model().objects.filter(username="city_office").first()
    if not Evaluation.objects.filter(scheme=scheme, month=11, status=Status.PUBLISHED).exists():
        draft = services.evaluation_compute(scheme=scheme, month=11, user=city_office)
        services.evaluation_publish(evaluation=draft, user=city_office)
    log("evaluation: 常州市 evaluated its districts for 1-11月 2020")
