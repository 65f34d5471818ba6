"""Project endpoints beyond the ledger row (issue 16 §2): creating a project, its annual plans, its monthly
reports and its nodes (节点). Every write goes through ducha.projects.services, as the web pages' do."""

import datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from ninja import Field, Path, Router, Schema

from ducha.projects import rollups, selectors, services
from ducha.projects.forms import ProjectForm
from ducha.projects.models import Milestone, MilestoneTemplate, Project

from .auth import business_user, office_user
from .conditional import PRECONDITION_DOC, PreconditionFailed, content_etag, if_match, version_etag
from .errors import ApiError, ErrorOut, form_fields, refused
from .types import ObjectId, Year

router = Router(tags=["projects"])


def project_etag(project: Project) -> str:
    return version_etag("project", project.pk, project.version)


class CapacityIn(Schema):
    quantity: Decimal
    unit: str
    product: str = ""


class ProjectIn(Schema):
    """A new project, with the fields and rules of the web form (unit staff file for their own unit)."""

    name: str
    company: str = ""
    unit: ObjectId
    responsible_leader: str = ""
    responsible_department: ObjectId | None = None
    level: str = Field(..., description="As the web form offers (district, city, province …).")
    category: str = Field(..., description="As the web form offers.")
    foreign_funded: bool = False
    industry: ObjectId | None = None
    chain_position: str = ""
    chain_segment: str = ""
    construction_type: str = Field(..., description="new or continuing.")
    total_investment_wan: Decimal
    currency: str = "CNY"
    annual_revenue: Decimal | None = None
    annual_revenue_currency: str = "CNY"
    national_code: str = ""
    in_statistics: bool = False
    statistics_date: datetime.date | None = None
    target_date: datetime.date | None = None
    description: str = ""
    address: str = ""
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    coordinate_system: Literal["wgs84", "gcj02"] = "wgs84"
    plan_year: Year | None = Field(None, description="The year of planned_investment_wan (the current one).")
    planned_investment_wan: Decimal | None = None
    stage_dates: dict[str, datetime.date] = Field(
        {}, description='The web form\'s stage dates: {"started_planned": "2020-03-01", "started_actual": …}.'
    )
    capacities: list[CapacityIn] = []


PROJECT_IN_NAMES = {
    "total_investment_wan": "total_investment",
    "planned_investment_wan": "planned_investment",
}
FORM_NAMES = {form: api for api, form in PROJECT_IN_NAMES.items()}


def project_create(*, user, payload: ProjectIn) -> Project:
    """A new project from the API's fields, through the web form (ProjectForm) and project_save."""
    if not (user.is_office or user.is_unit_staff):
        raise ApiError(403, "only the office and unit staff file projects")
    data = payload.dict()
    stage_dates = data.pop("stage_dates")
    capacities = data.pop("capacities")
    plan_year = data.pop("plan_year") or selectors.current_period().year
    form_data = {PROJECT_IN_NAMES.get(k, k): v for k, v in data.items() if v is not None}
    form_data.update({name: value.isoformat() for name, value in stage_dates.items()})
    form_data["plan_year"] = plan_year
    form = ProjectForm(form_data, user=user, plan_year=plan_year)
    unknown = sorted(set(stage_dates) - set(form.fields))
    if unknown:
        raise ApiError(422, "Unknown stage dates.", fields={f"stage_dates.{n}": ["unknown"] for n in unknown})
    if not form.is_valid():
        fields = {FORM_NAMES.get(k, k): v for k, v in form_fields(form).items()}
        raise ApiError(422, "The project was refused; nothing was stored.", fields=fields)
    amount = form.cleaned_data.get("planned_investment")
    try:
        with transaction.atomic(), rollups.deferred():
            project = services.project_save(
                project=form.save(commit=False),
                stage_dates=form.stage_dates(),
                plans={plan_year: amount} if amount is not None else None,
                capacities=[(c["quantity"], c["unit"], c["product"]) for c in capacities],
            )
            form.save_m2m()
    except ValidationError as exc:
        raise refused(exc, names=FORM_NAMES) from exc
    return project


class PlanOut(Schema):
    year: int
    planned_investment_wan: Decimal
    planned_start: datetime.date | None


class PlanIn(Schema):
    planned_investment_wan: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)


def _plans(project: Project) -> list[dict]:
    return [
        {"year": p.year, "planned_investment_wan": p.planned_investment, "planned_start": p.planned_start}
        for p in project.annual_plans.order_by("year")
    ]


@router.get("/{project_id}/plans", response=list[PlanOut])
def list_plans(request, response: HttpResponse, project_id: Path[ObjectId]):
    """A project's annual plans (年度计划投资), by year. The `ETag` is the project's: plans are written with it."""
    project = selectors.project_get_for_user(business_user(request), project_id)
    response["ETag"] = project_etag(project)
    return _plans(project)


@router.put(
    "/{project_id}/plans/{year}",
    response={200: list[PlanOut], 412: ErrorOut, 422: ErrorOut, 428: ErrorOut},
    description="Set a year's planned investment (万元), through project_save as the project form does; "
    "the project's version goes up. Send the project's ETag. " + PRECONDITION_DOC,
)
def put_plan(request, response: HttpResponse, project_id: Path[ObjectId], year: Path[Year], payload: PlanIn):
    user = business_user(request)
    project = selectors.project_get_for_user(user, project_id, write=True)
    if_match(request, project_etag(project))
    try:
        project = services.project_save(
            project=project,
            expected_version=project.version,
            plans={year: payload.planned_investment_wan},
        )
    except ValidationError as exc:
        raise refused(exc, names={"planned_investment": "planned_investment_wan"}) from exc
    except services.StaleEdit as stale:
        raise PreconditionFailed(project_etag(stale.current)) from stale
    project = selectors.project_get_for_user(user, project_id)
    response["ETag"] = project_etag(project)
    return _plans(project)


class MilestoneOut(Schema):
    id: int
    name: str
    order: int
    planned_date: datetime.date
    actual_date: datetime.date | None


class ReachedIn(Schema):
    actual_date: datetime.date


def milestone_etag(milestone: Milestone) -> str:
    return content_etag("milestone", milestone.pk, milestone.planned_date, milestone.actual_date)


def _milestone(user, project_id: int, milestone_id: int, *, write: bool = False) -> Milestone:
    project = selectors.project_get_for_user(user, project_id, write=write)
    milestone = project.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404
    milestone.project = project
    return milestone


@router.get("/{project_id}/milestones", response=list[MilestoneOut])
def list_milestones(request, project_id: Path[ObjectId]):
    """A project's nodes (节点) in order, planned and reached."""
    project = selectors.project_get_for_user(business_user(request), project_id)
    return list(project.milestones.order_by("order", "planned_date"))


class LayOutIn(Schema):
    template: ObjectId = Field(description="A backward-scheduling template's id (倒排工期).")
    target: datetime.date = Field(description="The target date the nodes are laid backwards from.")


# Declared before GET /{project_id}/milestones/{milestone_id}, whose pattern would otherwise take "lay-out".
@router.post(
    "/{project_id}/milestones/lay-out",
    response={200: list[MilestoneOut], 403: ErrorOut, 404: ErrorOut, 412: ErrorOut, 428: ErrorOut},
    description="The office lays out a project's nodes backwards from a target date with a template "
    "(milestones_lay_out, as the project page does): the planned nodes are replaced, reached ones keep their "
    "dates, and the project's target date is set. Send the project's ETag. " + PRECONDITION_DOC,
)
def lay_out_milestones(request, response: HttpResponse, project_id: Path[ObjectId], payload: LayOutIn):
    user = office_user(request)
    template = MilestoneTemplate.objects.filter(pk=payload.template).first()
    if template is None:
        raise ApiError(422, "Unknown template.", fields={"template": ["no such template"]})
    with transaction.atomic():
        project = selectors.project_get_for_user(user, project_id, write=True)
        project.version = (
            Project.objects.select_for_update().values_list("version", flat=True).get(pk=project.pk)
        )
        if_match(request, project_etag(project))
        services.milestones_lay_out(project=project, template=template, target=payload.target)
    project = selectors.project_get_for_user(user, project_id)
    response["ETag"] = project_etag(project)
    return list(project.milestones.order_by("order", "planned_date"))


@router.get("/{project_id}/milestones/{milestone_id}", response=MilestoneOut)
def get_milestone(request, response: HttpResponse, project_id: Path[ObjectId], milestone_id: Path[ObjectId]):
    """One node; its `ETag` is needed to record the day it was reached."""
    milestone = _milestone(business_user(request), project_id, milestone_id)
    response["ETag"] = milestone_etag(milestone)
    return milestone


@router.post(
    "/{project_id}/milestones/{milestone_id}/reached",
    response={200: MilestoneOut, 412: ErrorOut, 422: ErrorOut, 428: ErrorOut},
    description="Record the day a node was reached (milestone_reach, as the project page does: not in the "
    "future); the project's light follows. " + PRECONDITION_DOC,
)
def reach_milestone(
    request,
    response: HttpResponse,
    project_id: Path[ObjectId],
    milestone_id: Path[ObjectId],
    payload: ReachedIn,
):
    user = business_user(request)
    with transaction.atomic():
        milestone = _milestone(user, project_id, milestone_id, write=True)
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        locked.project = milestone.project
        if_match(request, milestone_etag(locked))
        milestone = services.milestone_reach(milestone=locked, reached=payload.actual_date)
    response["ETag"] = milestone_etag(milestone)
    return milestone
