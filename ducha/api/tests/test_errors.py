"""Every 4xx and 5xx under /api/ has the one envelope (issue 16 §2)."""

import json

import pytest

from ducha.api.models import ApiToken
from ducha.projects.tests.factories import make_project


def bearer(user, **kwargs):
    _token, key = ApiToken.issue(user=user, name="test", **kwargs)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["code"] == code and error["message"]
    return error


@pytest.mark.parametrize("path", ["/api/nowhere", "/api/projects/1/nowhere", "/api/projects/"])
def test_an_unknown_path_is_a_json_404(client, office, path):
    error_of(client.get(path, **bearer(office)), 404, "not_found")


def test_an_unknown_path_is_a_json_404_even_without_a_token(client, db):
    error_of(client.post("/api/nowhere"), 404, "not_found")


def test_a_missing_object_and_one_outside_the_scope_answer_alike(client, park_user, units):
    other = make_project(units["other_park"], "华科园项目")
    missing = error_of(client.get("/api/projects/999999", **bearer(park_user)), 404, "not_found")
    hidden = error_of(client.get(f"/api/projects/{other.pk}", **bearer(park_user)), 404, "not_found")
    assert missing == hidden


def test_a_method_the_path_does_not_take_is_a_json_405(client, office):
    response = client.put("/api/units", **bearer(office))
    error = error_of(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"] and "GET" in error["message"]


def test_a_refused_parameter_is_a_422_naming_it(client, office):
    error = error_of(client.get("/api/projects", {"month": 13}, **bearer(office)), 422, "validation")
    assert list(error["fields"]) == ["month"]


def test_a_refused_body_field_is_a_422_naming_it(client, office, units):
    project = make_project(units["park"])
    response = client.post(
        f"/api/projects/{project.pk}/reports",
        json.dumps({"year": 2020, "month": 4, "investment_month": "x"}),
        content_type="application/json",
        **bearer(office),
    )
    error = error_of(response, 422, "validation")
    assert {"investment_month", "investment_ytd", "stage"} <= set(error["fields"])


def test_a_body_that_is_not_json_is_a_4xx_in_the_envelope(client, office, units):
    project = make_project(units["park"])
    response = client.post(
        f"/api/projects/{project.pk}/reports", "{not json", content_type="application/json", **bearer(office)
    )
    assert response.status_code in (400, 422)
    error_of(response, response.status_code, response.json()["error"]["code"])


def test_no_token_is_a_401_in_the_envelope(client, db):
    response = client.get("/api/projects")
    error_of(response, 401, "unauthorized")
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_read_only_token_writing_is_a_403_in_the_envelope(client, office, units):
    project = make_project(units["park"])
    response = client.patch(
        f"/api/projects/{project.pk}", "{}", content_type="application/json", **bearer(office, read_only=True)
    )
    error_of(response, 403, "forbidden")


def test_an_auditor_is_a_403_in_the_envelope(client, auditor):
    error_of(client.get("/api/projects", **bearer(auditor)), 403, "forbidden")


def test_conditional_writes_answer_428_and_412_in_the_envelope(client, office, units):
    project = make_project(units["park"])
    headers = bearer(office)
    url = f"/api/projects/{project.pk}"
    body = json.dumps({"name": "改名项目"})
    error_of(
        client.patch(url, body, content_type="application/json", **headers), 428, "precondition_required"
    )
    stale = client.patch(url, body, content_type="application/json", HTTP_IF_MATCH='"old"', **headers)
    error_of(stale, 412, "precondition_failed")
    assert stale["ETag"] == client.get(url, **headers)["ETag"]


def test_a_rule_of_the_form_is_a_422_naming_the_field(client, office, units):
    project = make_project(units["park"])
    headers = bearer(office)
    url = f"/api/projects/{project.pk}"
    etag = client.get(url, **headers)["ETag"]
    response = client.patch(
        url, json.dumps({"name": ""}), content_type="application/json", HTTP_IF_MATCH=etag, **headers
    )
    assert "name" in error_of(response, 422, "validation")["fields"]


def test_a_server_error_is_a_json_500_and_is_logged(client, office, monkeypatch, caplog):
    from ducha.api import api as api_module

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api_module, "units_visible_to", broken)
    with caplog.at_level("ERROR", logger="django.request"):
        error = error_of(client.get("/api/units", **bearer(office)), 500, "server_error")
    assert "boom" not in error["message"]
    assert any(record.exc_info and "boom" in str(record.exc_info[1]) for record in caplog.records)


def test_the_openapi_document_describes_the_envelope_for_every_operation(client, office):
    client.force_login(office)
    document = client.get("/api/openapi.json").json()
    assert "Error" in document["components"]["schemas"]
    ref = {"$ref": "#/components/schemas/Error"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "404" in responses and "422" in responses and "500" in responses, (method, path)
            for status, response in responses.items():
                if status[0] in "45":
                    assert response["content"]["application/json"]["schema"] == ref, (method, path, status)
