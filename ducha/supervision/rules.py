"""Pure rules of the problem loop: who may move a problem where, when it is overdue, what the figures are.

Nothing here touches the database, so every rule is tested with plain tables.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from urllib.parse import urlsplit

from .choices import CLOSED_STATUSES, OPEN_STATUSES, ProblemAction, ProblemStatus

S = ProblemStatus
A = ProblemAction


class Actor(StrEnum):
    """How a person stands towards one problem."""

    OFFICE = "office"
    LEAD = "lead"  # staff of the lead department
    CO = "co"  # staff of a co-department
    PROJECT_UNIT = "project_unit"  # staff of the unit owning the project
    READER = "reader"  # leaders: read only
    NONE = "none"


# (action, from status) → (to status, who may do it)
TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset[Actor]]] = {
    (A.ACCEPT, S.PENDING): (S.IN_PROGRESS, frozenset({Actor.OFFICE, Actor.LEAD})),
    (A.ANSWER, S.PENDING): (
        S.IN_PROGRESS,
        frozenset({Actor.OFFICE, Actor.LEAD, Actor.CO, Actor.PROJECT_UNIT}),
    ),
    (A.ANSWER, S.IN_PROGRESS): (
        S.IN_PROGRESS,
        frozenset({Actor.OFFICE, Actor.LEAD, Actor.CO, Actor.PROJECT_UNIT}),
    ),
    (A.RESOLVE, S.PENDING): (S.RESOLVED, frozenset({Actor.OFFICE, Actor.LEAD})),
    (A.RESOLVE, S.IN_PROGRESS): (S.RESOLVED, frozenset({Actor.OFFICE, Actor.LEAD})),
    (A.VERIFY, S.RESOLVED): (S.VERIFIED, frozenset({Actor.OFFICE})),
    (A.REOPEN, S.RESOLVED): (S.IN_PROGRESS, frozenset({Actor.OFFICE})),
    (A.REOPEN, S.VERIFIED): (S.IN_PROGRESS, frozenset({Actor.OFFICE})),
}

# Actions whose comment is the point of the step.
COMMENT_REQUIRED = {A.ANSWER, A.RESOLVE, A.REOPEN}


def next_status(action: str, status: str, actor: Actor) -> str | None:
    """The status after `actor` does `action` on a problem in `status`, or None when not allowed."""
    rule = TRANSITIONS.get((action, status))
    if rule is None or actor not in rule[1]:
        return None
    return rule[0]


def allowed_actions(status: str, actor: Actor) -> list[str]:
    return [
        action
        for (action, from_status), (_, who) in TRANSITIONS.items()
        if from_status == status and actor in who
    ]


def default_deadline(raised_on: datetime.date, *, days: int) -> datetime.date:
    """限期 when none is given: `days` (DUCHA_PROBLEM_DEADLINE_DAYS) after the day the problem was raised,
    not after the day it is typed in (a problem from a visit last year is not given a deadline next month)."""
    return raised_on + datetime.timedelta(days=days)


def is_overdue(*, status: str, deadline: datetime.date, today: datetime.date) -> bool:
    """逾期: past the deadline and not yet resolved."""
    return status in OPEN_STATUSES and deadline < today


def days_left(*, deadline: datetime.date, today: datetime.date) -> int:
    return (deadline - today).days


class Urgency(StrEnum):
    """三色督办 — the colour an open problem is chased with, from mild to severe."""

    NONE = ""
    NEAR = "near"  # yellow: the deadline is within `near_days`
    BEHIND = "behind"  # orange: the project itself is behind schedule (its light is red)
    OVERDUE = "overdue"  # red: past the deadline and not resolved


URGENCY_ORDER = (Urgency.NEAR, Urgency.BEHIND, Urgency.OVERDUE)


@dataclass(frozen=True)
class UrgencyBadge:
    """How one colour is named and painted in this district (from the office's settings)."""

    urgency: Urgency
    label: str
    colour: str


RED_LIGHT = "red"


def urgency(
    *,
    status: str,
    deadline: datetime.date,
    today: datetime.date,
    project_light: str = "",
    near_days: int = 3,
) -> Urgency:
    """The three-colour urgency of one problem; the most severe colour that applies wins.

    1. red    — overdue: still open and the deadline has passed;
    2. orange — behind schedule: still open and the project's light is red, i.e. the light rules
                already found it far behind 序时, late to start, or past a node (节点) date;
    3. yellow — near the deadline: still open and at most `near_days` days are left.
    Resolved and closed problems carry no colour.
    """
    if status not in OPEN_STATUSES:
        return Urgency.NONE
    if deadline < today:
        return Urgency.OVERDUE
    if project_light == RED_LIGHT:
        return Urgency.BEHIND
    if (deadline - today).days <= near_days:
        return Urgency.NEAR
    return Urgency.NONE


# --- formal orders (提示单, 督办单, 督办函) ---------------------------------------------------------


def order_number(*, prefix: str, year: int, seq: int) -> str:
    """督办〔2020〕12号: the office's prefix for the kind, the year in 〔〕, the running number."""
    return f"{prefix}〔{year}〕{seq}号"


def next_order_seq(used: Iterable[int]) -> int:
    """The next running number of a kind in a year: one more than the highest used, 1 for the first."""
    return max(used, default=0) + 1


@dataclass(frozen=True)
class ProblemFacts:
    """What the statistics need of one problem."""

    status: str
    raised_on: datetime.date
    deadline: datetime.date
    resolved_on: datetime.date | None


@dataclass(frozen=True)
class ProblemStats:
    raised: int
    closed: int
    overdue: int
    closure_rate: Decimal | None  # closed ÷ raised, 0–1, four places
    avg_days_to_close: Decimal | None  # mean of (resolved − raised) in days, one place


def summarize(problems: Iterable[ProblemFacts], *, until: datetime.date) -> ProblemStats:
    """Figures as they stood at the end of `until`: a problem counts as closed once resolved by then."""
    raised = closed = overdue = 0
    days_total = 0
    for p in problems:
        if p.raised_on > until:
            continue
        raised += 1
        closed_by_then = p.status in CLOSED_STATUSES and p.resolved_on is not None and p.resolved_on <= until
        if closed_by_then:
            closed += 1
            days_total += (p.resolved_on - p.raised_on).days
        elif p.deadline < until:
            overdue += 1
    rate = (Decimal(closed) / Decimal(raised)).quantize(Decimal("0.0001"), ROUND_HALF_UP) if raised else None
    avg = (Decimal(days_total) / Decimal(closed)).quantize(Decimal("0.1"), ROUND_HALF_UP) if closed else None
    return ProblemStats(
        raised=raised, closed=closed, overdue=overdue, closure_rate=rate, avg_days_to_close=avg
    )


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 23 → 二十三 (rounds never reach a hundred)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CHINESE_DIGITS[ones]
    prefix = "" if tens == 1 else CHINESE_DIGITS[tens]
    return prefix + "十" + (CHINESE_DIGITS[ones] if ones else "")


def round_title(*, year: int, campaign: str, ordinal: int | None) -> str:
    """2020年“两个加快全面决战年”第一次集中现场督查."""
    campaign_part = f"“{campaign}”" if campaign else ""
    ordinal_part = f"第{chinese_ordinal(ordinal)}次" if ordinal else ""
    return f"{year}年{campaign_part}{ordinal_part}集中现场督查"


class WebhookKind(StrEnum):
    WECOM = "wecom"
    DINGTALK = "dingtalk"


def webhook_kind(url: str, default: WebhookKind = WebhookKind.WECOM) -> WebhookKind:
    """Which robot a URL belongs to: an explicit #wecom / #dingtalk fragment wins, then the host."""
    parts = urlsplit(url)
    if parts.fragment in {k.value for k in WebhookKind}:
        return WebhookKind(parts.fragment)
    host = (parts.hostname or "").lower()
    if host == "qyapi.weixin.qq.com":
        return WebhookKind.WECOM
    if host == "oapi.dingtalk.com":
        return WebhookKind.DINGTALK
    return default


def webhook_payload(kind: WebhookKind, *, title: str, lines: list[str]) -> dict:
    """The JSON body of a group-robot message: WeCom markdown, DingTalk text."""
    if kind == WebhookKind.WECOM:
        body = "\n".join([f"**{title}**", *(f"> {line}" for line in lines)])
        return {"msgtype": "markdown", "markdown": {"content": body}}
    return {"msgtype": "text", "text": {"content": "\n".join([title, *lines])}}
