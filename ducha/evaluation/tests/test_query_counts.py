"""Lists of the evaluation app that had no "same queries for few and many rows" test: the schemes, a
unit's flag history, a recomputed draft's differences, and the API's evaluations, results and flags. (The web evaluation list, an evaluation's
results, the scheme editor and the manual scores grid have theirs in test_views.py and test_schemes.py.)"""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.api.models import ApiToken
from ducha.evaluation import services
from ducha.evaluation.choices import Flag, Method, Source, Status
from ducha.evaluation.models import Evaluation, EvaluationResult, Scheme, SchemeItem
from ducha.indicators.models import IndicatorValue
from ducha.units.models import PeerGroup, Unit, UnitKind


def _queries(client, url, data=None) -> int:
    client.get(url, data)  # warm up the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data).status_code == 200
    return len(ctx.captured_queries)


def _schemes(years, indicator):
    for year in years:
        scheme = Scheme.objects.create(year=year, name=f"{year}年重点工作绩效评价")
        SchemeItem.objects.create(
            scheme=scheme, label="开票增幅", source=Source.INDICATOR_GROWTH, indicator=indicator, weight=60
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


def test_schemes_page_query_count_does_not_grow_with_schemes(office, client_for, sales):
    client = client_for(office)
    _schemes([2019, 2020], sales)
    few = _queries(client, reverse("evaluation:schemes"))
    _schemes(range(2007, 2019), sales)
    assert len(client.get(reverse("evaluation:schemes")).context["schemes"]) == 14
    many = _queries(client, reverse("evaluation:schemes"))
    assert many == few, f"{few} queries for 2 schemes, {many} for 14"


def _published_results(unit, periods):
    """A published evaluation with `unit`'s result for each (year, month)."""
    for year, month in periods:
        scheme, _ = Scheme.objects.get_or_create(year=year, defaults={"name": f"{year}年度板块综合考评"})
        evaluation = Evaluation.objects.create(scheme=scheme, month=month, status=Status.PUBLISHED)
        EvaluationResult.objects.create(
            evaluation=evaluation,
            unit=unit,
            peer_group=unit.peer_group,
            total=Decimal(80 + month),
            place=1 + month % 2,
            group_size=2,
            flag=Flag.RED if month % 2 else Flag.YELLOW,
        )


@pytest.mark.parametrize("persona", ["office", "leader", "park_user"])
def test_flag_history_query_count_does_not_grow_with_evaluations(persona, request, client_for, units):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("evaluation:unit_history", args=[units["park"].pk])
    _published_results(units["park"], [(2020, 3), (2020, 6)])
    few = _queries(client, url)
    _published_results(units["park"], [(year, month) for year in (2018, 2019) for month in range(1, 7)])
    assert len(client.get(url).context["results"]) == 14
    many = _queries(client, url)
    assert many == few, f"{few} queries for 2 results, {many} for 14"


def test_recomputed_evaluation_query_count_does_not_grow_with_changed_units(
    scheme, sales_values, units, sales, office, client_for
):
    """A recomputed draft lists every unit whose score, place or flag differs from the published one."""
    client = client_for(office)

    def count():
        services.evaluation_publish(
            evaluation=services.evaluation_compute(scheme=scheme, month=3, user=office), user=office
        )
        IndicatorValue.objects.filter(year=2020).update(value=Decimal(300) - F("value"))  # growth reversed
        draft = services.evaluation_compute(scheme=scheme, month=3, user=office)
        response = client.get(reverse("evaluation:detail", args=[draft.pk]))
        assert draft.based_on_id and response.context["changes"]
        return _queries(client, reverse("evaluation:detail", args=[draft.pk])), len(
            response.context["changes"]
        )

    few, few_changes = count()
    for i in range(12):
        town = Unit.objects.create(
            name=f"测试镇{i}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS, order=100 + i
        )
        IndicatorValue.objects.create(indicator=sales, unit=town, year=2019, month=3, value=Decimal(100))
        IndicatorValue.objects.create(indicator=sales, unit=town, year=2020, month=3, value=Decimal(101 + i))
    many, many_changes = count()
    assert many_changes > few_changes
    assert many == few, f"{few} queries for {few_changes} changed units, {many} for {many_changes}"


# --- the same lists through the API ----------------------------------------------------------------


def _api_queries(client, user, url) -> int:
    _token, key = ApiToken.issue(user=user, name="query-count")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.get(url, **headers)  # warm up the caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **headers).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["office", "park_user"])
def test_api_flag_history_query_count_does_not_grow_with_evaluations(persona, request, client, units):
    user = request.getfixturevalue(persona)
    url = f"/api/evaluation/units/{units['park'].pk}/flags"
    _published_results(units["park"], [(2020, 3), (2020, 6)])
    few = _api_queries(client, user, url)
    _published_results(units["park"], [(year, month) for year in (2018, 2019) for month in range(1, 7)])
    many = _api_queries(client, user, url)
    assert many == few, f"{few} queries for 2 results, {many} for 14"


@pytest.mark.parametrize("persona", ["office", "leader"])
def test_api_evaluation_list_query_count_does_not_grow_with_evaluations(persona, request, client, units):
    user = request.getfixturevalue(persona)
    _published_results(units["park"], [(2020, 3), (2020, 6)])
    few = _api_queries(client, user, "/api/evaluation/")
    _published_results(units["park"], [(year, month) for year in (2018, 2019) for month in range(1, 7)])
    many = _api_queries(client, user, "/api/evaluation/")
    assert many == few, f"{few} queries for 2 evaluations, {many} for 14"


def test_api_evaluation_query_count_does_not_grow_with_units(scheme, sales_values, office, client):
    def count():
        evaluation = services.evaluation_compute(scheme=scheme, month=3, user=office)
        return _api_queries(client, office, f"/api/evaluation/{evaluation.pk}")

    few = count()
    for i in range(12):
        Unit.objects.create(name=f"测试镇{i}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS)
    many = count()
    assert many == few, f"{few} queries for 4 units, {many} for 16"
