"""ETag / If-Match on the API (issue 11): a write must name the version it was made from."""

import json
from decimal import Decimal

import pytest

from ducha.indicators.models import Indicator, IndicatorValue, Measure
from ducha.projects.models import ProgressReport, Project
from ducha.projects.tests.factories import make_project, make_report

from .test_api import bearer


def send(client, method, url, body=None, *, user, if_match=None):
    headers = bearer(user)
    if if_match is not None:
        headers["HTTP_IF_MATCH"] = if_match
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(url, data, content_type="application/json", **headers)


@pytest.fixture
def project(units):
    return make_project(units["park"], "蜂巢能源动力电池项目", company="蜂巢能源")


def test_a_project_carries_its_version_as_etag(client, office, project):
    response = client.get(f"/api/projects/{project.pk}", **bearer(office))
    assert response["ETag"] == f'"project-{project.pk}-v1"'
    assert response.json()["version"] == 1


def test_patch_with_the_current_etag_saves_and_returns_the_next_one(client, park_user, project):
    etag = client.get(f"/api/projects/{project.pk}", **bearer(park_user))["ETag"]
    response = send(
        client,
        "patch",
        f"/api/projects/{project.pk}",
        {"company": "蜂巢能源科技", "total_investment_wan": "800000"},
        user=park_user,
        if_match=etag,
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"project-{project.pk}-v2"'
    project.refresh_from_db()
    assert (project.company, project.total_investment, project.version) == ("蜂巢能源科技", 800000, 2)


def test_patch_without_if_match_is_428_and_changes_nothing(client, park_user, project):
    response = send(client, "patch", f"/api/projects/{project.pk}", {"company": "别人"}, user=park_user)
    assert response.status_code == 428
    assert "If-Match" in response.json()["error"]["message"]
    project.refresh_from_db()
    assert (project.company, project.version) == ("蜂巢能源", 1)


def test_patch_with_a_stale_etag_is_412_and_the_stored_row_is_unchanged(client, park_user, office, project):
    stale = client.get(f"/api/projects/{project.pk}", **bearer(park_user))["ETag"]
    first = send(
        client, "patch", f"/api/projects/{project.pk}", {"company": "甲"}, user=office, if_match=stale
    )
    assert first.status_code == 200
    before = Project.objects.values().get(pk=project.pk)
    response = send(
        client, "patch", f"/api/projects/{project.pk}", {"company": "乙"}, user=park_user, if_match=stale
    )
    assert response.status_code == 412
    assert response["ETag"] == first["ETag"]
    assert "changed since you read it" in response.json()["error"]["message"]
    assert Project.objects.values().get(pk=project.pk) == before


def test_weak_and_wildcard_if_match(client, office, project):
    url = f"/api/projects/{project.pk}"
    weak = f'W/"project-{project.pk}-v1"'
    assert send(client, "patch", url, {"company": "甲"}, user=office, if_match=weak).status_code == 412
    assert send(client, "patch", url, {"company": "乙"}, user=office, if_match="*").status_code == 200


def test_patch_follows_the_models_rules(client, office, project):
    response = send(
        client, "patch", f"/api/projects/{project.pk}", {"national_code": "12"}, user=office, if_match="*"
    )
    assert response.status_code == 422 and "national_code" in response.json()["error"]["fields"]
    project.refresh_from_db()
    assert (project.national_code, project.version) == ("", 1)


def test_another_units_project_cannot_be_patched(client, park_user, units):
    other = make_project(units["other_park"], "华科园项目")
    response = send(
        client, "patch", f"/api/projects/{other.pk}", {"company": "x"}, user=park_user, if_match="*"
    )
    assert response.status_code == 404


def test_delete_needs_the_etag(client, office, project):
    url = f"/api/projects/{project.pk}"
    assert send(client, "delete", url, user=office).status_code == 428
    assert send(client, "delete", url, user=office, if_match='"project-1-v9"').status_code == 412
    assert Project.objects.filter(pk=project.pk).exists()
    etag = client.get(url, **bearer(office))["ETag"]
    assert send(client, "delete", url, user=office, if_match=etag).status_code == 204
    assert not Project.objects.filter(pk=project.pk).exists()


def test_only_the_office_deletes(client, park_user, project):
    assert (
        send(client, "delete", f"/api/projects/{project.pk}", user=park_user, if_match="*").status_code == 403
    )


REPORT = {"year": 2020, "month": 4, "investment_month": "100", "investment_ytd": "600", "stage": "started"}


def test_a_new_month_needs_no_if_match_but_filing_it_again_does(client, park_user, project):
    url = f"/api/projects/{project.pk}/reports"
    make_report(project, 3, 500)
    created = send(client, "post", url, REPORT, user=park_user)
    assert created.status_code == 201
    read = client.get(f"{url}/2020/4", **bearer(park_user))
    assert read.status_code == 200 and read["ETag"] == created["ETag"]
    again = {**REPORT, "investment_month": "150", "investment_ytd": "650"}
    assert send(client, "post", url, again, user=park_user).status_code == 428
    replaced = send(client, "post", url, again, user=park_user, if_match=read["ETag"])
    assert replaced.status_code == 200 and replaced["ETag"] != read["ETag"]
    before = ProgressReport.objects.values().get(project=project, month=4)
    stale = send(client, "post", url, {**again, "narrative": "旧页面"}, user=park_user, if_match=read["ETag"])
    assert stale.status_code == 412 and stale["ETag"] == replaced["ETag"]
    assert ProgressReport.objects.values().get(project=project, month=4) == before
    assert before["investment_ytd"] == Decimal(650)


def test_a_month_without_a_report_is_404(client, park_user, project):
    assert client.get(f"/api/projects/{project.pk}/reports/2020/4", **bearer(park_user)).status_code == 404


@pytest.fixture
def sales(db):
    return Indicator.objects.create(code="sales", name="工业开票销售收入", measure=Measure.YUAN, order=1)


def test_storing_over_a_months_figures_needs_their_etag(client, park_user, office, units, sales):
    park = units["park"].pk
    body = {"unit_id": park, "year": 2020, "month": 3, "values": [{"indicator": "sales", "value": "300万"}]}
    assert send(client, "post", "/api/indicators/values", body, user=park_user).status_code == 201
    query = {"unit_id": park, "year": 2020, "month": 3}
    read = client.get("/api/indicators/values", query, **bearer(park_user))
    assert read.status_code == 200 and Decimal(read.json()["values"][0]["value"]) == 3000000
    body["values"][0]["value"] = "320万"
    assert send(client, "post", "/api/indicators/values", body, user=park_user).status_code == 428
    ok = send(client, "post", "/api/indicators/values", body, user=office, if_match=read["ETag"])
    assert ok.status_code == 201
    body["values"][0]["value"] = "999万"
    stale = send(client, "post", "/api/indicators/values", body, user=park_user, if_match=read["ETag"])
    assert stale.status_code == 412 and stale["ETag"] == ok["ETag"]
    assert IndicatorValue.objects.get(unit_id=park).value == Decimal(3200000)


def test_the_openapi_document_explains_if_match(client, office):
    client.force_login(office)
    spec = client.get("/api/openapi.json").json()
    assert "428 Precondition Required" in spec["info"]["description"]
    patch = spec["paths"]["/api/projects/{project_id}"]["patch"]
    assert {"412", "428"} <= set(patch["responses"]) and "If-Match" in patch["description"]


def test_a_save_between_the_check_and_the_write_is_412_too(client, office, project, monkeypatch):
    from django.db.models import F

    from ducha.api import api as api_module

    checked = api_module.if_match

    def someone_saves_right_after_the_check(request, current):
        checked(request, current)
        Project.objects.filter(pk=project.pk).update(company="别人", version=F("version") + 1)

    monkeypatch.setattr(api_module, "if_match", someone_saves_right_after_the_check)
    etag = client.get(f"/api/projects/{project.pk}", **bearer(office))["ETag"]
    response = send(
        client, "patch", f"/api/projects/{project.pk}", {"company": "我"}, user=office, if_match=etag
    )
    assert response.status_code == 412 and response["ETag"] == f'"project-{project.pk}-v2"'
    project.refresh_from_db()
    assert project.company == "别人"
