import datetime
from decimal import Decimal

import pytest

from ducha.supervision.rules import (
    Actor,
    ProblemFacts,
    Urgency,
    WebhookKind,
    allowed_actions,
    chinese_ordinal,
    is_overdue,
    next_order_seq,
    next_status,
    order_number,
    round_title,
    summarize,
    urgency,
    webhook_kind,
    webhook_payload,
)

D = datetime.date


@pytest.mark.parametrize(
    "action, status, actor, expected",
    [
        ("accept", "pending", Actor.LEAD, "in_progress"),
        ("accept", "pending", Actor.CO, None),
        ("answer", "pending", Actor.CO, "in_progress"),
        ("answer", "in_progress", Actor.PROJECT_UNIT, "in_progress"),
        ("answer", "in_progress", Actor.READER, None),
        ("resolve", "in_progress", Actor.LEAD, "resolved"),
        ("resolve", "in_progress", Actor.CO, None),
        ("resolve", "resolved", Actor.LEAD, None),
        ("verify", "resolved", Actor.OFFICE, "verified"),
        ("verify", "resolved", Actor.LEAD, None),
        ("verify", "in_progress", Actor.OFFICE, None),
        ("reopen", "resolved", Actor.OFFICE, "in_progress"),
        ("reopen", "verified", Actor.OFFICE, "in_progress"),
        ("reopen", "verified", Actor.LEAD, None),
        ("answer", "verified", Actor.OFFICE, None),
    ],
)
def test_status_flow_allows_only_the_right_people(action, status, actor, expected):
    assert next_status(action, status, actor) == expected


def test_only_the_office_can_verify_or_reopen_a_resolved_problem():
    assert allowed_actions("resolved", Actor.OFFICE) == ["verify", "reopen"]
    assert allowed_actions("resolved", Actor.LEAD) == []
    assert allowed_actions("verified", Actor.READER) == []


@pytest.mark.parametrize(
    "status, deadline, today, overdue, urgent",
    [
        ("pending", D(2020, 5, 1), D(2020, 5, 2), True, Urgency.OVERDUE),
        ("in_progress", D(2020, 5, 1), D(2020, 5, 1), False, Urgency.NEAR),
        ("in_progress", D(2020, 5, 4), D(2020, 5, 1), False, Urgency.NEAR),
        ("in_progress", D(2020, 5, 5), D(2020, 5, 1), False, Urgency.NONE),
        ("resolved", D(2020, 5, 1), D(2020, 6, 1), False, Urgency.NONE),
        ("verified", D(2020, 5, 1), D(2020, 6, 1), False, Urgency.NONE),
    ],
)
def test_overdue_and_urgency_follow_the_deadline(status, deadline, today, overdue, urgent):
    assert is_overdue(status=status, deadline=deadline, today=today) is overdue
    assert urgency(status=status, deadline=deadline, today=today) == urgent


def test_summarize_counts_closure_as_of_the_date():
    facts = [
        ProblemFacts("verified", D(2020, 4, 18), D(2020, 5, 18), D(2020, 4, 28)),  # closed in 10 days
        ProblemFacts("resolved", D(2020, 4, 18), D(2020, 5, 18), D(2020, 5, 8)),  # closed in 20 days
        ProblemFacts(
            "resolved", D(2020, 4, 18), D(2020, 5, 18), D(2020, 7, 1)
        ),  # closed after `until`: overdue then
        ProblemFacts("pending", D(2020, 4, 18), D(2020, 6, 30), None),  # open, not yet due
        ProblemFacts("pending", D(2020, 7, 1), D(2020, 7, 2), None),  # raised after `until`: ignored
    ]
    stats = summarize(facts, until=D(2020, 6, 1))
    assert (stats.raised, stats.closed, stats.overdue) == (4, 2, 1)
    assert stats.closure_rate == Decimal("0.5000")
    assert stats.avg_days_to_close == Decimal("15.0")


def test_summarize_of_nothing_has_no_rates():
    stats = summarize([], until=D(2020, 6, 1))
    assert stats.raised == 0 and stats.closure_rate is None and stats.avg_days_to_close is None


@pytest.mark.parametrize(
    "n, text", [(1, "一"), (4, "四"), (10, "十"), (12, "十二"), (20, "二十"), (23, "二十三")]
)
def test_chinese_ordinals(n, text):
    assert chinese_ordinal(n) == text


def test_round_title_is_composed_like_the_newspaper_writes_it():
    assert (
        round_title(year=2020, campaign="两个加快全面决战年", ordinal=1)
        == "2020年“两个加快全面决战年”第一次集中现场督查"
    )


@pytest.mark.parametrize(
    "url, kind",
    [
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", WebhookKind.WECOM),
        ("https://oapi.dingtalk.com/robot/send?access_token=x", WebhookKind.DINGTALK),
        ("http://127.0.0.1:8000/hook#dingtalk", WebhookKind.DINGTALK),
        ("http://127.0.0.1:8000/hook", WebhookKind.WECOM),
    ],
)
def test_webhook_kind_comes_from_the_host_or_an_explicit_fragment(url, kind):
    assert webhook_kind(url) == kind


def test_webhook_payloads_follow_each_robots_format():
    wecom = webhook_payload(WebhookKind.WECOM, title="住建局: 1 项逾期", lines=["A"])
    ding = webhook_payload(WebhookKind.DINGTALK, title="住建局: 1 项逾期", lines=["A"])
    assert wecom == {"msgtype": "markdown", "markdown": {"content": "**住建局: 1 项逾期**\n> A"}}
    assert ding == {"msgtype": "text", "text": {"content": "住建局: 1 项逾期\nA"}}


@pytest.mark.parametrize(
    "status, deadline, light, near_days, expected",
    [
        # today is 2020-05-01 throughout
        ("pending", D(2020, 4, 30), "red", 3, Urgency.OVERDUE),  # red beats orange
        ("in_progress", D(2020, 4, 30), "green", 3, Urgency.OVERDUE),
        ("pending", D(2020, 6, 30), "red", 3, Urgency.BEHIND),  # the project is behind schedule
        ("pending", D(2020, 5, 2), "red", 3, Urgency.BEHIND),  # orange beats yellow
        ("pending", D(2020, 5, 2), "yellow", 3, Urgency.NEAR),  # a yellow light is not enough
        ("pending", D(2020, 5, 8), "green", 7, Urgency.NEAR),  # the district's own horizon
        ("pending", D(2020, 5, 9), "green", 7, Urgency.NONE),
        ("pending", D(2020, 5, 1), "green", 0, Urgency.NEAR),  # due today
        ("resolved", D(2020, 4, 1), "red", 3, Urgency.NONE),  # closed problems carry no colour
        ("verified", D(2020, 6, 1), "red", 3, Urgency.NONE),
    ],
)
def test_three_colour_urgency_takes_the_most_severe_colour(status, deadline, light, near_days, expected):
    today = D(2020, 5, 1)
    assert (
        urgency(status=status, deadline=deadline, today=today, project_light=light, near_days=near_days)
        == expected
    )


@pytest.mark.parametrize(
    "prefix, year, used, expected",
    [
        ("督办", 2020, [], "督办〔2020〕1号"),
        ("督办", 2020, [1, 2, 11], "督办〔2020〕12号"),
        ("督提", 2021, [3, 1], "督提〔2021〕4号"),
    ],
)
def test_orders_are_numbered_one_after_the_highest_of_their_kind_and_year(prefix, year, used, expected):
    assert order_number(prefix=prefix, year=year, seq=next_order_seq(used)) == expected
