"""The REST API (documentation at /api/docs for signed-in users): token-authenticated, scoped like the web pages."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.urls import re_path
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Query, Schema, Status, Swagger
from ninja.errors import HttpError

from ducha.accounts.access import business_user_required, units_visible_to
from ducha.projects import oc4ids_export, selectors, services
from ducha.projects.forms import LedgerFilterForm
from ducha.projects.models import ProgressReport, Project
from ducha.projects.rules import stored_point

from . import errors
from .auth import TokenAuth, business_user, office_user
from .conditional import PRECONDITION_DOC, PreconditionFailed, if_match, version_etag
from .errors import ErrorOut
from .filters import form_filters, query_schema
from .projects import ProjectIn, project_create
from .types import Limit, Month, ObjectId, Offset, PageOut, PeriodOut, Year, page_bounds, paginate

DESCRIPTION = """
Token-authenticated (`Authorization: Bearer <key>`, keys from /accounts/tokens/), scoped like the web pages:
an object outside the token user's scope answers 404.

**Conditional writes.** GET of one object (a project, a month's progress report, a problem, a unit's indicator
values for a month) answers with an `ETag` header, from the object's version or a hash of what is stored.
Every write that changes an existing object (PATCH, DELETE, or a POST that files over an existing report,
answers a problem or stores over a month's values) must send that ETag in `If-Match`. Without it the answer is
**428 Precondition Required**; when the object changed since it was read the answer is **412 Precondition
Failed** with the current `ETag` in the response headers, and nothing is changed. A POST that creates
something new needs no `If-Match`. `If-Match: *` writes over whatever is stored.

**Errors.** Every 4xx and 5xx answer under `/api/` has one shape (the `Error` schema):
`{"error": {"status": 422, "code": "validation", "message": "…", "fields": {"light": ["…"]}}}` — `code` is one of
bad_request, unauthorized, forbidden, not_found, method_not_allowed, conflict, precondition_failed, validation,
precondition_required, server_error; `fields` appears when values were refused and names each one.

**Numbers.** Ids, `limit`, `offset`, years and months are bounded (ids 1 … 2^63−1); a value outside its range
answers 422 naming the parameter, never a server error.
"""


# The documentation and the OpenAPI document are for signed-in business users; Swagger UI comes from
# django-ninja's own static files (with "ninja" in INSTALLED_APPS), never from a CDN, and validates nothing online.
class DuchaAPI(NinjaAPI):
    """django-ninja with the error envelope on every path under /api/, unknown ones included."""

    def _get_urls(self):
        urls = super()._get_urls()
        for pattern in urls:
            if getattr(pattern, "name", "") not in ("openapi-json", "openapi-view"):
                pattern.callback = errors.json_405(pattern.callback)
        urls.append(re_path(r"^.*$", errors.unknown_path, name="unknown"))
        return urls

    def get_openapi_schema(self, **kwargs):
        return errors.openapi_with_errors(super().get_openapi_schema(**kwargs))


api = DuchaAPI(
    title="ducha API",
    version="1",
    description=DESCRIPTION,
    auth=TokenAuth(),
    urls_namespace="api",
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=business_user_required,
)
errors.install(api)


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
    version: int
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
    longitude: Decimal | None = Field(None, description="WGS-84 degrees east (null: not placed).")
    latitude: Decimal | None = Field(None, description="WGS-84 degrees north (null: not placed).")
    address: str = ""
    plan_year_wan: Decimal | None = None
    completed_ytd_wan: Decimal | None = None

    @staticmethod
    def from_project(p: Project) -> "ProjectOut":
        return ProjectOut(
            id=p.pk,
            version=p.version,
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
            longitude=p.longitude,
            latitude=p.latitude,
            address=p.address,
            plan_year_wan=getattr(p, "plan_year", None),
            completed_ytd_wan=getattr(p, "completed_ytd", None),
        )


class ProjectDetailOut(ProjectOut):
    capacities: list[CapacityOut]
    light_reasons: list[dict]


class ProjectPage(PageOut):
    period: PeriodOut = Field(
        description="The period of the figures (plan_year_wan, completed_ytd_wan, light)."
    )
    results: list[ProjectOut]


class Paging(Schema):
    limit: Limit = 100
    offset: Offset = 0


# The web ledger's filter form is the one definition of the project filters: its choices are the API's enums.
if TYPE_CHECKING:
    ProjectFilters = Paging
else:
    ProjectFilters = query_schema(LedgerFilterForm, "ProjectFilters", base=Paging)


class ProjectPatch(Schema):
    """The fields to change; those left out keep their stored value."""

    name: str | None = None
    company: str | None = None
    responsible_leader: str | None = None
    level: str | None = None
    category: str | None = None
    foreign_funded: bool | None = None
    chain_position: str | None = None
    chain_segment: str | None = None
    construction_type: str | None = None
    total_investment_wan: Decimal | None = None
    currency: str | None = None
    national_code: str | None = None
    in_statistics: bool | None = None
    statistics_date: datetime.date | None = None
    target_date: datetime.date | None = None
    description: str | None = None
    address: str | None = None
    longitude: Decimal | None = Field(
        None, ge=-180, le=180, description="Give both coordinates, or null both."
    )
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    coordinate_system: Literal["wgs84", "gcj02"] = Field(
        "wgs84",
        description="The system of the coordinates sent: wgs84 (GPS, Tianditu) or gcj02 (Amap, Tencent maps), "
        "converted to WGS-84 for storing.",
    )


# API name → model field, where they differ.
PATCH_FIELDS = {"total_investment_wan": "total_investment"}
API_NAMES = {model: name for name, model in PATCH_FIELDS.items()}


class ReportIn(Schema):
    year: Year
    month: Month
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
    narrative: str
    problems: str
    status: str


def project_etag(project: Project) -> str:
    return version_etag("project", project.pk, project.version)


def report_etag(report: ProgressReport) -> str:
    return version_etag("report", report.pk, report.version)


@api.get("/units", response=list[UnitOut], tags=["units"])
def list_units(request):
    return list(units_visible_to(business_user(request), departments=True))


@api.get("/projects", response=ProjectPage, tags=["projects"])
def list_projects(request, filters: Query[ProjectFilters]):
    """The ledger's rows, filtered and sorted as the web ledger is (the same form checks the parameters:
    an unknown level, stage, light, type or chain position, or a unit outside the token user's scope, is 422),
    with the period's figures (`year`/`month`, the current reporting month by default)."""
    user = business_user(request)
    cleaned = form_filters(LedgerFilterForm, filters, user=user)
    period = selectors.period_from_params(cleaned)
    rows = selectors.ledger(user, cleaned, period)
    page = paginate(request, rows, filters.limit, filters.offset)
    page["results"] = [ProjectOut.from_project(p) for p in page["results"]]
    return {**page, "period": PeriodOut.of(period)}


@api.post(
    "/projects",
    response={201: ProjectDetailOut, 403: ErrorOut, 422: ErrorOut},
    tags=["projects"],
    summary="Create a project",
    description="File a new project with the rules of the web form (ProjectForm, then project_save): the "
    "office for any unit, unit staff for their own. A refused field is 422 naming it; the answer carries the "
    "new project's `ETag`.",
)
def create_project(request, response: HttpResponse, payload: ProjectIn):
    user = business_user(request)
    project = project_create(user=user, payload=payload)
    project = selectors.project_get_for_user(user, project.pk)
    response["ETag"] = project_etag(project)
    return Status(201, _project_detail(project))


@api.get(
    "/projects/oc4ids",
    tags=["projects"],
    summary="The visible projects as an OC4IDS project package, a page at a time",
    description="Open Contracting for Infrastructure Data Standard 0.9 (valid against the 0.9.5 schema): the "
    "token user's projects in id order, `limit` (1 … 1000, default 100) from `offset`; `links.next` and "
    "`links.prev` give the neighbouring pages' URLs when there are any, as OCDS packages paginate.",
)
def projects_oc4ids(request, limit: Limit = 100, offset: Offset = 0):
    user = business_user(request)

    def page_url(start: int, size: int) -> str:
        return request.build_absolute_uri(f"{request.path}?{urlencode({'limit': size, 'offset': start})}")

    return oc4ids_export.package_page(
        selectors.projects_for_user(user), page_bounds(limit, offset), page_url=page_url
    )


def _project_detail(project: Project) -> dict:
    out = ProjectOut.from_project(project).dict()
    out["capacities"] = list(project.capacities.all())
    out["light_reasons"] = project.light_reasons
    return out


@api.get("/projects/{project_id}", response=ProjectDetailOut, tags=["projects"])
def get_project(request, response: HttpResponse, project_id: Path[ObjectId]):
    """One project; the `ETag` header carries its version, for `If-Match` on PATCH and DELETE."""
    user = business_user(request)
    project = selectors.project_get_for_user(user, project_id)
    response["ETag"] = project_etag(project)
    return _project_detail(project)


@api.patch(
    "/projects/{project_id}",
    response={200: ProjectDetailOut, 412: ErrorOut, 422: ErrorOut, 428: ErrorOut},
    tags=["projects"],
    description="Change some of a project's fields, with the rules of the web form. " + PRECONDITION_DOC,
)
def patch_project(request, response: HttpResponse, project_id: Path[ObjectId], payload: ProjectPatch):
    user = business_user(request)
    project = selectors.project_get_for_user(user, project_id, write=True)
    if_match(request, project_etag(project))
    changes = payload.dict(exclude_unset=True)
    system = changes.pop("coordinate_system", "wgs84")
    if changes.get("longitude") is not None and changes.get("latitude") is not None:
        changes["longitude"], changes["latitude"] = stored_point(
            float(changes["longitude"]), float(changes["latitude"]), system
        )
    for name, value in changes.items():
        setattr(project, PATCH_FIELDS.get(name, name), value)
    try:
        project.full_clean()
        project = services.project_save(project=project, expected_version=project.version)
    except ValidationError as exc:
        raise errors.refused(exc, names=API_NAMES) from exc
    except services.StaleEdit as stale:  # saved by someone else between the check and the lock
        raise PreconditionFailed(project_etag(stale.current)) from stale
    project = selectors.project_get_for_user(user, project_id)
    response["ETag"] = project_etag(project)
    return _project_detail(project)


@api.delete(
    "/projects/{project_id}",
    response={204: None, 409: ErrorOut, 412: ErrorOut, 428: ErrorOut},
    tags=["projects"],
    description="The office deletes a project entered by mistake; one with problems or evidence on record "
    "is kept (409). " + PRECONDITION_DOC,
)
def delete_project(request, project_id: Path[ObjectId]):
    user = office_user(request)
    project = selectors.project_get_for_user(user, project_id, write=True)
    with transaction.atomic():
        project.version = (
            Project.objects.select_for_update().values_list("version", flat=True).get(pk=project.pk)
        )
        if_match(request, project_etag(project))
        try:
            services.project_delete(project=project)
        except ValidationError as exc:
            raise HttpError(409, " ".join(exc.messages)) from exc
    return Status(204, None)


def _report(project: Project, year: int, month: int) -> ProgressReport | None:
    return ProgressReport.objects.filter(project=project, year=year, month=month).first()


@api.get("/projects/{project_id}/reports/{year}/{month}", response=ReportOut, tags=["projects"])
def get_report(
    request, response: HttpResponse, project_id: Path[ObjectId], year: Path[Year], month: Path[Month]
):
    """A month's progress report; its `ETag` is needed to file the month again."""
    user = business_user(request)
    project = selectors.project_get_for_user(user, project_id)
    report = _report(project, year, month)
    if report is None:
        raise HttpError(404, "No report for this month.")
    response["ETag"] = report_etag(report)
    return report


@api.post(
    "/projects/{project_id}/reports",
    response={200: ReportOut, 201: ReportOut, 412: ErrorOut, 422: ErrorOut, 428: ErrorOut},
    tags=["projects"],
    description="File a month's progress, with the same rules as the web form (cumulative never lower than "
    "last month's): 201 when the month is new. Filing a month that already has a report replaces it (200) and "
    "needs the report's ETag from GET /projects/{project_id}/reports/{year}/{month}. " + PRECONDITION_DOC,
)
def submit_report(request, response: HttpResponse, project_id: Path[ObjectId], payload: ReportIn):
    user = business_user(request)
    project = selectors.project_get_for_user(user, project_id, write=True)
    stored = _report(project, payload.year, payload.month)
    if_match(request, report_etag(stored) if stored else None)
    try:
        report = services.progress_report_submit(
            project=project,
            user=user,
            expected_version=stored.version if stored else services.NO_REPORT_YET,
            **payload.dict(),
        )
    except services.StaleEdit as stale:  # filed by someone else between the check and the service's lock
        raise PreconditionFailed(report_etag(stale.current) if stale.current else None) from stale
    response["ETag"] = report_etag(report)
    return Status(200 if stored else 201, report)


class ReportRowOut(Schema):
    id: int
    year: int
    month: int
    investment_month: Decimal
    investment_ytd: Decimal
    stage: str
    status: str
    version: int


class ReportPage(PageOut):
    results: list[ReportRowOut]


@api.get("/projects/{project_id}/reports", response=ReportPage, tags=["projects"])
def list_reports(
    request, project_id: Path[ObjectId], year: Year | None = None, limit: Limit = 100, offset: Offset = 0
):
    """A project's monthly progress reports, latest first (one year with `year`)."""
    project = selectors.project_get_for_user(business_user(request), project_id)
    rows = project.reports.order_by("-year", "-month")
    if year is not None:
        rows = rows.filter(year=year)
    return paginate(request, rows, limit, offset)


@api.get("/health", auth=None, tags=["meta"])
def health(request):
    return {"status": "ok", "date": timezone.localdate().isoformat()}


def _mount_app_routers() -> None:
    """Each domain app keeps its endpoints in its own `api.py` with a `router`."""
    import importlib

    for prefix, module_name in [
        ("/projects", "ducha.api.projects"),
        ("/supervision", "ducha.supervision.api"),
        ("/indicators", "ducha.indicators.api"),
        ("/evaluation", "ducha.evaluation.api"),
        ("/bulletins", "ducha.cockpit.api"),
    ]:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        api.add_router(prefix, module.router)


_mount_app_routers()
