import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ducha.api.models import ApiToken
from ducha.supervision.models import Problem, RoundVisit, SupervisionRound

from .conftest import RAISED


@pytest.fixture
def api(client):
    """api(user) → a function doing GET/POST on /api/supervision with that user's bearer token."""

    def for_user(user):
        _token, key = ApiToken.issue(user=user, name="t")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

        def call(method, path, if_match=None, **data):
            url = "/api/supervision" + path
            if method == "get":
                return client.get(url, data, **headers)
            extra = {"HTTP_IF_MATCH": if_match} if if_match else {}
            return client.post(url, data, content_type="application/json", **headers, **extra)

        return call

    return for_user


def test_department_token_lists_only_its_problems_and_gets_404_for_anothers(
    make_problem, units, api, department_user
):
    own = make_problem(description="住建局的问题")
    other = make_problem(description="自然资源局的问题", lead_department=units["other_department"])
    call = api(department_user)
    body = call("get", "/problems").json()
    assert body["count"] == 1 and [p["id"] for p in body["results"]] == [own.pk]
    assert call("get", f"/problems/{own.pk}").status_code == 200
    assert call("get", f"/problems/{other.pk}").status_code == 404
    assert call("post", f"/problems/{other.pk}/answer", action="answer", comment="x").status_code == 404
    assert other.steps.count() == 1


def test_the_list_filters_like_the_web_list(make_problem, units, api, office, department_user):
    make_problem(description="早已逾期")
    make_problem(
        description="还没到期", deadline=datetime.date(2099, 1, 1), lead_department=units["other_department"]
    )
    call = api(office)

    def descriptions(**params):
        return [p["description"] for p in call("get", "/problems", **params).json()["results"]]

    assert descriptions(overdue="true") == ["早已逾期"]
    assert descriptions(overdue="false") == ["还没到期"]
    assert descriptions(status="overdue") == ["早已逾期"]
    assert descriptions(urgency="overdue") == ["早已逾期"]
    assert descriptions(department=units["other_department"].pk) == ["还没到期"]
    assert descriptions(unit=units["other_park"].pk) == []
    assert descriptions(limit=1, offset=1) == ["还没到期"]
    first = call("get", "/problems").json()["results"][0]
    assert (first["overdue"], first["urgency"], first["lead_department"]) == (True, "overdue", "区住建局")


def test_department_answers_and_resolves_through_the_api(make_problem, api, department_user):
    problem = make_problem()
    call = api(department_user)
    etag = call("get", f"/problems/{problem.pk}")["ETag"]
    response = call("post", f"/problems/{problem.pk}/answer", if_match=etag, comment="已对接自然资源局")
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    response = call(
        "post",
        f"/problems/{problem.pk}/answer",
        if_match=response["ETag"],
        action="resolve",
        comment="用地指标已落实",
    )
    body = response.json()
    assert body["status"] == "resolved" and [s["action"] for s in body["steps"]] == [
        "raise",
        "answer",
        "resolve",
    ]
    assert body["steps"][-1]["user"] == "zhujianju"


def test_the_api_refuses_what_the_web_refuses(make_problem, api, department_user, leader):
    problem = make_problem()
    call = api(department_user)
    etag = call("get", f"/problems/{problem.pk}")["ETag"]
    assert call("post", f"/problems/{problem.pk}/answer", if_match=etag, comment="  ").status_code == 422
    assert call("post", f"/problems/{problem.pk}/answer", if_match=etag, action="verify").status_code == 422
    assert api(leader)("post", f"/problems/{problem.pk}/answer", comment="x").status_code == 404
    assert Problem.objects.get().status == "pending"


def test_auditor_token_gets_no_problems(make_problem, api, auditor):
    make_problem()
    assert api(auditor)("get", "/problems").status_code == 403


def test_rounds_and_their_itinerary(park_project, api, park_user):
    rnd = SupervisionRound.objects.create(
        title="第一次集中现场督查", year=2020, date=RAISED, leaders="狄志强、沈东"
    )
    RoundVisit.objects.create(round=rnd, project=park_project, order=1, findings="二期主体施工")
    call = api(park_user)
    rounds = call("get", "/rounds").json()
    assert rounds["count"] == 1 and rounds["next"] is None
    assert [(r["title"], r["visit_count"]) for r in rounds["results"]] == [("第一次集中现场督查", 1)]
    detail = call("get", f"/rounds/{rnd.pk}").json()
    assert (
        detail["visits"][0]["project"] == park_project.name
        and detail["visits"][0]["findings"] == "二期主体施工"
    )
    assert call("get", "/rounds/999999").status_code == 404


def test_stats_count_closure_per_department_and_unit(make_problem, api, office, department_user, units):
    from ducha.supervision.services import problem_transition

    closed = problem_transition(problem=make_problem(), user=department_user, action="resolve", comment="ok")
    Problem.objects.filter(pk=closed.pk).update(resolved_on=RAISED + datetime.timedelta(days=6))
    make_problem()
    body = api(office)("get", "/stats", year=2020, until="2020-12-31").json()
    (dept,) = body["by_department"]
    assert (dept["unit"], dept["raised"], dept["closed"]) == ("区住建局", 2, 1)
    assert float(dept["closure_rate"]) == 0.5
    assert body["by_unit"][0]["unit_id"] == units["park"].pk


def test_problem_list_runs_the_same_number_of_queries_for_1_and_50_problems(make_problem, api, office):
    call = api(office)
    counts = []
    for n in (1, 49):
        for i in range(n):
            make_problem(description=f"问题{i}")
        with CaptureQueriesContext(connection) as ctx:
            assert call("get", "/problems").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_answering_needs_the_problems_etag_and_a_stale_one_changes_nothing(
    make_problem, api, department_user
):
    problem = make_problem()
    call = api(department_user)
    read = call("get", f"/problems/{problem.pk}")
    assert read.status_code == 200 and read["ETag"]
    missing = call("post", f"/problems/{problem.pk}/answer", comment="已对接")
    assert missing.status_code == 428 and "If-Match" in missing.json()["error"]["message"]
    first = call("post", f"/problems/{problem.pk}/answer", if_match=read["ETag"], comment="已对接")
    assert first.status_code == 200 and first["ETag"] != read["ETag"]
    stale = call(
        "post", f"/problems/{problem.pk}/answer", if_match=read["ETag"], action="resolve", comment="已落实"
    )
    assert stale.status_code == 412 and stale["ETag"] == first["ETag"]
    problem.refresh_from_db()
    assert problem.status == "in_progress" and problem.steps.count() == 2


def test_the_office_raises_a_problem_with_the_web_forms_rules(park_project, land, units, api, office):
    call = api(office)
    body = {
        "project": park_project.pk,
        "category": land.pk,
        "description": "二期用地指标尚未落实",
        "lead_department": units["department"].pk,
        "raised_on": "2020-04-18",
    }
    response = call("post", "/problems", **body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "pending" and created["deadline"] > "2020-04-18" and response["ETag"]
    refused = call("post", "/problems", **{**body, "deadline": "2020-04-01", "project": 999999})
    error = refused.json()["error"]
    assert refused.status_code == 422 and {"project"} <= set(error["fields"])
    assert Problem.objects.count() == 1


def test_a_department_may_not_raise_a_problem(park_project, land, units, api, department_user):
    body = {
        "project": park_project.pk,
        "category": land.pk,
        "description": "x",
        "lead_department": units["department"].pk,
        "raised_on": "2020-04-18",
    }
    response = api(department_user)("post", "/problems", **body)
    assert response.status_code in (403, 404, 422) and "error" in response.json()
    assert not Problem.objects.exists()


def test_transitions_follow_the_allowed_actions_from_raise_to_verify(
    make_problem, api, department_user, office
):
    problem = make_problem()
    dept, boss = api(department_user), api(office)
    read = dept("get", f"/problems/{problem.pk}")
    assert "accept" in read.json()["allowed_actions"] and "verify" not in read.json()["allowed_actions"]
    etag = read["ETag"]
    for action in ("accept", "resolve"):
        response = dept(
            "post", f"/problems/{problem.pk}/transitions", if_match=etag, action=action, comment="已落实"
        )
        assert response.status_code == 200, response.content
        etag = response["ETag"]
    assert "verify" in boss("get", f"/problems/{problem.pk}").json()["allowed_actions"]
    refused = dept("post", f"/problems/{problem.pk}/transitions", if_match=etag, action="verify")
    assert refused.status_code == 422
    verified = boss("post", f"/problems/{problem.pk}/transitions", if_match=etag, action="verify")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    assert [s["action"] for s in verified.json()["steps"]] == ["raise", "accept", "resolve", "verify"]


def test_problem_filters_are_the_web_forms(make_problem, api, office, department_user, units):
    make_problem()
    bad = api(office)("get", "/problems", urgency="purple", status="gone")
    assert bad.status_code == 422 and {"urgency", "status"} <= set(bad.json()["error"]["fields"])
    other = api(department_user)("get", "/problems", department=units["park"].pk)  # not a department
    assert other.status_code == 422 and "department" in other.json()["error"]["fields"]
    page = api(office)("get", "/problems", limit=1).json()
    assert page["count"] == 1 and page["next"] is None and page["previous"] is None


def test_the_office_records_a_round_and_its_visits(park_project, api, office, park_user):
    call = api(office)
    response = call(
        "post", "/rounds", level="district", year=2020, ordinal=3, date="2020-04-18", leaders="狄志强"
    )
    assert response.status_code == 201, response.content
    rnd = response.json()
    assert rnd["title"] and rnd["visits"] == []
    visit = call("post", f"/rounds/{rnd['id']}/visits", project=park_project.pk, findings="二期主体施工")
    assert visit.status_code == 201 and visit.json()["visits"][0]["project_id"] == park_project.pk
    assert call("post", f"/rounds/{rnd['id']}/visits", project=999999).json()["error"]["fields"]["project"]
    refused = call("post", "/rounds", level="county", year=2020, date="2020-04-18")
    assert refused.status_code == 422 and "district" in " ".join(refused.json()["error"]["fields"]["level"])
    denied = api(park_user)("post", "/rounds", level="district", year=2020, date="2020-04-18")
    assert denied.status_code == 403
    assert SupervisionRound.objects.count() == 1 and RoundVisit.objects.count() == 1
