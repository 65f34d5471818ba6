"""Integers out of range (issue 11): 422 naming the parameter, never a 500, on SQLite and PostgreSQL."""

import json

import pytest

from ducha.projects.tests.factories import make_project

from .test_api import bearer

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        (f"/api/projects/{HUGE}", "project_id"),
        (f"/api/projects/{HUGE}/reports/2020/3", "project_id"),
        ("/api/projects?offset=1e22", "offset"),
        (f"/api/projects?offset={HUGE}", "offset"),
        (f"/api/projects?limit={HUGE}", "limit"),
        (f"/api/projects?unit={HUGE}", "unit"),
        (f"/api/projects?year={HUGE}", "year"),
        (f"/api/supervision/problems/{HUGE}", "problem_id"),
        (f"/api/supervision/problems?offset={HUGE}", "offset"),
        (f"/api/supervision/problems?department={HUGE}", "department"),
        (f"/api/supervision/rounds?offset={HUGE}", "offset"),
        (f"/api/supervision/rounds/{HUGE}", "round_id"),
        (f"/api/indicators/table?year={HUGE}", "year"),
        (f"/api/indicators/values?unit_id={HUGE}&year=2020&month=3", "unit_id"),
        (f"/api/evaluation/{HUGE}", "evaluation_id"),
        (f"/api/evaluation/units/{HUGE}/flags", "unit_id"),
        (f"/api/evaluation/?year={HUGE}", "year"),
    ],
)
def test_a_huge_integer_in_the_url_is_422_naming_the_parameter(client, office, url, parameter):
    response = client.get(url, **bearer(office))
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert list(fields) == [parameter] and fields[parameter][0]


def test_the_largest_id_a_database_can_hold_is_simply_not_found(client, office):
    assert client.get(f"/api/projects/{2**63 - 1}", **bearer(office)).status_code == 404
    assert client.get(f"/api/projects/{2**63}", **bearer(office)).status_code == 422


def post(client, url, body, user, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **bearer(user), **headers)


def test_huge_integers_in_a_json_body_are_422(client, office, units):
    project = make_project(units["park"])
    report = {"year": 10**22, "month": 3, "investment_month": "1", "investment_ytd": "1", "stage": "started"}
    response = post(client, f"/api/projects/{project.pk}/reports", report, office)
    assert response.status_code == 422 and list(response.json()["error"]["fields"]) == ["year"]
    values = {"unit_id": 10**22, "year": 2020, "month": 3, "values": []}
    response = post(client, "/api/indicators/values", values, office)
    assert response.status_code == 422 and list(response.json()["error"]["fields"]) == ["unit_id"]


def test_a_huge_amount_is_422_naming_the_field(client, office, units):
    project = make_project(units["park"])
    report = {"year": 2020, "month": 3, "investment_month": "1", "investment_ytd": "1e30", "stage": "started"}
    response = post(client, f"/api/projects/{project.pk}/reports", report, office)
    assert response.status_code == 422 and "investment_ytd" in response.json()["error"]["fields"]
    response = client.patch(
        f"/api/projects/{project.pk}",
        json.dumps({"total_investment_wan": 10**40}),
        content_type="application/json",
        HTTP_IF_MATCH="*",
        **bearer(office),
    )
    assert response.status_code == 422 and "total_investment_wan" in response.json()["error"]["fields"]
