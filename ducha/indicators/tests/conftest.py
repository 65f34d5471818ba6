from decimal import Decimal

import pytest
from django.utils import translation

from ducha.indicators.choices import Measure
from ducha.indicators.models import Indicator, IndicatorTarget, IndicatorValue


@pytest.fixture
def sales(db):
    return Indicator.objects.create(code="sales", name="工业开票销售收入", measure=Measure.YUAN, order=1)


@pytest.fixture
def firms(db):
    return Indicator.objects.create(
        code="firms", name="规上工业企业数", measure=Measure.ENTERPRISES, cumulative=False, order=2
    )


@pytest.fixture
def put():
    def put(indicator, unit, year, month, value):
        return IndicatorValue.objects.create(
            indicator=indicator, unit=unit, year=year, month=month, value=Decimal(value)
        )

    return put


@pytest.fixture
def target():
    def target(indicator, unit, year, value):
        return IndicatorTarget.objects.create(indicator=indicator, unit=unit, year=year, value=Decimal(value))

    return target


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English; test_chinese_* tests switch back to the default language."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
