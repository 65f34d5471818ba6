import pytest
from django.utils import translation

from ducha.extraction import services
from ducha.indicators.choices import Measure
from ducha.indicators.models import Indicator

# Written for the tests with figures from the seeds' pages (not their sentences).
REPORT = """金坛时报 2020年4月20日
区领导督查重点项目

本报讯 4月18日,区委书记狄志强带队开展集中现场督查,先后察看了9个重点项目。
总投资80亿元的蜂巢能源动力电池项目进展顺利,建成后可形成18GWh动力电池的年生产能力,预计年销售收入超100亿元。
北电爱思特三元材料动力电池项目计划总投资100亿元,目前一期已投产。
1-3月,全区实现工业开票销售收入321.71亿元,同比增长6.89%。
"""


@pytest.fixture(autouse=True)
def english(settings):
    """Messages are asserted in English; one test checks the Chinese page on its own."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def report_text():
    return REPORT


@pytest.fixture
def document(office):
    return services.document_import(text=REPORT, user=office, title="督查快报")


@pytest.fixture
def sales(db):
    return Indicator.objects.create(code="sales", name="工业开票销售收入", measure=Measure.YUAN, order=1)


def fact_of(document, kind, name=None):
    facts = document.facts.filter(kind=kind)
    if name:
        facts = [f for f in facts if f.payload.get("name") == name]
    return facts[0]
