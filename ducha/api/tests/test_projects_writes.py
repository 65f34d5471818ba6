"""Projects through the API: created with the web form's rules, plans, reports and nodes (issue 16 §2)."""

import datetime
import json

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from ducha.api.models import ApiToken
from ducha.projects.models import Milestone, Project
from ducha.projects.tests.factories import make_project, make_report


def bearer(user):
    _token, key = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def send(client, method, url, body, user, **headers):
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", **bearer(user), **headers
    )


NEW = {
    "name": "接口新建项目",
    "company": "常州某某科技有限公司",
    "level": "district",
    "category": "industrial",
    "construction_type": "new",
    "total_investment_wan": "50000",
    "planned_investment_wan": "12000",
    "plan_year": 2020,
    "capacities": [{"quantity": "18", "unit": "GWh", "product": "动力电池"}],
}


def test_unit_staff_create_a_project_for_their_unit_with_the_web_forms_rules(client, park_user, units):
    response = send(client, "post", "/api/projects", {**NEW, "unit": units["park"].pk}, park_user)
    assert response.status_code == 201, response.content
    body = response.json()
    project = Project.objects.get(pk=body["id"])
    assert project.name == "接口新建项目" and project.unit == units["park"] and response["ETag"]
    assert project.annual_plans.get(year=2020).planned_investment == 12000
    assert body["capacities"][0]["unit"] == "GWh"
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Project), object_pk=str(project.pk)
    )
    assert entry.actor == park_user


def test_a_project_for_another_unit_or_with_an_unknown_level_is_refused(client, park_user, units):
    response = send(client, "post", "/api/projects", {**NEW, "unit": units["other_park"].pk}, park_user)
    assert response.status_code == 422 and "unit" in response.json()["error"]["fields"]
    response = send(
        client, "post", "/api/projects", {**NEW, "unit": units["park"].pk, "level": "x"}, park_user
    )
    fields = response.json()["error"]["fields"]
    assert response.status_code == 422 and "district" in " ".join(fields["level"])
    assert not Project.objects.exists()


def test_a_department_may_not_create_projects(client, department_user, units):
    response = send(client, "post", "/api/projects", {**NEW, "unit": units["park"].pk}, department_user)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_plans_are_written_with_the_projects_etag(client, office, units):
    project = make_project(units["park"])
    url = f"/api/projects/{project.pk}/plans"
    read = client.get(url, **bearer(office))
    assert read.json() == []
    body = {"planned_investment_wan": "3000"}
    assert send(client, "put", f"{url}/2021", body, office).status_code == 428
    response = send(client, "put", f"{url}/2021", body, office, HTTP_IF_MATCH=read["ETag"])
    assert response.status_code == 200 and response.json()[0]["year"] == 2021
    stale = send(
        client, "put", f"{url}/2021", {"planned_investment_wan": "1"}, office, HTTP_IF_MATCH=read["ETag"]
    )
    assert stale.status_code == 412
    assert project.annual_plans.get(year=2021).planned_investment == 3000


def test_reports_list_pages(client, office, units):
    project = make_project(units["park"])
    for month in (1, 2, 3):
        make_report(project, month, 100 * month)
    page = client.get(f"/api/projects/{project.pk}/reports", {"limit": 2}, **bearer(office)).json()
    assert page["count"] == 3 and [r["month"] for r in page["results"]] == [3, 2] and page["next"]


def test_a_node_is_reached_with_its_etag_and_not_in_the_future(client, office, park_user, units):
    project = make_project(units["park"])
    node = Milestone.objects.create(
        project=project, name="主体封顶", order=1, planned_date=datetime.date(2020, 6, 1)
    )
    url = f"/api/projects/{project.pk}/milestones/{node.pk}"
    assert (
        client.get(f"/api/projects/{project.pk}/milestones", **bearer(park_user)).json()[0]["name"]
        == "主体封顶"
    )
    etag = client.get(url, **bearer(park_user))["ETag"]
    future = send(
        client, "post", f"{url}/reached", {"actual_date": "2999-01-01"}, park_user, HTTP_IF_MATCH=etag
    )
    assert future.status_code == 422 and "actual_date" in future.json()["error"]["fields"]
    done = send(
        client, "post", f"{url}/reached", {"actual_date": "2020-05-30"}, park_user, HTTP_IF_MATCH=etag
    )
    assert done.status_code == 200 and done.json()["actual_date"] == "2020-05-30"
    again = send(
        client, "post", f"{url}/reached", {"actual_date": "2020-05-31"}, park_user, HTTP_IF_MATCH=etag
    )
    assert again.status_code == 412


def test_another_units_nodes_and_plans_are_404(client, park_user, units):
    other = make_project(units["other_park"])
    node = Milestone.objects.create(
        project=other, name="开工", order=1, planned_date=datetime.date(2020, 6, 1)
    )
    for url in (f"/api/projects/{other.pk}/plans", f"/api/projects/{other.pk}/milestones/{node.pk}"):
        response = client.get(url, **bearer(park_user))
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_the_office_lays_out_the_nodes_from_a_template(client, office, park_user, units):
    from ducha.projects.models import MilestoneTemplate

    project = make_project(units["park"])
    template = MilestoneTemplate.objects.create(name="模板")
    template.steps.create(name="开工", days_before_target=200, order=1)
    template.steps.create(name="竣工", days_before_target=30, order=2)
    url = f"/api/projects/{project.pk}/milestones/lay-out"
    body = {"template": template.pk, "target": "2020-12-31"}
    assert send(client, "post", url, body, office).status_code == 428
    etag = client.get(f"/api/projects/{project.pk}", **bearer(office))["ETag"]
    assert send(client, "post", url, body, park_user, HTTP_IF_MATCH=etag).status_code == 403
    response = send(client, "post", url, body, office, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert [(m["name"], m["planned_date"]) for m in response.json()] == [
        ("开工", "2020-06-14"),
        ("竣工", "2020-12-01"),
    ]
    unknown = send(client, "post", url, {**body, "template": 999999}, office, HTTP_IF_MATCH=etag)
    assert unknown.status_code == 422 and "template" in unknown.json()["error"]["fields"]
