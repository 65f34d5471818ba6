import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ducha.supervision.models import Problem, ProblemCategory, RoundVisit, SupervisionRound
from ducha.supervision.services import problem_transition

from .conftest import RAISED


@pytest.fixture
def a_round(office, park_project):
    rnd = SupervisionRound.objects.create(
        title="2020年“两个加快全面决战年”第一次集中现场督查",
        campaign="两个加快全面决战年",
        year=2020,
        ordinal=1,
        date=RAISED,
        leaders="狄志强、沈东",
    )
    RoundVisit.objects.create(round=rnd, project=park_project, order=1, findings="二期厂房主体施工")
    return rnd


def test_department_user_cannot_open_other_departments_problem(
    make_problem, units, client_for, other_department_user
):
    problem = make_problem()
    response = client_for(other_department_user).get(reverse("supervision:problem_detail", args=[problem.pk]))
    assert response.status_code == 404


def test_co_department_sees_the_problem_and_its_history(
    make_problem, units, client_for, other_department_user
):
    problem = make_problem(co_departments=[units["other_department"]])
    response = client_for(other_department_user).get(reverse("supervision:problem_detail", args=[problem.pk]))
    assert response.status_code == 200
    assert "二期用地指标尚未落实" in response.content.decode()


def test_department_list_shows_only_its_own_problems(make_problem, units, client_for, department_user):
    make_problem(description="住建局的问题")
    make_problem(description="自然资源局的问题", lead_department=units["other_department"])
    body = client_for(department_user).get(reverse("supervision:problem_list")).content.decode()
    assert "住建局的问题" in body and "自然资源局的问题" not in body


def test_unit_staff_see_problems_of_their_projects_only(
    make_problem, other_park_project, client_for, park_user, outsider
):
    problem = make_problem()
    assert (
        client_for(park_user).get(reverse("supervision:problem_detail", args=[problem.pk])).status_code == 200
    )
    assert (
        client_for(outsider).get(reverse("supervision:problem_detail", args=[problem.pk])).status_code == 404
    )


def test_auditor_sees_no_problems(make_problem, client_for, auditor):
    problem = make_problem()
    assert client_for(auditor).get(reverse("supervision:problem_detail", args=[problem.pk])).status_code in (
        403,
        404,
    )


def test_leader_reads_but_cannot_answer(make_problem, client_for, leader):
    problem = make_problem()
    client = client_for(leader)
    assert client.get(reverse("supervision:problem_detail", args=[problem.pk])).status_code == 200
    response = client.post(
        reverse("supervision:problem_transition", args=[problem.pk]), {"action": "answer", "comment": "x"}
    )
    assert response.status_code == 404
    assert problem.steps.count() == 1


def test_department_answers_and_resolves_from_the_detail_page(make_problem, client_for, department_user):
    problem = make_problem()
    client = client_for(department_user)
    url = reverse("supervision:problem_transition", args=[problem.pk])
    client.post(
        url, {"action": "answer", "comment": "正在协调", "files": SimpleUploadedFile("a.jpg", b"\xff\xd8xx")}
    )
    client.post(url, {"action": "resolve", "comment": "已解决"})
    problem.refresh_from_db()
    assert problem.status == "resolved"
    assert problem.attachments.get().step.action == "answer"
    body = client.get(problem.get_absolute_url()).content.decode()
    assert "正在协调" in body and "已解决" in body


def test_office_raises_a_problem_from_a_round(a_round, park_project, units, land, client_for, office):
    client = client_for(office)
    url = reverse("supervision:problem_create") + f"?round={a_round.pk}&project={park_project.pk}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "project": park_project.pk,
            "round": a_round.pk,
            "category": land.pk,
            "description": "施工许可待办",
            "lead_department": units["department"].pk,
            "raised_on": "2020-04-18",
            "deadline": "2020-05-18",
        },
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and problem.round == a_round and problem.source == "round"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"deadline": "2020-04-01"}, "before the raise date"),
        ({"lead_department": 999999}, "Unknown department"),
    ],
)
def test_bad_problem_input_gets_a_clear_message_and_stores_nothing(
    change, message, park_project, units, land, client_for, office
):
    data = {
        "project": park_project.pk,
        "category": land.pk,
        "description": "用工缺口",
        "lead_department": units["department"].pk,
        "raised_on": "2020-04-18",
        "deadline": "2020-05-18",
    } | change
    client = client_for(office)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("supervision:problem_create"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Problem.objects.exists()


def test_oversize_attachment_in_the_form_gets_a_clear_message(
    park_project, units, land, client_for, office, settings
):
    settings.DUCHA_MAX_UPLOAD_BYTES = 10
    response = client_for(office).post(
        reverse("supervision:problem_create"),
        {
            "project": park_project.pk,
            "category": land.pk,
            "description": "用工缺口",
            "lead_department": units["department"].pk,
            "raised_on": "2020-04-18",
            "deadline": "2020-05-18",
            "files": SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 100),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "big.pdf" in response.content.decode() and "MB" in response.content.decode()
    assert not Problem.objects.exists()


def test_only_the_office_raises_problems(client_for, department_user):
    assert client_for(department_user).get(reverse("supervision:problem_create")).status_code == 403


def _bulk_problems(n, project, category, lead, co):
    problems = Problem.objects.bulk_create(
        [
            Problem(
                project=project,
                category=category,
                description=f"问题{i}",
                lead_department=lead,
                raised_on=RAISED,
                deadline=RAISED + datetime.timedelta(days=i % 60),
            )
            for i in range(n)
        ]
    )
    Problem.co_departments.through.objects.bulk_create(
        [Problem.co_departments.through(problem_id=p.pk, unit_id=co.pk) for p in problems]
    )


@pytest.mark.parametrize(
    "url_name", ["supervision:problem_list", "supervision:inbox", "supervision:problem_export"]
)
def test_problem_pages_run_the_same_number_of_queries_for_10_or_1000_problems(
    url_name, park_project, units, land, client_for, department_user
):
    client = client_for(department_user)
    url = reverse(url_name) + ("?status=open" if url_name == "supervision:problem_list" else "")
    counts = []
    for n in (10, 990):
        _bulk_problems(n, park_project, land, units["department"], units["other_department"])
        client.get(url)  # warm up the session and caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_export_follows_the_filter(make_problem, units, client_for, office):
    make_problem(description="住建局的问题")
    make_problem(description="自然资源局的问题", lead_department=units["other_department"])
    response = client_for(office).get(
        reverse("supervision:problem_export") + f"?department={units['other_department'].pk}"
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == "自然资源局的问题"


def test_overdue_filter_lists_only_open_problems_past_their_deadline(
    make_problem, client_for, office, department_user
):
    make_problem(description="早已逾期")
    done = make_problem(description="办结了的")
    problem_transition(problem=done, user=department_user, action="resolve", comment="ok")
    make_problem(description="还没到期", deadline=datetime.date(2099, 1, 1))
    body = client_for(office).get(reverse("supervision:problem_list") + "?status=overdue").content.decode()
    assert "早已逾期" in body and "办结了的" not in body and "还没到期" not in body


def test_stats_page_and_service_count_closure_per_department_and_unit(
    make_problem, units, client_for, office, department_user
):
    from ducha.supervision.selectors import problem_stats_by_department, problem_stats_by_unit

    closed = make_problem()
    make_problem()
    problem_transition(problem=closed, user=department_user, action="resolve", comment="ok")
    Problem.objects.filter(pk=closed.pk).update(resolved_on=RAISED + datetime.timedelta(days=6))
    until = datetime.date(2020, 12, 31)
    dept = problem_stats_by_department(year=2020, until=until)[units["department"].pk]
    unit = problem_stats_by_unit(year=2020, until=until)[units["park"].pk]
    assert (dept.raised, dept.closed, dept.overdue, str(dept.closure_rate), str(dept.avg_days_to_close)) == (
        2,
        1,
        1,
        "0.5000",
        "6.0",
    )
    assert unit == dept
    response = client_for(office).get(reverse("supervision:stats") + "?year=2020&until=2020-12-31")
    assert response.status_code == 200 and "50%" in response.content.decode()


def test_round_pages_show_the_itinerary(a_round, client_for, park_user):
    client = client_for(park_user)
    assert "狄志强" in client.get(reverse("supervision:round_list")).content.decode()
    assert "二期厂房主体施工" in client.get(a_round.get_absolute_url()).content.decode()
    body = client.get(reverse("supervision:round_itinerary", args=[a_round.pk])).content.decode()
    assert "飞荣达高性能导电导热材料项目" in body


def test_office_plans_a_round_and_adds_visits_with_photos(
    park_project, other_park_project, client_for, office
):
    client = client_for(office)
    response = client.post(
        reverse("supervision:round_create"),
        {
            "level": "district",
            "campaign": "两个加快全面决战年",
            "year": 2020,
            "ordinal": 2,
            "title": "",
            "date": "2020-07-10",
            "start_time": "08:30",
            "leaders": "狄志强、沈东",
        },
    )
    rnd = SupervisionRound.objects.get()
    assert response.status_code == 302 and rnd.title == "2020年“两个加快全面决战年”第二次集中现场督查"
    for project in (park_project, other_park_project):
        client.post(
            rnd.get_absolute_url(),
            {
                "project": project.pk,
                "findings": "进展顺利",
                "files": SimpleUploadedFile("p.png", b"\x89PNGxx"),
            },
        )
    assert list(rnd.visits.values_list("order", flat=True)) == [1, 2]
    assert rnd.visits.first().attachments.count() == 1


def test_round_list_query_count_does_not_grow(client_for, office, park_project):
    client = client_for(office)
    counts = []
    for n in (1, 30):
        for i in range(n):
            SupervisionRound.objects.create(title=f"第{n}-{i}次", year=2020, date=RAISED, leaders="狄志强")
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("supervision:round_list"))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_round_detail_query_count_does_not_grow_with_visits(a_round, client_for, office, units, make_problem):
    from ducha.projects.models import Project

    client = client_for(office)
    counts = []
    for n in (1, 10):
        for i in range(n):
            project = Project.objects.create(name=f"项目{n}-{i}", unit=units["town"], total_investment=1)
            RoundVisit.objects.create(round=a_round, project=project, order=10 + i)
            make_problem(project=project, round=a_round)
        with CaptureQueriesContext(connection) as ctx:
            client.get(a_round.get_absolute_url())
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_department_cannot_edit_rounds(a_round, client_for, department_user):
    assert (
        client_for(department_user).get(reverse("supervision:round_edit", args=[a_round.pk])).status_code
        == 403
    )


def test_attachments_are_served_only_to_those_who_see_the_problem(
    make_problem, client_for, department_user, other_department_user
):
    problem = make_problem(files=[SimpleUploadedFile("现场.jpg", b"\xff\xd8xx")])
    att = problem.attachments.get()
    url = reverse("supervision:attachment", args=[att.pk])
    assert client_for(department_user).get(url).status_code == 200
    assert client_for(other_department_user).get(url).status_code == 404


def test_notices_page_lists_the_units_notices(make_problem, client_for, department_user):
    make_problem()
    client = client_for(department_user)
    assert "二期用地指标" in client.get(reverse("supervision:notices")).content.decode()
    client.post(reverse("supervision:notices_mark_read"))
    from ducha.supervision.models import Notice

    assert not Notice.objects.filter(recipient_unit=department_user.unit, read_at__isnull=True).exists()


def test_categories_are_configurable_data(db):
    assert list(ProblemCategory.objects.values_list("name", flat=True))[:3] == ["土地", "资金", "审批"]
