"""/api/indicators: definitions, the table scoped like the web page, values with the web form's rules."""

from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.api.models import ApiToken
from ducha.indicators.models import IndicatorValue
from ducha.units.models import PeerGroup, Unit, UnitKind


def bearer(user):
    _token, key = ApiToken.issue(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_definitions_list_the_active_indicators(client, office, sales, firms):
    firms.active = False
    firms.save()
    data = client.get("/api/indicators/definitions", **bearer(office)).json()
    assert [(i["code"], i["measure"], i["cumulative"]) for i in data] == [("sales", "yuan", True)]


def test_auditor_token_reads_no_indicators(client, auditor, sales):
    assert client.get("/api/indicators/definitions", **bearer(auditor)).status_code == 403


def test_table_has_the_web_tables_rows_and_figures(client, office, units, sales, put, target):
    put(sales, units["town"], 2020, 3, 300)
    put(sales, units["town"], 2019, 3, 200)
    target(sales, units["town"], 2020, 1000)
    data = client.get("/api/indicators/table?year=2020&month=3", **bearer(office)).json()
    assert data["district"]["unit"] == "全区" and D(data["schedule_percent"]) == 25
    town = next(r for r in data["rows"] if r["unit_id"] == units["town"].pk)
    cell = town["cells"][0]
    assert (D(cell["growth_percent"]), D(cell["completion_percent"]), cell["rank_peer"]) == (50, 30, 1)
    assert len(data["rows"]) == Unit.objects.areas().count()


def test_park_token_sees_only_the_district_and_its_own_row(client, park_user, units, sales):
    data = client.get("/api/indicators/table?year=2020&month=3", **bearer(park_user)).json()
    assert [r["unit_id"] for r in data["rows"]] == [units["park"].pk]


def test_table_query_count_does_not_grow_with_units(client, office, units, sales, put):
    headers = bearer(office)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/indicators/table?year=2020&month=3", **headers).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(10):
        unit = Unit.objects.create(name=f"测试镇{i}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS)
        put(sales, unit, 2020, 3, i)
    assert count() == few


def test_park_token_posts_its_units_values(client, park_user, units, sales, firms):
    payload = {
        "unit_id": units["park"].pk,
        "year": 2020,
        "month": 3,
        "values": [{"indicator": "sales", "value": "12.5亿"}, {"indicator": "firms", "value": 35}],
    }
    response = client.post(
        "/api/indicators/values", payload, content_type="application/json", **bearer(park_user)
    )
    assert response.status_code == 201 and response.json() == {"stored": 2}
    assert IndicatorValue.objects.get(indicator=sales).value == D("1250000000")


def test_park_token_is_refused_for_another_units_values(client, park_user, units, sales):
    payload = {
        "unit_id": units["other_park"].pk,
        "year": 2020,
        "month": 3,
        "values": [{"indicator": "sales", "value": 1}],
    }
    response = client.post(
        "/api/indicators/values", payload, content_type="application/json", **bearer(park_user)
    )
    assert response.status_code == 404 and not IndicatorValue.objects.exists()


def test_department_token_cannot_post_values(client, department_user, units, sales):
    payload = {"unit_id": units["department"].pk, "year": 2020, "month": 3, "values": []}
    response = client.post(
        "/api/indicators/values", payload, content_type="application/json", **bearer(department_user)
    )
    assert response.status_code == 404


def test_office_token_posts_any_units_values(client, office, units, sales):
    payload = {
        "unit_id": units["town"].pk,
        "year": 2020,
        "month": 3,
        "values": [{"indicator": "sales", "value": "300万"}],
    }
    response = client.post(
        "/api/indicators/values", payload, content_type="application/json", **bearer(office)
    )
    assert response.status_code == 201
    assert IndicatorValue.objects.get(unit=units["town"]).value == D("3000000")


def test_a_falling_cumulative_figure_is_422_unless_it_is_a_correction_with_a_reason(
    client, park_user, units, sales, put
):
    put(sales, units["park"], 2020, 2, 500)
    headers = bearer(park_user)
    payload = {
        "unit_id": units["park"].pk,
        "year": 2020,
        "month": 3,
        "values": [{"indicator": "sales", "value": 400}],
    }
    response = client.post("/api/indicators/values", payload, content_type="application/json", **headers)
    assert response.status_code == 422
    assert "below last month" in " ".join(response.json()["error"]["fields"]["values"])
    payload["values"][0].update(correction=True, reason="退税冲减")
    response = client.post("/api/indicators/values", payload, content_type="application/json", **headers)
    assert response.status_code == 201


def test_a_bad_value_is_422_naming_the_field_and_nothing_is_stored(client, park_user, units, sales, firms):
    payload = {
        "unit_id": units["park"].pk,
        "year": 2020,
        "month": 3,
        "values": [
            {"indicator": "sales", "value": 100},
            {"indicator": "firms", "value": "很多"},
            {"indicator": "nope", "value": 1},
        ],
    }
    response = client.post(
        "/api/indicators/values", payload, content_type="application/json", **bearer(park_user)
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["values[1].value", "values[2].indicator"]
    assert not IndicatorValue.objects.exists()


def test_a_future_month_is_422(client, park_user, units, sales):
    payload = {
        "unit_id": units["park"].pk,
        "year": 2099,
        "month": 1,
        "values": [{"indicator": "sales", "value": 1}],
    }
    response = client.post(
        "/api/indicators/values", payload, content_type="application/json", **bearer(park_user)
    )
    assert response.status_code == 422 and "future" in " ".join(response.json()["error"]["fields"]["values"])


def test_table_pages_the_units_as_the_web_table_does(client, office, units, sales, put):
    from ducha.indicators.selectors import ROWS_PER_PAGE

    for i in range(ROWS_PER_PAGE + 3):
        Unit.objects.create(name=f"测试镇{i:02d}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS)
    areas = Unit.objects.areas().count()
    headers = bearer(office)
    first = client.get("/api/indicators/table?year=2020&month=3", **headers).json()
    second = client.get("/api/indicators/table?year=2020&month=3&page=2", **headers).json()
    assert (first["page"], first["pages"], first["count"]) == (1, 2, areas)
    assert len(first["rows"]) == ROWS_PER_PAGE and len(second["rows"]) == areas - ROWS_PER_PAGE
    listed = [r["unit_id"] for r in first["rows"] + second["rows"]]
    assert listed == list(Unit.objects.areas().values_list("pk", flat=True))


def test_the_office_sets_targets_with_the_targets_pages_rules(client, office, park_user, units, sales):
    import json

    headers = bearer(office)

    def put_targets(body, **extra):
        return client.put(
            "/api/indicators/targets/2020",
            json.dumps(body),
            content_type="application/json",
            **headers,
            **extra,
        )

    first = put_targets({"targets": [{"unit_id": units["town"].pk, "indicator": "sales", "value": "1000"}]})
    assert first.status_code == 200 and first.json() == {"stored": 1, "removed": 0}
    read = client.get("/api/indicators/targets", {"year": 2020}, **headers)
    assert [(t["unit"], D(t["value"])) for t in read.json()["targets"]] == [("金城镇", 1000)]
    body = {"targets": [{"unit_id": units["town"].pk, "indicator": "sales", "value": "-1"}]}
    assert put_targets(body).status_code == 428
    refused = put_targets(body, HTTP_IF_MATCH=read["ETag"])
    assert refused.status_code == 422 and "negative" in " ".join(
        sum(refused.json()["error"]["fields"].values(), [])
    )
    unknown = put_targets({"targets": [{"indicator": "nope", "value": "1"}]}, HTTP_IF_MATCH=read["ETag"])
    assert unknown.json()["error"]["fields"] == {"targets[0].indicator": ["unknown indicator"]}
    assert (
        client.put(
            "/api/indicators/targets/2020",
            json.dumps(body),
            content_type="application/json",
            **bearer(park_user),
        ).status_code
        == 403
    )
    park = client.get("/api/indicators/targets", {"year": 2020}, **bearer(park_user)).json()
    assert park["targets"] == []
