"""The REST API (documentation at /api/docs for signed-in users): token-authenticated, scoped like the web pages."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import NinjaAPI, Query, Schema, Status, Swagger
from ninja.errors import HttpError

from ducha.accounts.access import business_user_required, units_visible_to
from ducha.projects import oc4ids, selectors, services
from ducha.projects.models import Project

from .auth import TokenAuth, business_user

# The documentation and the OpenAPI document are for signed-in business users; Swagger UI comes from
# django-ninja's own static files (with "ninja" in INSTALLED_APPS), never from a CDN, and validates nothing online.
api = NinjaAPI(
    title="ducha API",
    version="1",
    auth=TokenAuth(),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=business_user_required,
)


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    peer_group: str


class CapacityOut(Schema):
    quantity: Decimal
    unit: str
    product: str


class ProjectOut(Schema):
    id: int
    name: str
    company: str
    unit_id: int
    unit: str
    industry: str | None
    chain_position: str
    level: str
    category: str
    construction_type: str
    stage: str
    light: str
    total_investment_wan: Decimal
    currency: str
    national_code: str
    in_statistics: bool
    plan_year_wan: Decimal | None = None
    completed_ytd_wan: Decimal | None = None

    @staticmethod
    def from_project(p: Project) -> "ProjectOut":
        return ProjectOut(
            id=p.pk,
            name=p.name,
            company=p.company,
            unit_id=p.unit_id,
            unit=p.unit.name,
            industry=p.industry.name if p.industry else None,
            chain_position=p.chain_position,
            level=p.level,
            category=p.category,
            construction_type=p.construction_type,
            stage=p.stage,
            light=p.light,
            total_investment_wan=p.total_investment,
            currency=p.currency,
            national_code=p.national_code,
            in_statistics=p.in_statistics,
            plan_year_wan=getattr(p, "plan_year", None),
            completed_ytd_wan=getattr(p, "completed_ytd", None),
        )


class ProjectDetailOut(ProjectOut):
    capacities: list[CapacityOut]
    light_reasons: list[dict]


class ProjectPage(Schema):
    count: int
    period: str
    results: list[ProjectOut]


class ProjectFilters(Schema):
    q: str | None = None
    unit: int | None = None
    industry: int | None = None
    level: str | None = None
    stage: str | None = None
    light: str | None = None
    construction_type: str | None = None
    year: int | None = None
    month: int | None = None
    limit: int = 100
    offset: int = 0


class ReportIn(Schema):
    year: int
    month: int
    investment_month: Decimal
    investment_ytd: Decimal
    stage: str
    narrative: str = ""
    problems: str = ""


class ReportOut(Schema):
    id: int
    project_id: int
    year: int
    month: int
    investment_month: Decimal
    investment_ytd: Decimal
    stage: str
    status: str


@api.get("/units", response=list[UnitOut], tags=["units"])
def list_units(request):
    return list(units_visible_to(business_user(request), departments=True))


@api.get("/projects", response=ProjectPage, tags=["projects"])
def list_projects(request, filters: Query[ProjectFilters]):
    user = business_user(request)
    period = selectors.period_from_params({"year": filters.year, "month": filters.month})
    data = filters.dict(exclude_none=True)
    rows = selectors.ledger(user, data, period)
    limit = max(1, min(filters.limit, 1000))
    offset = max(0, filters.offset)
    page = rows[offset : offset + limit]
    return {
        "count": rows.count(),
        "period": str(period),
        "results": [ProjectOut.from_project(p) for p in page],
    }


@api.get("/projects/oc4ids", tags=["projects"], summary="All visible projects as an OC4IDS project package")
def projects_oc4ids(request):
    user = business_user(request)
    projects = selectors.projects_for_user(user).for_ledger().prefetch_related("stage_dates")
    return oc4ids.project_package(
        projects, prefix="ducha", uri=request.build_absolute_uri(), published=timezone.now().isoformat()
    )


@api.get("/projects/{project_id}", response=ProjectDetailOut, tags=["projects"])
def get_project(request, project_id: int):
    user = business_user(request)
    project = selectors.project_get_for_user(user, project_id)
    out = ProjectOut.from_project(project).dict()
    out["capacities"] = list(project.capacities.all())
    out["light_reasons"] = project.light_reasons
    return out


@api.post("/projects/{project_id}/reports", response={201: ReportOut}, tags=["projects"])
def submit_report(request, project_id: int, payload: ReportIn):
    """File a month's progress, with the same rules as the web form (cumulative never lower than last month's)."""
    user = business_user(request)
    project = selectors.project_get_for_user(user, project_id, write=True)
    try:
        report = services.progress_report_submit(project=project, user=user, **payload.dict())
    except ValidationError as exc:
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
    return Status(201, report)


@api.get("/health", auth=None, tags=["meta"])
def health(request):
    return {"status": "ok", "date": timezone.localdate().isoformat()}


def _mount_app_routers() -> None:
    """Each domain app keeps its endpoints in its own `api.py` with a `router`."""
    import importlib

    for prefix, module_name in [
        ("/supervision", "ducha.supervision.api"),
        ("/indicators", "ducha.indicators.api"),
        ("/evaluation", "ducha.evaluation.api"),
    ]:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        api.add_router(prefix, module.router)


_mount_app_routers()
