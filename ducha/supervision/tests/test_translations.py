"""The problem page in Chinese: every action button is translated, and the department's 签收 is not the report
review's 审核通过."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from ducha.supervision.models import SupervisionRound
from ducha.supervision.services import problem_transition
from ducha.supervision.tests.conftest import RAISED

ENGLISH = ["Accept", "Post an answer", "Mark as resolved", "Verify and close", "Reopen"]


def _page(user, problem) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    response = client.get(reverse("supervision:problem_detail", args=[problem.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _buttons(page: str) -> str:
    start = page.index('id="answer-form"')
    return page[start : page.index("</form>", start)]


@pytest.fixture
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def test_department_sees_qianshou_and_chinese_actions(chinese, make_problem, department_user):
    buttons = _buttons(_page(department_user, make_problem()))
    for chinese_label in ["签收", "回复办理情况", "标记为已办结"]:
        assert chinese_label in buttons
    assert "审核通过" not in buttons
    assert not [word for word in ENGLISH if f">{word}<" in buttons]


def test_office_sees_chinese_verify_and_reopen(chinese, make_problem, office, department_user):
    problem = make_problem()
    problem_transition(problem=problem, user=department_user, action="resolve", comment="已完成")
    buttons = _buttons(_page(office, problem))
    assert "核实销号" in buttons and "退回重办" in buttons
    assert not [word for word in ENGLISH if f">{word}<" in buttons]


def test_unit_user_sees_the_chinese_answer_button(chinese, make_problem, park_user):
    buttons = _buttons(_page(park_user, make_problem()))
    assert "回复办理情况" in buttons
    assert "签收" not in buttons  # only the lead department and the office accept
    assert not [word for word in ENGLISH if f">{word}<" in buttons]


def _get(user, url: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_rounds_add_button_says_tianjia_not_the_admins_zengjia(chinese, office):
    rnd = SupervisionRound.objects.create(title="华科园专项督查", year=2020, date=RAISED, leaders="沈东")
    page = _get(office, reverse("supervision:round_detail", args=[rnd.pk]))
    assert ">添加</button>" in page and "增加" not in page


def test_the_problem_filter_button_says_chaxun_as_on_the_ledger(chinese, office):
    page = _get(office, reverse("supervision:problem_list"))
    assert ">查询</button>" in page and "过滤器" not in page


def test_the_urgency_legend_is_punctuated_in_chinese(chinese, make_problem, office):
    make_problem()
    page = _get(office, reverse("supervision:problem_list"))
    start = page.index("urgency-legend")
    legend = re.sub(r"<[^>]+>", "", page[page.index(">", start) + 1 : page.index("</p>", start)])
    assert "；" in legend and legend.rstrip().endswith("。") and ";" not in legend
