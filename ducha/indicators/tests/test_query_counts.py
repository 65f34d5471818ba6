"""Pages of the indicators app that had no "same queries for few and many rows" test: the monthly entry
form, the definitions (on the web and through the API) and the trend charts. (The table and the targets
grid have theirs in test_views.py, test_office.py and test_api.py.)"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.api.models import ApiToken
from ducha.indicators.choices import Measure
from ducha.indicators.models import Indicator
from ducha.units.models import PeerGroup, Unit, UnitKind

AREAS = ["town", "street", "park", "other_park"]


def _queries(client, url, data=None) -> int:
    client.get(url, data)  # warm up the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data).status_code == 200
    return len(ctx.captured_queries)


def _indicators(n, *, start=0, measure=Measure.YUAN, **kw) -> list[Indicator]:
    return [
        Indicator.objects.create(
            code=f"extra{i}", name=f"测试指标{i}", measure=measure, order=10 + i, cumulative=i % 2 == 0, **kw
        )
        for i in range(start, start + n)
    ]


def _values(put, indicators, units, months=(2, 3)):
    for indicator in indicators:
        for unit in units:
            for month in months:
                put(indicator, unit, 2020, month, 100 * month)


@pytest.mark.parametrize("persona", ["office", "park_user"])
def test_entry_form_query_count_does_not_grow_with_indicators(
    persona, request, units, sales, put, client_for
):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("indicators:entry", args=[units["park"].pk])
    period = {"year": 2020, "month": 3}
    _values(put, [sales], [units["park"]])
    few = _queries(client, url, period)
    extra = _indicators(12)
    _indicators(3, start=12, reporting_kinds=["town"])  # not reported by parks: not on the form
    _values(put, extra, [units["park"]])
    assert len(client.get(url, period).context["form"].rows) == 13
    many = _queries(client, url, period)
    assert many == few, f"{few} queries for 1 indicator, {many} for 13"


def test_definitions_query_count_does_not_grow_with_indicators(units, sales, firms, put, office, client_for):
    client = client_for(office)
    url = reverse("indicators:definitions")
    _values(put, [sales, firms], [units["park"]])
    few = _queries(client, url)
    extra = _indicators(6) + _indicators(6, start=6, active=False)
    _values(put, extra, [units[key] for key in AREAS])
    many = _queries(client, url)
    assert many == few, f"{few} queries for 2 indicators, {many} for 14"


@pytest.mark.parametrize(
    ("persona", "unit_key"), [("office", None), ("office", "park"), ("leader", "town"), ("park_user", "park")]
)
def test_trend_query_count_does_not_grow_with_units_and_indicators(
    persona, unit_key, request, units, sales, put, client_for
):
    """The page offers every visible unit and every active indicator; its series come from one query."""
    client = client_for(request.getfixturevalue(persona))
    url = reverse("indicators:trend", args=[sales.code])
    data = {"year": 2020, "month": 3} | ({"unit": units[unit_key].pk} if unit_key else {})
    _values(put, [sales], [None, *(units[key] for key in AREAS)], months=range(1, 4))
    few = _queries(client, url, data)
    for i in range(12):
        Unit.objects.create(
            name=f"测试镇{i}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS, order=100 + i
        )
    _values(put, _indicators(12), [None, units["park"]], months=range(1, 13))
    _values(put, [sales], [None, *(units[key] for key in AREAS)], months=range(4, 13))
    many = _queries(client, url, data)
    assert many == few, f"{few} queries for 4 units and 1 indicator, {many} for 16 and 13"


def test_api_definitions_query_count_does_not_grow_with_indicators(client, units, sales, firms, park_user):
    _token, key = ApiToken.issue(user=park_user, name="query-count")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    def count():
        client.get("/api/indicators/definitions", **headers)  # warm up the caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/indicators/definitions", **headers).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    _indicators(12)
    many = count()
    assert many == few, f"{few} queries for 2 indicators, {many} for 14"
