"""Reads of the supervision app. Views load protected objects only through the *_get_for_user helpers."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from ducha.accounts.access import office_get_or_404, owns_region_object, project_scope, units_of_region
from ducha.lib import clock

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
    "problem_stats_for_user",
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
    if user.reads_region:
        return qs.filter(project__unit__in=units_of_region(user).values("pk"))
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
    today = today or clock.today()
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
    return office_get_or_404(user, ProblemCategory, pk)


def visits_visible_to(user) -> QuerySet[RoundVisit]:
    """Office and leaders: every visit; unit and department staff: the visits to projects they may read."""
    # The scope joined through the visit's project, not "project IN (every project the user reads)": a list
    # of 100,000 ids built for each project page.
    scope = project_scope(user, prefix="project__")
    qs = RoundVisit.objects.all()
    return qs if scope is None else qs.filter(scope)


def project_supervision(user, project) -> list[RoundVisit]:
    """The visits of the rounds `user` may see to one project, latest first, with the round and its region."""
    return list(
        visits_visible_to(user)
        .filter(project=project)
        .select_related("round__region")
        .order_by("-round__date", "-pk")
    )


def rounds_visible_to(user) -> QuerySet[SupervisionRound]:
    """Office and leaders: every round; others: the rounds with a visit or a problem they may see."""
    qs = SupervisionRound.objects.all()
    if user.reads_everything:
        return qs
    if not user.is_business_user:
        return qs.none()
    # an office admin's or leader's own region's rounds (and those of the regions below) even before a visit
    own = Q(region__prefix__startswith=user.region.prefix) if user.reads_region else Q(pk__in=[])
    return qs.filter(
        own
        | Q(pk__in=visits_visible_to(user).values("round_id"))
        | Q(pk__in=problems_visible_to(user).filter(round__isnull=False).values("round_id"))
    )


def round_list(user) -> QuerySet[SupervisionRound]:
    """The rounds `user` may see; the counts are of the visits and problems they may see."""
    visits, problems = Count("visits", distinct=True), Count("problems", distinct=True)
    if not user.reads_everything:
        visits = Count("visits", filter=Q(visits__in=visits_visible_to(user)), distinct=True)
        problems = Count("problems", filter=Q(problems__in=problems_visible_to(user)), distinct=True)
    return (
        rounds_visible_to(user).annotate(visit_count=visits, problem_count=problems).order_by("-date", "-pk")
    )


def round_get_for_user(user, pk: int, *, write: bool = False) -> SupervisionRound:
    if write and not user.is_office:
        raise Http404
    rnd = rounds_visible_to(user).filter(pk=pk).first()
    if rnd is None or (write and not owns_region_object(user, rnd.region_id)):
        raise Http404
    return rnd


def round_visits(rnd: SupervisionRound, user) -> list[RoundVisit]:
    """The round's visits `user` may see, in visiting order, each project with the round's problems `user` may see."""
    problems = problems_visible_to(user).filter(round=rnd).select_related("category", "lead_department")
    visits = (
        visits_visible_to(user)
        .filter(round=rnd)
        .select_related("project__unit", "project__responsible_department")
        .prefetch_related(
            "attachments",
            Prefetch("project__problems", queryset=problems, to_attr="round_problems"),
        )
        .order_by("order", "pk")
    )
    return list(visits)


def visit_get_for_user(user, pk: int, *, write: bool = False) -> RoundVisit:
    if write and not user.is_office:
        raise Http404
    visit = visits_visible_to(user).select_related("round", "project").filter(pk=pk).first()
    if visit is None or (write and not owns_region_object(user, visit.round.region_id)):
        raise Http404
    return visit


def attachment_get_for_user(user, pk: int) -> Attachment:
    """An attachment of a problem or a visit `user` may see; otherwise 404."""
    att = Attachment.objects.filter(pk=pk).first()
    if att is None:
        raise Http404
    if att.problem_id:
        problem_get_for_user(user, att.problem_id)  # raises Http404 for outsiders
    elif not visits_visible_to(user).filter(pk=att.visit_id).exists():
        raise Http404
    return att


# --- statistics the evaluation reuses -------------------------------------------------------------


def _facts_in_year(year: int, until: datetime.date):
    return Problem.objects.filter(raised_on__year=year, raised_on__lte=until)


def problem_stats_by_unit(
    *, year: int, until: datetime.date, only: int | None = None
) -> dict[int, ProblemStats]:
    """Per unit owning the project (板块): problems raised in `year` up to `until`, as they stood on `until`.

    only: the pk of the one unit wanted (None = every unit).
    """
    facts = _facts_in_year(year, until)
    if only is not None:
        facts = facts.filter(project__unit_id=only)
    groups: dict[int, list[ProblemFacts]] = defaultdict(list)
    rows = facts.values_list("project__unit_id", "status", "raised_on", "deadline", "resolved_on")
    for unit_id, status, raised_on, deadline, resolved_on in rows:
        groups[unit_id].append(ProblemFacts(status, raised_on, deadline, resolved_on))
    return {unit_id: summarize(facts, until=until) for unit_id, facts in groups.items()}


def problem_stats_by_department(
    *, year: int, until: datetime.date, only: int | None = None, projects_of: list[int] | None = None
) -> dict[int, ProblemStats]:
    """Per lead department: problems raised in `year` up to `until`, as they stood on `until`.

    only: the pk of the one department wanted (None = every department); projects_of: only the problems on
    the projects of these units (a region's).
    """
    facts = _facts_in_year(year, until)
    if only is not None:
        facts = facts.filter(lead_department_id=only)
    if projects_of is not None:
        facts = facts.filter(project__unit__in=projects_of)
    groups: dict[int, list[ProblemFacts]] = defaultdict(list)
    rows = facts.values_list("lead_department_id", "status", "raised_on", "deadline", "resolved_on")
    for unit_id, status, raised_on, deadline, resolved_on in rows:
        groups[unit_id].append(ProblemFacts(status, raised_on, deadline, resolved_on))
    return {unit_id: summarize(facts, until=until) for unit_id, facts in groups.items()}


@dataclass(frozen=True)
class StatsForUser:
    """The closure statistics `user` may see; None = a table they are not shown at all."""

    by_department: dict[int, ProblemStats] | None
    by_unit: dict[int, ProblemStats] | None


def problem_stats_for_user(user, *, year: int, until: datetime.date) -> StatsForUser:
    """Office and leaders: every row; department staff: their own department's row; unit staff: their own unit's row."""
    if user.reads_everything:
        return StatsForUser(
            problem_stats_by_department(year=year, until=until), problem_stats_by_unit(year=year, until=until)
        )
    if user.reads_region:
        mine = set(units_of_region(user).values_list("pk", flat=True))
        by_department = problem_stats_by_department(year=year, until=until)
        by_unit = problem_stats_by_unit(year=year, until=until)
        return StatsForUser(
            {k: v for k, v in by_department.items() if k in mine},
            {k: v for k, v in by_unit.items() if k in mine},
        )
    if user.is_department_staff and user.unit_id:
        return StatsForUser(problem_stats_by_department(year=year, until=until, only=user.unit_id), None)
    if user.is_unit_staff and user.unit_id:
        return StatsForUser(None, problem_stats_by_unit(year=year, until=until, only=user.unit_id))
    return StatsForUser(None, None)


def notices_for(user) -> QuerySet[Notice]:
    """Notices addressed to the person or to their unit."""
    q = Q(recipient_user=user)
    if user.unit_id:
        q |= Q(recipient_unit_id=user.unit_id)
    return Notice.objects.filter(q).select_related("recipient_unit")
