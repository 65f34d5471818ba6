import json

from ducha.api.models import ApiToken
from ducha.projects.tests.factories import make_plan, make_project, make_report


def bearer(user):
    _token, key = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_requests_without_a_token_are_refused(client, db):
    assert client.get("/api/projects").status_code == 401


def test_a_revoked_token_is_refused(client, office):
    token, key = ApiToken.issue(user=office, name="old")
    token.revoked = True
    token.save()
    assert client.get("/api/projects", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_projects_are_scoped_like_the_web_pages(client, park_user, units):
    make_project(units["park"], "金科园项目")
    make_project(units["other_park"], "华科园项目")
    data = client.get("/api/projects", **bearer(park_user)).json()
    assert [p["name"] for p in data["results"]] == ["金科园项目"]


def test_another_units_project_is_404(client, park_user, units):
    other = make_project(units["other_park"], "华科园项目")
    assert client.get(f"/api/projects/{other.pk}", **bearer(park_user)).status_code == 404


def test_project_detail_carries_period_figures_and_capacities(client, office, units):
    project = make_project(units["park"], "蜂巢能源动力电池项目", total_investment=800000)
    project.capacities.create(quantity=18, unit="GWh", product="动力电池")
    make_plan(project, amount=1200)
    make_report(project, 3, 300)
    data = client.get("/api/projects", {"year": 2020, "month": 3}, **bearer(office)).json()
    assert float(data["results"][0]["completed_ytd_wan"]) == 300
    detail = client.get(f"/api/projects/{project.pk}", **bearer(office)).json()
    assert detail["capacities"][0]["unit"] == "GWh"


def test_report_submission_follows_the_same_rules(client, park_user, units):
    project = make_project(units["park"])
    make_report(project, 3, 500)
    headers = bearer(park_user)
    body = {"year": 2020, "month": 4, "investment_month": "0", "investment_ytd": "400", "stage": "started"}
    response = client.post(
        f"/api/projects/{project.pk}/reports", json.dumps(body), content_type="application/json", **headers
    )
    assert response.status_code == 422
    assert "investment_ytd" in response.json()["error"]["fields"]
    body["investment_ytd"] = "600"
    body["investment_month"] = "100"
    response = client.post(
        f"/api/projects/{project.pk}/reports", json.dumps(body), content_type="application/json", **headers
    )
    assert response.status_code == 201
    assert project.reports.get(month=4).submitted_by == park_user


def test_auditor_token_reads_no_business_data(client, auditor):
    assert client.get("/api/projects", **bearer(auditor)).status_code == 403


def test_oc4ids_package(client, office, units):
    project = make_project(
        units["park"], "信维通信项目", national_code="2019-320482-39-03-512345", company="信维通信"
    )
    project.stage_dates.create(stage="started", actual_date="2019-04-01")
    package = client.get("/api/projects/oc4ids", **bearer(office)).json()
    (released,) = package["projects"]
    assert released["title"] == "信维通信项目"
    assert released["budget"]["amount"] == {"amount": 100000000.0, "currency": "CNY"}
    assert released["identifiers"][0]["id"] == "2019-320482-39-03-512345"
    assert released["status"] == "implementation"
    assert {"funder"} <= {r for p in released["parties"] for r in p["roles"]}  # the investor company


def test_openapi_document_is_served_to_signed_in_users(client_for, park_user):
    spec = client_for(park_user).get("/api/openapi.json").json()
    assert "/api/projects" in spec["paths"]


def test_negative_offset_is_treated_as_zero(client, office, units):
    make_project(units["park"], "项目")
    response = client.get("/api/projects", {"offset": -1}, **bearer(office))
    assert response.status_code == 200 and response.json()["count"] == 1
