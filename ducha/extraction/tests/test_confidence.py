"""The engine's confidence in each fact, and the review page that sorts and flags by it."""

import pytest
from django.utils import translation

from ducha.extraction.engine import extract_document
from ducha.extraction.engine.extract import LOW_CONFIDENCE, confidence

from .conftest import REPORT


def test_every_fact_carries_a_confidence_between_0_and_1():
    result = extract_document(REPORT, source="r")
    facts = [fact for kind in ("projects", "indicators", "people", "events") for fact in result[kind]]
    assert facts and all(0 < fact["confidence"] < 1 for fact in facts)


def test_what_backs_a_fact_up_raises_its_confidence():
    bare = {"name": "高端装备", "company": None, "investment": None, "capacities": [], "annual_revenue": None}
    named = {**bare, "name": "蜂巢能源动力电池项目", "investment": {"amount": 8e9, "currency": "CNY"}}
    assert confidence("projects", bare) < LOW_CONFIDENCE <= confidence("projects", named)
    assert confidence("people", {"name": "张明", "titles": []}) < confidence(
        "people", {"name": "张明", "titles": ["区长"]}
    )
    ungrounded = {"name": "实现产值", "period": None, "value": 1, "unit": "个", "yoy_pct": None}
    grounded = {"name": "工业开票销售收入", "period": "1-3月", "value": 1, "unit": "元", "yoy_pct": 6.89}
    assert confidence("indicators", ungrounded) < confidence("indicators", grounded)


@pytest.mark.django_db
def test_review_page_shows_the_least_certain_first_and_flags_them(client_for, office, document):
    facts = list(document.facts.order_by("order"))
    doubtful, sure = facts[-1], facts[0]
    doubtful.payload = {**doubtful.payload, "confidence": 0.3}
    sure.payload = {**sure.payload, "confidence": 0.95}
    doubtful.save()
    sure.save()
    with translation.override("en"):
        page = client_for(office).get(document.get_absolute_url()).content.decode()
    assert page.index(f'id="fact-{doubtful.pk}"') < page.index(f'id="fact-{sure.pk}"')
    flagged = page[page.index(f'id="fact-{doubtful.pk}"') :]
    assert "Low confidence" in flagged[: flagged.index("</div>")]
    assert page.count("fact-low-confidence") == sum(
        1 for f in document.facts.all() if (f.payload.get("confidence") or 1) < LOW_CONFIDENCE
    )
