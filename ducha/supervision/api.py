"""Supervision endpoints, mounted at /api/supervision: the same selectors and services as the web pages."""

import datetime
from decimal import Decimal

from django.http import HttpResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from ducha.api.auth import business_user
from ducha.api.conditional import PRECONDITION_DOC, PreconditionFailed, if_match, version_etag
from ducha.api.errors import ApiError, ErrorOut
from ducha.api.types import Limit, ObjectId, Offset, page_bounds
from ducha.lib import clock
from ducha.units.models import Unit

from . import selectors, services
from .choices import ProblemAction
from .models import Problem
from .rules import ProblemStats, is_overdue, urgency
from .services import StaleEdit

router = Router(tags=["supervision"])

MAX_LIMIT = 1000


class ProblemOut(Schema):
    id: int
    project_id: int
    project: str
    unit_id: int
    unit: str
    category: str
    description: str
    lead_department_id: int
    lead_department: str
    co_departments: list[str]
    responsible_leader: str
    source: str
    round_id: int | None
    raised_on: datetime.date
    deadline: datetime.date
    status: str
    resolved_on: datetime.date | None
    overdue: bool
    urgency: str


class StepOut(Schema):
    action: str
    from_status: str
    to_status: str
    user: str | None
    unit: str | None
    comment: str
    at: datetime.datetime


class OrderOut(Schema):
    id: int
    kind: str
    number: str
    text: str
    issued_on: datetime.date
    due_on: datetime.date


class ProblemDetailOut(ProblemOut):
    steps: list[StepOut]
    orders: list[OrderOut]


class ProblemPage(Schema):
    count: int
    results: list[ProblemOut]


class ProblemFilters(Schema):
    status: str | None = None
    overdue: bool | None = None
    urgency: str | None = None
    department: ObjectId | None = None
    unit: ObjectId | None = None
    category: ObjectId | None = None
    round: ObjectId | None = None
    q: str | None = None
    limit: Limit = 100
    offset: Offset = 0


class AnswerIn(Schema):
    action: ProblemAction = ProblemAction.ANSWER
    comment: str = ""


class VisitOut(Schema):
    id: int
    order: int
    project_id: int
    project: str
    unit: str
    arrival_time: datetime.time | None
    findings: str


class RoundOut(Schema):
    id: int
    title: str
    level: str
    campaign: str
    year: int
    ordinal: int | None
    date: datetime.date
    start_time: datetime.time | None
    leaders: str
    visit_count: int
    problem_count: int


class RoundDetailOut(RoundOut):
    meeting_place: str
    notes: str
    visits: list[VisitOut] = Field(..., alias="visits_out")


class StatsRow(Schema):
    unit_id: int
    unit: str
    raised: int
    closed: int
    overdue: int
    closure_rate: Decimal | None
    avg_days_to_close: Decimal | None


class StatsOut(Schema):
    year: int
    until: datetime.date
    by_department: list[StatsRow]
    by_unit: list[StatsRow]


ANSWER_ACTIONS = {ProblemAction.ACCEPT, ProblemAction.ANSWER, ProblemAction.RESOLVE}


def _problem_out(p: Problem, *, today: datetime.date, near_days: int) -> dict:
    return {
        "id": p.pk,
        "project_id": p.project_id,
        "project": p.project.name,
        "unit_id": p.project.unit_id,
        "unit": p.project.unit.name,
        "category": p.category.name,
        "description": p.description,
        "lead_department_id": p.lead_department_id,
        "lead_department": p.lead_department.name,
        "co_departments": [u.name for u in p.co_departments.all()],
        "responsible_leader": p.responsible_leader,
        "source": p.source,
        "round_id": p.round_id,
        "raised_on": p.raised_on,
        "deadline": p.deadline,
        "status": p.status,
        "resolved_on": p.resolved_on,
        "overdue": is_overdue(status=p.status, deadline=p.deadline, today=today),
        "urgency": urgency(
            status=p.status,
            deadline=p.deadline,
            today=today,
            project_light=p.project.light,
            near_days=near_days,
        ).value,
    }


def _problem_detail(problem: Problem) -> dict:
    today = clock.today()
    out = _problem_out(problem, today=today, near_days=selectors.supervision_settings().near_days)
    out["steps"] = [
        {
            "action": s.action,
            "from_status": s.from_status,
            "to_status": s.to_status,
            "user": s.user.username if s.user else None,
            "unit": s.unit.name if s.unit else None,
            "comment": s.comment,
            "at": s.at,
        }
        for s in selectors.problem_history(problem)
    ]
    out["orders"] = selectors.problem_orders(problem)
    return out


@router.get("/problems", response=ProblemPage)
def list_problems(request, filters: Query[ProblemFilters]):
    """Problems the token's user may see (as on the web list), most urgent deadline first.

    status: pending, in_progress, resolved, verified, open or overdue; overdue: true/false;
    urgency: near, behind or overdue (三色督办).
    """
    user = business_user(request)
    today = clock.today()
    f = selectors.ProblemFilter(
        status=filters.status or "",
        department=filters.department,
        unit=filters.unit,
        category=filters.category,
        round=filters.round,
        q=filters.q or "",
        urgency=filters.urgency or "",
        overdue=filters.overdue,
    )
    rows = selectors.problem_list(user, f, today=today)
    near_days = selectors.supervision_settings().near_days
    page = rows[page_bounds(filters.limit, filters.offset, max_limit=MAX_LIMIT)]
    return {
        "count": rows.count(),
        "results": [_problem_out(p, today=today, near_days=near_days) for p in page],
    }


def problem_etag(problem: Problem) -> str:
    """The problem's ETag, from its version (raised by every edit and every step)."""
    return version_etag("problem", problem.pk, problem.version)


@router.get("/problems/{problem_id}", response=ProblemDetailOut)
def get_problem(request, response: HttpResponse, problem_id: Path[ObjectId]):
    """One problem with its history and formal orders; 404 outside the user's scope.

    The `ETag` header is needed (as `If-Match`) to answer the problem.
    """
    user = business_user(request)
    problem = selectors.problem_get_for_user(user, problem_id)
    response["ETag"] = problem_etag(problem)
    return _problem_detail(problem)


@router.post(
    "/problems/{problem_id}/answer",
    response={200: ProblemDetailOut, 412: ErrorOut, 422: ErrorOut, 428: ErrorOut},
    description="Answer a problem, accept it (→ 办理中) or mark it resolved (→ 已办结), as on the problem "
    "page. " + PRECONDITION_DOC,
)
def answer_problem(request, response: HttpResponse, problem_id: Path[ObjectId], payload: AnswerIn):
    user = business_user(request)
    problem = selectors.problem_get_for_user(user, problem_id, write=True)
    if payload.action not in ANSWER_ACTIONS:
        raise ApiError(422, "Refused action.", fields={"action": ["use accept, answer or resolve"]})
    if_match(request, problem_etag(problem))
    try:
        services.problem_transition(
            problem=problem,
            user=user,
            action=payload.action,
            comment=payload.comment,
            expected_version=problem.version,
        )
    except StaleEdit as stale:  # changed by someone else between the check and the service's lock
        raise PreconditionFailed(problem_etag(stale.current)) from stale
    problem = selectors.problem_get_for_user(user, problem_id)
    response["ETag"] = problem_etag(problem)
    return _problem_detail(problem)


@router.get("/rounds", response=list[RoundOut])
def list_rounds(request, limit: Limit = 100, offset: Offset = 0):
    user = business_user(request)
    return list(selectors.round_list(user)[page_bounds(limit, offset, max_limit=MAX_LIMIT)])


@router.get("/rounds/{round_id}", response=RoundDetailOut)
def get_round(request, round_id: Path[ObjectId]):
    """A round with its itinerary in visiting order."""
    user = business_user(request)
    rnd = selectors.round_list(user).filter(pk=round_id).first()
    if rnd is None:
        raise HttpError(404, "Not Found")
    visits = [
        {
            "id": v.pk,
            "order": v.order,
            "project_id": v.project_id,
            "project": v.project.name,
            "unit": v.project.unit.name,
            "arrival_time": v.arrival_time,
            "findings": v.findings,
        }
        for v in selectors.round_visits(rnd, user)
    ]
    rnd.visits_out = visits
    return rnd


def _stats_rows(stats: dict[int, ProblemStats], names: dict[int, str]) -> list[dict]:
    return [
        {"unit_id": unit_id, "unit": names.get(unit_id, ""), **s.__dict__}
        for unit_id, s in sorted(stats.items(), key=lambda kv: names.get(kv[0], ""))
    ]


class StatsFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    until: datetime.date | None = None


@router.get("/stats", response=StatsOut)
def stats(request, filters: Query[StatsFilters]):
    """Closure statistics per lead department and per unit: problems raised in `year` (2000–2100) up to `until`.

    Office and leaders get every row; department staff their own department's, unit staff their own unit's.
    """
    user = business_user(request)
    today = clock.today()
    year = filters.year or today.year
    until = filters.until or min(today, datetime.date(year, 12, 31))
    visible = selectors.problem_stats_for_user(user, year=year, until=until)
    names = dict(Unit.objects.values_list("pk", "name"))
    return {
        "year": year,
        "until": until,
        "by_department": _stats_rows(visible.by_department or {}, names),
        "by_unit": _stats_rows(visible.by_unit or {}, names),
    }
