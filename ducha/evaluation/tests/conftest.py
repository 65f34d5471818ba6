from decimal import Decimal

import pytest
from django.utils import translation

from ducha.evaluation.choices import Method, Source
from ducha.evaluation.models import Scheme, SchemeItem
from ducha.indicators.choices import Measure
from ducha.indicators.models import Indicator, IndicatorValue


@pytest.fixture
def sales(db):
    return Indicator.objects.create(code="sales", name="工业开票销售收入", measure=Measure.YUAN)


@pytest.fixture
def scheme(units, sales):
    scheme = Scheme.objects.create(year=2020, name="2020年重点工作绩效评价")
    SchemeItem.objects.create(
        scheme=scheme, label="开票增幅", source=Source.INDICATOR_GROWTH, indicator=sales, weight=60
    )
    SchemeItem.objects.create(
        scheme=scheme,
        label="问题销号率",
        source=Source.PROBLEM_CLOSURE,
        weight=40,
        method=Method.RATIO,
        target=100,
        cap=1,
    )
    return scheme


@pytest.fixture
def sales_values(units, sales):
    """Growth 2020 over 2019 in March: 金城镇 +20%, 东城街道 +10%; 金科园 +5%, 华科园 −5%."""
    for unit, last, now in [
        (units["town"], 100, 120),
        (units["street"], 100, 110),
        (units["park"], 100, 105),
        (units["other_park"], 100, 95),
    ]:
        IndicatorValue.objects.create(indicator=sales, unit=unit, year=2019, month=3, value=Decimal(last))
        IndicatorValue.objects.create(indicator=sales, unit=unit, year=2020, month=3, value=Decimal(now))


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English; test_chinese_* tests switch back to the default language."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
