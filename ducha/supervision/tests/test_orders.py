import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ducha.supervision.models import Notice, SupervisionOrder, SupervisionSettings
from ducha.supervision.services import order_issue, problem_transition

ISSUED = datetime.date(2020, 5, 8)


@pytest.fixture
def issue(office):
    def issue_(problem, **kw):
        args = {
            "user": office,
            "problem": problem,
            "kind": "order",
            "text": "请于5月15日前落实二期用地指标并书面反馈。",
            "issued_on": ISSUED,
            "due_on": ISSUED + datetime.timedelta(days=7),
        } | kw
        return order_issue(**args)

    return issue_


def test_orders_are_numbered_per_kind_and_year(make_problem, issue):
    problem = make_problem()
    first = issue(problem)
    second = issue(problem)
    reminder = issue(problem, kind="reminder")
    next_year = issue(problem, issued_on=datetime.date(2021, 1, 4), due_on=datetime.date(2021, 1, 10))
    assert [first.number, second.number, reminder.number, next_year.number] == [
        "督办〔2020〕1号",
        "督办〔2020〕2号",
        "督提〔2020〕1号",
        "督办〔2021〕1号",
    ]


def test_the_districts_prefixes_and_office_name_are_used(make_problem, issue):
    SupervisionSettings.objects.create(letter_prefix="坛督函", office_name="金坛区委区政府督查室")
    order = issue(make_problem(), kind="letter")
    assert order.number == "坛督函〔2020〕1号" and order.office_name == "金坛区委区政府督查室"


def test_issuing_an_order_is_recorded_in_the_history_and_sent_to_the_departments(make_problem, issue, units):
    problem = make_problem(co_departments=[units["other_department"]])
    Notice.objects.all().delete()
    order = issue(problem)
    step = problem.steps.last()
    assert step.action == "order" and order.number in step.comment and step.to_status == "pending"
    assert set(Notice.objects.values_list("recipient_unit__short_name", "kind", "link")) == {
        ("住建局", "order", order.get_absolute_url()),
        ("自然资源局", "order", order.get_absolute_url()),
    }


def test_a_reply_date_before_the_issue_date_is_refused_and_nothing_is_stored(make_problem, issue):
    problem = make_problem()
    with pytest.raises(ValidationError) as exc:
        issue(problem, due_on=ISSUED - datetime.timedelta(days=1))
    assert "due_on" in exc.value.message_dict
    assert not SupervisionOrder.objects.exists() and problem.steps.count() == 1


def test_no_orders_on_a_resolved_problem(make_problem, issue, department_user):
    problem = make_problem()
    problem_transition(problem=problem, user=department_user, action="resolve", comment="已落实")
    with pytest.raises(ValidationError):
        issue(problem)
    assert not SupervisionOrder.objects.exists()


def test_only_the_office_issues_orders(make_problem, issue, department_user, client_for):
    problem = make_problem()
    with pytest.raises(ValidationError):
        issue(problem, user=department_user)
    url = reverse("supervision:order_create", args=[problem.pk])
    assert client_for(department_user).get(url).status_code == 403


def test_office_issues_an_order_from_the_problem_page_and_prints_it(make_problem, client_for, office, units):
    problem = make_problem(co_departments=[units["other_department"]])
    client = client_for(office)
    detail = client.get(problem.get_absolute_url()).content.decode()
    assert reverse("supervision:order_create", args=[problem.pk]) in detail
    response = client.post(
        reverse("supervision:order_create", args=[problem.pk]),
        {"kind": "letter", "issued_on": "2020-05-08", "due_on": "2020-05-20", "text": "请抓紧协调用地报批。"},
    )
    order = SupervisionOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    page = client.get(order.get_absolute_url()).content.decode()
    for text in (
        "督函〔2020〕1号",
        "住建局",
        "自然资源局",
        "请抓紧协调用地报批。",
        "二期用地指标尚未落实",
        order.office_name,
    ):
        assert text in page
    assert "督函〔2020〕1号" in client.get(problem.get_absolute_url()).content.decode()


def test_a_bad_reply_date_in_the_form_gets_a_clear_message(make_problem, client_for, office):
    problem = make_problem()
    response = client_for(office).post(
        reverse("supervision:order_create", args=[problem.pk]),
        {"kind": "order", "issued_on": "2020-05-08", "due_on": "2020-05-01", "text": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "before the issue date" in response.content.decode()
    assert not SupervisionOrder.objects.exists()


def test_the_order_is_printable_by_its_department_but_not_by_another(
    make_problem, issue, client_for, department_user, other_department_user
):
    order = issue(make_problem())
    assert client_for(department_user).get(order.get_absolute_url()).status_code == 200
    assert client_for(other_department_user).get(order.get_absolute_url()).status_code == 404
