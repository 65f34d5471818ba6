import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.evaluation import services
from ducha.evaluation.choices import Status
from ducha.evaluation.models import Evaluation
from ducha.units.models import PeerGroup, Unit, UnitKind


@pytest.fixture
def published(scheme, sales_values, office):
    return services.evaluation_publish(
        evaluation=services.evaluation_compute(scheme=scheme, month=3, user=office), user=office
    )


def test_office_computes_a_draft_and_publishes_it(scheme, sales_values, office, client_for):
    client = client_for(office)
    response = client.post(reverse("evaluation:compute"), {"scheme": scheme.pk, "month": 3})
    draft = Evaluation.objects.get()
    assert response.status_code == 302 and draft.status == Status.DRAFT
    client.post(reverse("evaluation:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


def test_evaluation_page_shows_flags_and_explains_each_score(published, units, leader, client_for):
    html = client_for(leader).get(reverse("evaluation:detail", args=[published.pk])).content.decode()
    assert 'data-flag="red"' in html
    assert "100 × (2 − 1) ÷ (2 − 1) = 100" in html  # 金城镇: first of two towns/streets
    assert "(60 × 100) ÷ (60) = 100" in html


def test_draft_is_hidden_from_everyone_but_the_office(
    scheme, sales_values, office, leader, park_user, client_for
):
    draft = services.evaluation_compute(scheme=scheme, month=3, user=office)
    assert client_for(leader).get(reverse("evaluation:detail", args=[draft.pk])).status_code == 404
    assert client_for(park_user).get(reverse("evaluation:detail", args=[draft.pk])).status_code == 404
    assert client_for(office).get(reverse("evaluation:detail", args=[draft.pk])).status_code == 200


def test_only_the_office_publishes_and_recomputes(published, leader, park_user, client_for):
    for user in (leader, park_user):
        assert client_for(user).post(reverse("evaluation:recompute", args=[published.pk])).status_code == 403


def test_recompute_leads_to_a_draft_with_its_differences(published, office, client_for):
    response = client_for(office).post(reverse("evaluation:recompute", args=[published.pk]), follow=True)
    assert response.context["evaluation"].based_on == published
    assert "No unit" in response.content.decode() or "没有" in response.content.decode()


def test_unit_history_lists_published_flags(published, units, park_user, client_for):
    response = client_for(park_user).get(reverse("evaluation:unit_history", args=[units["park"].pk]))
    assert [r.flag for r in response.context["results"]] == ["red"]


def test_park_user_cannot_open_another_parks_history(published, units, park_user, client_for):
    assert (
        client_for(park_user)
        .get(reverse("evaluation:unit_history", args=[units["other_park"].pk]))
        .status_code
        == 404
    )


def test_auditor_cannot_read_evaluations(published, auditor, client_for):
    assert client_for(auditor).get(reverse("evaluation:detail", args=[published.pk])).status_code == 403


def test_detail_query_count_does_not_grow_with_units(scheme, sales_values, office, client_for):
    client = client_for(office)

    def count():
        evaluation = services.evaluation_compute(scheme=scheme, month=3, user=office)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("evaluation:detail", args=[evaluation.pk])).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(15):
        Unit.objects.create(name=f"测试镇{i}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS)
    assert count() == few


def test_list_query_count_does_not_grow_with_evaluations(scheme, sales_values, office, client_for):
    client = client_for(office)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("evaluation:list")).status_code == 200
        return len(ctx.captured_queries)

    services.evaluation_compute(scheme=scheme, month=3, user=office)
    few = count()
    for month in (4, 5, 6):
        services.evaluation_compute(scheme=scheme, month=month, user=office)
    assert count() == few


def test_chinese_evaluation_page(published, leader, client_for, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    html = client_for(leader).get(reverse("evaluation:detail", args=[published.pk])).content.decode()
    assert "2020年1-3月重点工作绩效评价" in html and "红旗" in html and "计分说明" in html
