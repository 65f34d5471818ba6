"""Reads of the supervision app. Views load protected objects only through the *_get_for_user helpers."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .choices import OPEN_STATUSES
from .models import (
    Attachment,
    Notice,
    Problem,
    ProblemCategory,
    ProblemStep,
    RoundVisit,
    SupervisionOrder,
    SupervisionRound,
    SupervisionSettings,
)
from .rules import RED_LIGHT, Actor, ProblemFacts, ProblemStats, Urgency, summarize

__all__ = [
    "ProblemStats",
    "problem_actor",
    "problem_get_for_user",
    "problem_list",
    "problem_stats_by_department",
    "problem_stats_by_unit",
    "problems_visible_to",
    "round_get_for_user",
    "supervision_settings",
]


def supervision_settings() -> SupervisionSettings:
    """The district's 三色督办 and order settings; the defaults until the office saves its own."""
    return SupervisionSettings.objects.first() or SupervisionSettings()


def problems_visible_to(user) -> QuerySet[Problem]:
    """Office and leaders: all; department staff: lead or co-department; unit staff: their projects; others: none."""
    qs = Problem.objects.all()
    if user.reads_everything:
        return qs
    if user.is_department_staff and user.unit_id:
        co = Problem.co_departments.through.objects.filter(unit_id=user.unit_id).values("problem_id")
        return qs.filter(Q(lead_department_id=user.unit_id) | Q(pk__in=co))
    if user.is_unit_staff and user.unit_id:
        return qs.filter(project__unit_id=user.unit_id)
    return qs.none()


def problem_get_for_user(user, pk: int, *, write: bool = False) -> Problem:
    """The problem if `user` may see it (and, with write=True, act on it); otherwise 404."""
    problem = (
        problems_visible_to(user)
        .select_related(
            "project__unit", "lead_department", "category", "round", "report", "raised_by", "verified_by"
        )
        .prefetch_related("co_departments")
        .filter(pk=pk)
        .first()
    )
    if problem is None:
        raise Http404
    if write and problem_actor(user, problem) in (Actor.READER, Actor.NONE):
        raise Http404
    return problem


def problem_actor(user, problem: Problem) -> Actor:
    if user.is_office:
        return Actor.OFFICE
    if user.is_leader:
        return Actor.READER
    if user.is_department_staff and user.unit_id:
        if problem.lead_department_id == user.unit_id:
            return Actor.LEAD
        if any(u.pk == user.unit_id for u in problem.co_departments.all()):
            return Actor.CO
    if user.is_unit_staff and user.unit_id and problem.project.unit_id == user.unit_id:
        return Actor.PROJECT_UNIT
    return Actor.NONE


def problem_history(problem: Problem) -> list[ProblemStep]:
    steps = list(problem.steps.select_related("user", "unit").prefetch_related("attachments"))
    return steps


def problem_attachments(problem: Problem) -> list[Attachment]:
    return list(problem.attachments.all())


@dataclass
class ProblemFilter:
    status: str = ""  # a ProblemStatus value, "open" or "overdue"
    department: int | None = None
    unit: int | None = None
    category: int | None = None
    round: int | None = None
    q: str = ""
    urgency: str = ""  # an Urgency value: near, behind or overdue
    overdue: bool | None = None  # the API's yes/no filter; None = either


def urgency_q(value: str, *, today: datetime.date, near_days: int) -> Q:
    """The database form of rules.urgency for one colour (kept next to it in the tests)."""
    open_ = Q(status__in=OPEN_STATUSES)
    overdue = Q(deadline__lt=today)
    behind = Q(project__light=RED_LIGHT)
    if value == Urgency.OVERDUE:
        return open_ & overdue
    if value == Urgency.BEHIND:
        return open_ & ~overdue & behind
    if value == Urgency.NEAR:
        return open_ & ~overdue & ~behind & Q(deadline__lte=today + datetime.timedelta(days=near_days))
    return Q()


def problem_list(user, f: ProblemFilter, *, today: datetime.date | None = None) -> QuerySet[Problem]:
    """The filtered problems `user` may see, ready for a table (a constant number of queries)."""
    today = today or timezone.localdate()
    qs = problems_visible_to(user)
    if f.status == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, deadline__lt=today)
    elif f.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.department:
        co = Problem.co_departments.through.objects.filter(unit_id=f.department).values("problem_id")
        qs = qs.filter(Q(lead_department_id=f.department) | Q(pk__in=co))
    if f.unit:
        qs = qs.filter(project__unit_id=f.unit)
    if f.category:
        qs = qs.filter(category_id=f.category)
    if f.round:
        qs = qs.filter(round_id=f.round)
    if f.q:
        qs = qs.filter(Q(description__icontains=f.q) | Q(project__name__icontains=f.q))
    if f.urgency:
        near_days = supervision_settings().near_days
        qs = qs.filter(urgency_q(f.urgency, today=today, near_days=near_days))
    if f.overdue is not None:
        overdue = urgency_q(Urgency.OVERDUE, today=today, near_days=0)
        qs = qs.filter(overdue) if f.overdue else qs.exclude(overdue)
    return (
        qs.select_related("project__unit", "lead_department", "category", "round")
        .prefetch_related("co_departments")
        .order_by("deadline", "pk")
    )


def inbox_for(user, *, today: datetime.date | None = None) -> QuerySet[Problem]:
    """Open problems `user`'s unit has to answer, most urgent first."""
    return (
        problems_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .select_related("project__unit", "lead_department", "category", "round")
        .prefetch_related("co_departments")
        .order_by("deadline", "pk")
    )


def order_get_for_user(user, pk: int) -> SupervisionOrder:
    """A formal order, for whoever may see its problem; otherwise 404."""
    order = SupervisionOrder.objects.select_related("issued_by").filter(pk=pk).first()
    if order is None:
        raise Http404
    order.problem = problem_get_for_user(user, order.problem_id)
    return order


def problem_orders(problem: Problem) -> list[SupervisionOrder]:
    return list(problem.orders.order_by("issued_on", "pk"))


def categories_for_office() -> QuerySet[ProblemCategory]:
    return ProblemCategory.objects.annotate(problem_count=Count("problems")).order_by("order", "name")


def category_get_for_user(user, pk: int) -> ProblemCategory:
    if not user.is_office:
        raise Http404
    category = ProblemCategory.objects.filter(pk=pk).first()
    if category is None:
        raise Http404
    return category


def rounds_visible_to(user) -> QuerySet[SupervisionRound]:
    if user.is_auditor:
        return SupervisionRound.objects.none()
    return SupervisionRound.objects.all()


def round_list(user) -> QuerySet[SupervisionRound]:
    return (
        rounds_visible_to(user)
        .annotate(visit_count=Count("visits", distinct=True), problem_count=Count("problems", distinct=True))
        .order_by("-date", "-pk")
    )


def round_get_for_user(user, pk: int, *, write: bool = False) -> SupervisionRound:
    if write and not user.is_office:
        raise Http404
    rnd = rounds_visible_to(user).filter(pk=pk).first()
    if rnd is None:
        raise Http404
    return rnd


def round_visits(rnd: SupervisionRound) -> list[RoundVisit]:
    visits = (
        rnd.visits.select_related("project__unit", "project__responsible_department")
        .prefetch_related(
            "attachments",
            Prefetch(
                "project__problems",
                queryset=Problem.objects.filter(round=rnd).select_related("category", "lead_department"),
                to_attr="round_problems",
            ),
        )
        .order_by("order", "pk")
    )
    return list(visits)


def visit_get_for_user(user, pk: int, *, write: bool = False) -> RoundVisit:
    if write and not user.is_office:
        raise Http404
    visit = RoundVisit.objects.select_related("round", "project").filter(pk=pk).first()
    if visit is None or user.is_auditor:
        raise Http404
    return visit


def attachment_get_for_user(user, pk: int) -> Attachment:
    att = Attachment.objects.select_related("problem", "visit").filter(pk=pk).first()
    if att is None:
        raise Http404
    if att.problem_id:
        problem_get_for_user(user, att.problem_id)  # raises Http404 for outsiders
    elif user.is_auditor:
        raise Http404
    return att


# --- statistics the evaluation reuses -------------------------------------------------------------


def _facts_in_year(year: int, until: datetime.date):
    return Problem.objects.filter(raised_on__year=year, raised_on__lte=until)


def problem_stats_by_unit(*, year: int, until: datetime.date) -> dict[int, ProblemStats]:
    """Per unit owning the project (板块): problems raised in `year` up to `until`, as they stood on `until`."""
    groups: dict[int, list[ProblemFacts]] = defaultdict(list)
    rows = _facts_in_year(year, until).values_list(
        "project__unit_id", "status", "raised_on", "deadline", "resolved_on"
    )
    for unit_id, status, raised_on, deadline, resolved_on in rows:
        groups[unit_id].append(ProblemFacts(status, raised_on, deadline, resolved_on))
    return {unit_id: summarize(facts, until=until) for unit_id, facts in groups.items()}


def problem_stats_by_department(*, year: int, until: datetime.date) -> dict[int, ProblemStats]:
    """Per lead department: problems raised in `year` up to `until`, as they stood on `until`."""
    groups: dict[int, list[ProblemFacts]] = defaultdict(list)
    rows = _facts_in_year(year, until).values_list(
        "lead_department_id", "status", "raised_on", "deadline", "resolved_on"
    )
    for unit_id, status, raised_on, deadline, resolved_on in rows:
        groups[unit_id].append(ProblemFacts(status, raised_on, deadline, resolved_on))
    return {unit_id: summarize(facts, until=until) for unit_id, facts in groups.items()}


def notices_for(user) -> QuerySet[Notice]:
    """Notices addressed to the person or to their unit."""
    q = Q(recipient_user=user)
    if user.unit_id:
        q |= Q(recipient_unit_id=user.unit_id)
    return Notice.objects.filter(q).select_related("recipient_unit")
