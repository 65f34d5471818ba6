"""Pages of the supervision app that had no "same queries for few and many rows" test: the closure
statistics, the notices, a round's printable itinerary, a problem's page (history, photos, orders) and a
formal order, and through the API the rounds, a round, a problem and the statistics. (The web rounds, a
round's page, the problems, the inbox, the export and the categories, and the API's problems, have theirs in
test_views.py, test_access.py, test_urgency_and_categories.py and test_api.py.)"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.accounts.models import Role, User
from ducha.api.models import ApiToken
from ducha.projects.models import Project
from ducha.supervision.choices import NoticeKind, OrderKind, ProblemStatus
from ducha.supervision.models import Notice, Problem, RoundVisit, SupervisionRound
from ducha.supervision.services import order_issue, problem_transition, visit_add
from ducha.units.models import PeerGroup, Unit, UnitKind

from .conftest import RAISED

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100
STATS = {"year": 2020, "until": "2020-12-31"}


def _queries(client, url, data=None) -> int:
    client.get(url, data)  # warm up the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data).status_code == 200
    return len(ctx.captured_queries)


def _photo(name="现场.jpg"):
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


# --- closure statistics ----------------------------------------------------------------------------


def _problems(projects, departments, land, n):
    """n problems raised in 2020 over the projects and lead departments, a third resolved, some overdue."""
    Problem.objects.bulk_create(
        Problem(
            project=projects[i % len(projects)],
            category=land,
            description=f"统计问题{i}",
            lead_department=departments[i % len(departments)],
            raised_on=RAISED,
            deadline=RAISED + datetime.timedelta(days=10 * i),
            status=ProblemStatus.RESOLVED if i % 3 == 0 else ProblemStatus.IN_PROGRESS,
            resolved_on=RAISED + datetime.timedelta(days=i) if i % 3 == 0 else None,
        )
        for i in range(n)
    )


@pytest.mark.parametrize("persona", ["office", "leader", "park_user", "department_user"])
def test_stats_query_count_does_not_grow_with_units_departments_and_problems(
    persona, request, units, park_project, other_park_project, land, client_for
):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("supervision:stats")
    _problems([park_project, other_park_project], [units["department"], units["other_department"]], land, 2)
    few = _queries(client, url, STATS)
    projects, departments = [park_project], [units["department"]]
    for i in range(12):
        town = Unit.objects.create(
            name=f"测试镇{i}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS, order=100 + i
        )
        projects.append(Project.objects.create(name=f"统计项目{i}", unit=town, total_investment=100))
        departments.append(
            Unit.objects.create(
                name=f"测试局{i}", kind=UnitKind.DEPARTMENT, peer_group=PeerGroup.DEPARTMENTS, order=200 + i
            )
        )
    _problems(projects, departments, land, 60)
    many = _queries(client, url, STATS)
    assert many == few, f"{few} queries for 2 units and 2 departments, {many} for 14 and 14"


# --- notices ---------------------------------------------------------------------------------------


def _notices(user, n, *, start=0):
    """n notices for the user's unit and n for the person, half of them read, some with a link."""
    Notice.objects.bulk_create(
        [Notice(recipient_unit=user.unit, kind=NoticeKind.NEW_PROBLEM, text=f"单位通知{i}") for i in range(n)]
        + [
            Notice(recipient_user=user, kind=NoticeKind.DUE_SOON, text=f"个人通知{start + i}", link="/")
            for i in range(n)
        ]
    )
    Notice.objects.filter(text__endswith="1").update(
        read_at=datetime.datetime(2020, 5, 1, tzinfo=datetime.UTC)
    )


@pytest.mark.parametrize("persona", ["park_user", "department_user"])
def test_notices_query_count_does_not_grow_with_notices(persona, request, client_for):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    url = reverse("supervision:notices")
    _notices(user, 1)
    few = _queries(client, url)
    _notices(user, 6, start=1)
    assert len(client.get(url).context["page"].object_list) == 14
    many = _queries(client, url)
    assert many == few, f"{few} queries for 2 notices, {many} for 14"


# --- a round's itinerary ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["office", "leader", "park_user"])
def test_round_itinerary_query_count_does_not_grow_with_visits(
    persona, request, office, units, park_project, other_park_project, make_problem, client_for
):
    client = client_for(request.getfixturevalue(persona))
    rnd = SupervisionRound.objects.create(
        title="第一次集中现场督查", year=2020, date=RAISED, leaders="狄志强"
    )
    visit_add(user=office, round=rnd, project=park_project, findings="二期厂房主体施工", files=[_photo()])
    visit_add(user=office, round=rnd, project=other_park_project, findings="设备安装")
    make_problem(round=rnd)
    url = reverse("supervision:round_itinerary", args=[rnd.pk])
    few = _queries(client, url)
    for i in range(12):
        project = Project.objects.create(
            name=f"沿途项目{i}",
            unit=units["park"] if i % 2 else units["town"],
            total_investment=100,
            responsible_department=units["department"],
        )
        visit_add(user=office, round=rnd, project=project, findings=f"现场{i}", files=[_photo(f"{i}.jpg")])
        make_problem(round=rnd, project=project)
    assert RoundVisit.objects.filter(round=rnd).count() == 14
    many = _queries(client, url)
    assert many == few, f"{few} queries for 2 visits, {many} for 14"


# --- a problem's page and a formal order -----------------------------------------------------------


def _co_department_user(unit):
    return User.objects.create_user(
        username="co-staff", password="pw-for-tests-1", role=Role.DEPARTMENT, unit=unit
    )


@pytest.mark.parametrize("persona", ["office", "leader", "department_user", "park_user"])
def test_problem_page_query_count_does_not_grow_with_steps_photos_and_orders(
    persona, request, office, department_user, park_user, units, make_problem, client_for
):
    co = units["other_department"]
    co_staff = _co_department_user(co)
    problem = make_problem(co_departments=[co], files=[_photo()])
    order_issue(
        user=office,
        problem=problem,
        kind=OrderKind.REMINDER,
        text="请加快办理",
        issued_on=RAISED,
        due_on=RAISED,
    )
    client = client_for(request.getfixturevalue(persona))
    url = problem.get_absolute_url()
    few = _queries(client, url)
    for i in range(4):
        for user in (department_user, co_staff, park_user):
            problem_transition(
                problem=problem, user=user, action="answer", comment=f"进展{i}", files=[_photo(f"{i}.jpg")]
            )
    for kind in (OrderKind.ORDER, OrderKind.LETTER, OrderKind.REMINDER):
        order_issue(user=office, problem=problem, kind=kind, text="限期办结", issued_on=RAISED, due_on=RAISED)
    for extra in range(3):
        problem.co_departments.add(
            Unit.objects.create(
                name=f"协办局{extra}", kind=UnitKind.DEPARTMENT, peer_group=PeerGroup.DEPARTMENTS
            )
        )
    response = client.get(url)
    assert len(response.context["steps"]) == 17 and len(response.context["orders"]) == 4
    many = _queries(client, url)
    assert many == few, f"{few} queries for 2 steps and 1 order, {many} for 17 and 4"


@pytest.mark.parametrize("persona", ["office", "department_user"])
def test_order_page_query_count_does_not_grow_with_copied_departments(
    persona, request, office, units, make_problem, client_for
):
    client = client_for(request.getfixturevalue(persona))
    problem = make_problem(co_departments=[units["other_department"]])
    order = order_issue(
        user=office, problem=problem, kind=OrderKind.ORDER, text="请加快办理", issued_on=RAISED, due_on=RAISED
    )
    few = _queries(client, order.get_absolute_url())
    for i in range(12):
        problem.co_departments.add(
            Unit.objects.create(name=f"抄送局{i}", kind=UnitKind.DEPARTMENT, peer_group=PeerGroup.DEPARTMENTS)
        )
    many = _queries(client, order.get_absolute_url())
    assert many == few, f"{few} queries for 1 copied department, {many} for 13"


# --- the same lists through the API ----------------------------------------------------------------


def _api_queries(client, user, url, data=None) -> int:
    _token, key = ApiToken.issue(user=user, name="query-count")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    client.get(url, data, **headers)  # warm up the caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data, **headers).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["office", "park_user", "department_user"])
def test_api_rounds_query_count_does_not_grow_with_rounds(
    persona, request, office, park_project, make_problem, client
):
    user = request.getfixturevalue(persona)

    def rounds(n, start=0):
        for i in range(start, start + n):
            rnd = SupervisionRound.objects.create(
                title=f"第{i}次督查", year=2020, date=RAISED, leaders="狄志强"
            )
            visit_add(user=office, round=rnd, project=park_project, findings="现场")
            make_problem(round=rnd)

    rounds(2)
    few = _api_queries(client, user, "/api/supervision/rounds")
    rounds(12, start=2)
    many = _api_queries(client, user, "/api/supervision/rounds")
    assert many == few, f"{few} queries for 2 rounds, {many} for 14"


@pytest.mark.parametrize("persona", ["office", "park_user"])
def test_api_round_query_count_does_not_grow_with_visits(
    persona, request, office, units, park_project, make_problem, client
):
    user = request.getfixturevalue(persona)
    rnd = SupervisionRound.objects.create(
        title="第一次集中现场督查", year=2020, date=RAISED, leaders="狄志强"
    )
    visit_add(user=office, round=rnd, project=park_project, findings="二期厂房主体施工", files=[_photo()])
    make_problem(round=rnd)
    url = f"/api/supervision/rounds/{rnd.pk}"
    few = _api_queries(client, user, url)
    for i in range(12):
        project = Project.objects.create(
            name=f"沿途项目{i}", unit=units["park"] if i % 2 else units["town"], total_investment=100
        )
        visit_add(user=office, round=rnd, project=project, findings=f"现场{i}", files=[_photo(f"{i}.jpg")])
        make_problem(round=rnd, project=project)
    many = _api_queries(client, user, url)
    assert many == few, f"{few} queries for 1 visit, {many} for 13"


@pytest.mark.parametrize("persona", ["office", "department_user"])
def test_api_problem_query_count_does_not_grow_with_steps_and_orders(
    persona, request, office, department_user, park_user, units, make_problem, client
):
    problem = make_problem(co_departments=[units["other_department"]])
    order_issue(
        user=office,
        problem=problem,
        kind=OrderKind.REMINDER,
        text="请加快办理",
        issued_on=RAISED,
        due_on=RAISED,
    )
    user = request.getfixturevalue(persona)
    url = f"/api/supervision/problems/{problem.pk}"
    few = _api_queries(client, user, url)
    for i in range(6):
        for who in (department_user, park_user):
            problem_transition(problem=problem, user=who, action="answer", comment=f"进展{i}")
    for kind in (OrderKind.ORDER, OrderKind.LETTER):
        order_issue(user=office, problem=problem, kind=kind, text="限期办结", issued_on=RAISED, due_on=RAISED)
    many = _api_queries(client, user, url)
    assert many == few, f"{few} queries for 2 steps and 1 order, {many} for 16 and 3"


@pytest.mark.parametrize("persona", ["office", "park_user", "department_user"])
def test_api_stats_query_count_does_not_grow_with_units_and_problems(
    persona, request, units, park_project, other_park_project, land, client
):
    user = request.getfixturevalue(persona)
    _problems([park_project, other_park_project], [units["department"], units["other_department"]], land, 2)
    few = _api_queries(client, user, "/api/supervision/stats", STATS)
    projects, departments = [park_project], [units["department"]]
    for i in range(12):
        town = Unit.objects.create(
            name=f"测试镇{i}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS, order=100 + i
        )
        projects.append(Project.objects.create(name=f"统计项目{i}", unit=town, total_investment=100))
        departments.append(
            Unit.objects.create(
                name=f"测试局{i}", kind=UnitKind.DEPARTMENT, peer_group=PeerGroup.DEPARTMENTS, order=200 + i
            )
        )
    _problems(projects, departments, land, 60)
    many = _api_queries(client, user, "/api/supervision/stats", STATS)
    assert many == few, f"{few} queries for 2 units and 2 departments, {many} for 14 and 14"
