"""Supervision endpoints, mounted at /api/supervision: the same selectors and services as the web pages."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from django.http import Http404, HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status

from ducha.api.auth import business_user, office_user
from ducha.api.conditional import PRECONDITION_DOC, PreconditionFailed, if_match, version_etag
from ducha.api.errors import ApiError, ErrorOut, form_fields
from ducha.api.filters import form_filters, query_schema
from ducha.api.types import Limit, ObjectId, Offset, PageOut, Year, paginate
from ducha.lib import clock
from ducha.projects.selectors import projects_for_user
from ducha.units.models import Unit

from . import selectors, services
from .choices import ProblemAction
from .forms import ProblemFilterForm, ProblemForm, RoundForm, VisitForm
from .models import Problem, SupervisionRound
from .rules import ProblemStats, Urgency, allowed_actions, is_overdue, urgency
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
    allowed_actions: list[str] = Field(
        description="What the token's user may do to it now (POST …/transitions)."
    )
    steps: list[StepOut]
    orders: list[OrderOut]


class ProblemPage(PageOut):
    results: list[ProblemOut]


# The web list's ProblemFilterForm is the one definition of the problem filters (urgency's values are the
# Urgency colours, whose labels the view fills in); `overdue` is the API's own yes/no.
class ProblemFiltersBase(Schema):
    urgency: Urgency | None = None  # the form's choices are filled in by the view, with the district's labels
    overdue: bool | None = None
    limit: Limit = 100
    offset: Offset = 0


if TYPE_CHECKING:
    ProblemFilters = ProblemFiltersBase
else:
    ProblemFilters = query_schema(ProblemFilterForm, "ProblemFilters", base=ProblemFiltersBase)


class ProblemIn(Schema):
    """A new problem, with the fields and rules of the web form (the office raises problems)."""

    project: ObjectId
    category: ObjectId
    description: str = Field(..., max_length=2000)
    lead_department: ObjectId
    co_departments: list[ObjectId] = []
    responsible_leader: str = Field("", max_length=60)
    round: ObjectId | None = None
    raised_on: datetime.date
    deadline: datetime.date | None = Field(
        None, description="Left out: the district's default after raised_on."
    )


class TransitionIn(Schema):
    action: Literal["accept", "answer", "resolve", "verify", "reopen"] = Field(
        ..., description="One of the problem's `allowed_actions` for the token's user."
    )
    comment: str = ""


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


def _problem_detail(problem: Problem, user) -> dict:
    today = clock.today()
    out = _problem_out(problem, today=today, near_days=selectors.supervision_settings().near_days)
    out["allowed_actions"] = allowed_actions(problem.status, selectors.problem_actor(user, problem))
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
    d = form_filters(ProblemFilterForm, filters, user=user)
    f = selectors.ProblemFilter(
        status=d.get("status") or "",
        department=d["department"].pk if d.get("department") else None,
        unit=d["unit"].pk if d.get("unit") else None,
        category=d["category"].pk if d.get("category") else None,
        round=d["round"].pk if d.get("round") else None,
        q=d.get("q") or "",
        urgency=filters.urgency or "",
        overdue=filters.overdue,
    )
    rows = selectors.problem_list(user, f, today=today)
    near_days = selectors.supervision_settings().near_days
    page = paginate(request, rows, filters.limit, filters.offset, max_limit=MAX_LIMIT)
    page["results"] = [_problem_out(p, today=today, near_days=near_days) for p in page["results"]]
    return page


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
    return _problem_detail(problem, user)


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
    return _transition(request, response, user, problem, payload.action, payload.comment)


def _transition(request, response: HttpResponse, user, problem, action: str, comment: str):
    """Take `action` on a problem the user may write, if the request names its current ETag; the problem after."""
    if_match(request, problem_etag(problem))
    try:
        services.problem_transition(
            problem=problem,
            user=user,
            action=action,
            comment=comment,
            expected_version=problem.version,
        )
    except StaleEdit as stale:  # changed by someone else between the check and the service's lock
        raise PreconditionFailed(problem_etag(stale.current)) from stale
    problem = selectors.problem_get_for_user(user, problem.pk)
    response["ETag"] = problem_etag(problem)
    return _problem_detail(problem, user)


@router.post(
    "/problems",
    response={201: ProblemDetailOut, 404: ErrorOut, 422: ErrorOut},
    description="Raise a problem (the office), with the web form's rules: the project, the round and the "
    "departments must be ones the token's user may choose; the departments are notified as on the web.",
)
def raise_problem(request, response: HttpResponse, payload: ProblemIn):
    user = business_user(request)
    data = payload.dict()
    if data["deadline"] is None:
        del data["deadline"]
    if data["round"] is None:
        del data["round"]
    form = ProblemForm(data, user=user)
    if not form.is_valid():
        raise ApiError(422, "The problem was refused.", fields=form_fields(form))
    cleaned = {k: v for k, v in form.cleaned_data.items() if k != "files"}
    problem = services.problem_raise(user=user, **cleaned)
    problem = selectors.problem_get_for_user(user, problem.pk)
    response["ETag"] = problem_etag(problem)
    return Status(201, _problem_detail(problem, user))


@router.post(
    "/problems/{problem_id}/transitions",
    response={200: ProblemDetailOut, 412: ErrorOut, 422: ErrorOut, 428: ErrorOut},
    description="Move a problem one step, as the buttons of its page do: accept (签收), answer, resolve "
    "(办结), verify (核实销号, the office) or reopen; `allowed_actions` of GET says which the token's user may "
    "take now. Answer, resolve and reopen need a comment. " + PRECONDITION_DOC,
)
def transition_problem(request, response: HttpResponse, problem_id: Path[ObjectId], payload: TransitionIn):
    user = business_user(request)
    problem = selectors.problem_get_for_user(user, problem_id, write=True)
    return _transition(request, response, user, problem, payload.action, payload.comment)


class RoundPage(PageOut):
    results: list[RoundOut]


@router.get("/rounds", response=RoundPage)
def list_rounds(request, limit: Limit = 100, offset: Offset = 0):
    """The rounds the token's user may see, latest first; each with its visits and problems counted."""
    user = business_user(request)
    return paginate(request, selectors.round_list(user), limit, offset, max_limit=MAX_LIMIT)


def _round_detail(user, round_id: int) -> SupervisionRound:
    rnd = selectors.round_list(user).filter(pk=round_id).first()
    if rnd is None:
        raise Http404
    rnd.visits_out = [
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
    return rnd


@router.get("/rounds/{round_id}", response=RoundDetailOut)
def get_round(request, round_id: Path[ObjectId]):
    """A round with its itinerary in visiting order."""
    return _round_detail(business_user(request), round_id)


class RoundIn(Schema):
    """A round (督查轮次), with the fields and rules of the web form; the title is composed when left empty."""

    level: str
    campaign: str = ""
    year: Year
    ordinal: int | None = Field(None, ge=1, le=1000)
    title: str = ""
    date: datetime.date
    start_time: datetime.time | None = None
    leaders: str = ""
    meeting_place: str = ""
    notes: str = ""


class VisitIn(Schema):
    project: ObjectId
    arrival_time: datetime.time | None = None
    findings: str = ""


@router.post(
    "/rounds",
    response={201: RoundDetailOut, 403: ErrorOut, 422: ErrorOut},
    description="The office records a round (RoundForm → round_save, as the web page); visits are added one "
    "by one with POST /rounds/{round_id}/visits.",
)
def create_round(request, payload: RoundIn):
    user = office_user(request)
    form = RoundForm({k: v for k, v in payload.dict().items() if v is not None})
    if not form.is_valid():
        raise ApiError(422, "The round was refused.", fields=form_fields(form))
    rnd = services.round_save(user=user, data=form.cleaned_data)
    return Status(201, _round_detail(user, rnd.pk))


@router.post(
    "/rounds/{round_id}/visits",
    response={201: RoundDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    description="The office adds a visit at the end of a round's itinerary (visit_add, as the round page): "
    "a project the office may read.",
)
def add_visit(request, round_id: Path[ObjectId], payload: VisitIn):
    user = office_user(request)
    rnd = selectors.round_get_for_user(user, round_id, write=True)
    form = VisitForm({k: v for k, v in payload.dict().items() if v is not None})
    field = form.fields["project"]
    field.queryset = field.queryset.filter(pk__in=projects_for_user(user).values("pk"))  # type: ignore[attr-defined]
    if not form.is_valid():
        raise ApiError(422, "The visit was refused.", fields=form_fields(form))
    cleaned = {k: v for k, v in form.cleaned_data.items() if k != "files"}
    services.visit_add(user=user, round=rnd, **cleaned)
    return Status(201, _round_detail(user, rnd.pk))


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
