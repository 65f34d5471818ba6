"""Issue 14: a crawl of every object URL by every role at every level finds no cross-region or cross-unit read.

常州市 with two districts (金坛区, 武进区), each with a park, a town and a department, their projects, reports,
problems, orders, rounds, visits, attachments, evaluations, bulletins, imported reports; the districts' offices as
units of the city; a city round visiting a project in each district and raising a problem to 武进区, the city's
evaluation and bulletin; users at every level, each with an API token and a background job. Every URL pattern of
the project that names an object is opened by every user for every object of its kind: an object outside the
user's scope answers 404 (403 for a page the role never opens), one inside it answers as the page does. A 200 page
must also not name a project the user may not read, nor (for a district's users) another district's unit.

ROUTES below is the table of object URLs; a new URL pattern with an argument that is not in it (or in EXCLUDED)
fails test_every_object_url_is_crawled, so that the next page is crawled too.
"""

import datetime
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ducha.accounts.models import Role, User
from ducha.api.models import ApiToken
from ducha.api.services import api_token_issue
from ducha.cockpit.services import bulletin_publish
from ducha.evaluation.choices import Source
from ducha.evaluation.models import SchemeItem
from ducha.evaluation.services import evaluation_compute, evaluation_publish, scheme_create
from ducha.extraction.services import document_import
from ducha.indicators.choices import Measure
from ducha.indicators.models import Indicator, IndicatorValue
from ducha.jobs.choices import JobKind, JobState
from ducha.jobs.services import _write_result, job_enqueue
from ducha.projects.models import Milestone, MilestoneTemplate
from ducha.projects.tests.factories import make_plan, make_project, make_report
from ducha.regions.models import Region
from ducha.regions.services import county_units, regions_load
from ducha.supervision.models import ProblemCategory
from ducha.supervision.services import order_issue, problem_raise, round_save, visit_add
from ducha.units.models import PeerGroup, Unit, UnitKind

CITY, JINTAN, WUJIN = "320400", "320413", "320412"
YEAR, MONTH = 2020, 11
PDF = b"%PDF-1.4\n% crawl\n"

# ---------------------------------------------------------------- the world


@dataclass
class Who:
    """A crawling user and what the scope rules say about them."""

    user: User
    kind: str  # city_office, city_leader, office, leader, unit, dept, auditor
    district: str | None = None  # the district code of district users and staff
    unit: Unit | None = None
    token: str = ""

    @property
    def unit_pk(self) -> int | None:
        return self.unit.pk if self.unit else None

    @property
    def is_city(self) -> bool:
        return self.kind in ("city_office", "city_leader")

    @property
    def is_office(self) -> bool:
        return self.kind in ("city_office", "office")

    @property
    def own_region(self) -> str | None:
        """The region whose rounds, schemes and evaluations an office admin changes."""
        return CITY if self.kind == "city_office" else self.district if self.kind == "office" else None

    def __str__(self) -> str:
        return self.user.username


@dataclass
class World:
    who: list[Who] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    projects: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    orders: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    rounds: list = field(default_factory=list)
    visits: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    schemes: list = field(default_factory=list)
    evaluations: list = field(default_factory=list)
    bulletins: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    facts: list = field(default_factory=list)
    jobs: list = field(default_factory=list)
    tokens: list = field(default_factory=list)


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def district_of(unit: Unit) -> str:
    return unit.region.code


def build_world() -> World:
    regions_load(CITY)
    region = {code: Region.objects.get(code=code) for code in (CITY, JINTAN, WUJIN)}
    w = World()

    def user(username, role, *, region_code=None, unit=None):
        return User.objects.create_user(
            username=username,
            password="pw-for-tests-1",
            role=role,
            unit=unit,
            region=region[region_code] if region_code else None,
        )

    city_office = user("city_office", Role.OFFICE, region_code=CITY)
    w.who += [
        Who(city_office, "city_office"),
        Who(user("city_leader", Role.LEADER, region_code=CITY), "city_leader"),
    ]
    sales = Indicator.objects.create(code="sales", name="工业开票销售收入", measure=Measure.YUAN, order=1)
    w.indicators.append(sales)
    land = ProblemCategory.objects.get(name="土地")
    w.categories.append(land)
    offices = {}
    parks = {}
    for code, tag in ((JINTAN, "JT"), (WUJIN, "WJ")):
        r = region[code]
        park = Unit.objects.create(
            name=f"{r.name}园区", kind=UnitKind.PARK, peer_group=PeerGroup.PARKS, region=r, order=1
        )
        town = Unit.objects.create(
            name=f"{r.name}某镇", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS, region=r, order=2
        )
        dept = Unit.objects.create(
            name=f"{r.name}住建局",
            kind=UnitKind.DEPARTMENT,
            peer_group=PeerGroup.DEPARTMENTS,
            region=r,
            order=3,
        )
        parks[code] = park
        w.units += [park, town, dept]
        low = tag.lower()
        office = user(f"office_{low}", Role.OFFICE, region_code=code)
        offices[code] = office
        w.who += [
            Who(office, "office", code),
            Who(user(f"leader_{low}", Role.LEADER, region_code=code), "leader", code),
            Who(user(f"park_{low}", Role.UNIT, unit=park), "unit", code, park),
            Who(user(f"dept_{low}", Role.DEPARTMENT, unit=dept), "dept", code, dept),
        ]
        # The markers (P…) are ASCII so that they can be looked for in JSON answers too.
        # The park projects share a name with each district's imported report, so that the review page has a
        # match to offer (its own district's only).
        in_park = make_project(park, name=f"P{tag}PARK 蜂巢能源动力电池项目", responsible_department=dept)
        in_town = make_project(town, name=f"P{tag}TOWN 项目")
        for project in (in_park, in_town):
            make_plan(project, year=YEAR)
            w.reports.append(
                make_report(project, MONTH, 900, year=YEAR, status="submitted", problems=f"R{project.name}")
            )
            w.milestones.append(
                Milestone.objects.create(project=project, name="开工", planned_date=datetime.date(YEAR, 6, 1))
            )
            value = IndicatorValue.objects.create
            unit = project.unit
            value(indicator=sales, unit=unit, year=YEAR - 1, month=MONTH, value=Decimal(100))
            value(indicator=sales, unit=unit, year=YEAR, month=MONTH, value=Decimal(110 + unit.order))
        w.projects += [in_park, in_town]
        for project in (in_park, in_town):
            problem = problem_raise(
                user=office,
                project=project,
                category=land,
                description=f"用地指标未落实 {project.name}",
                lead_department=dept,
                raised_on=datetime.date(YEAR, 11, 20),
                files=[pdf("现场.pdf")],
            )
            w.problems.append(problem)
            w.attachments += list(problem.attachments.all())
        w.orders.append(
            order_issue(
                user=office,
                problem=w.problems[-2],
                kind="reminder",
                text="请抓紧落实。",
                issued_on=datetime.date(YEAR, 11, 25),
                due_on=datetime.date(YEAR, 12, 5),
            )
        )
        # The district's round visits both projects; its second round only the town's.
        for n, visited in ((1, [in_park, in_town]), (2, [in_town])):
            rnd = round_save(
                user=office,
                data={
                    "title": f"{r.name}第{n}次督查",
                    "year": YEAR,
                    "date": datetime.date(YEAR, 11, n),
                    "leaders": "某某",
                },
            )
            w.rounds.append(rnd)
            for project in visited:
                photos = [pdf("照片.pdf")] if project == in_park else []
                visit = visit_add(user=office, round=rnd, project=project, files=photos)
                w.visits.append(visit)
                w.attachments += list(visit.attachments.all())
        document = document_import(
            text=f"{r.name}督查快报 2020年11月20日\n总投资80亿元的{tag}蜂巢能源动力电池项目进展顺利。\n",
            user=office,
            title=f"{r.name}快报",
        )
        w.documents.append(document)
        w.facts += list(document.facts.all())
    # The districts' offices as units of the city, which the city evaluates and raises problems to.
    counties = {unit.region.code: unit for unit in county_units(region[CITY])}
    w.units += counties.values()
    # The city's round visits the park project of each district and raises a problem to 武进区.
    city_round = round_save(
        user=city_office,
        data={
            "title": "常州市重点项目督查",
            "year": YEAR,
            "date": datetime.date(YEAR, 11, 15),
            "leaders": "某某",
            "level": "city",
        },
    )
    w.rounds.append(city_round)
    for code in (JINTAN, WUJIN):
        project = next(p for p in w.projects if p.unit_id == parks[code].pk)
        w.visits.append(visit_add(user=city_office, round=city_round, project=project))
    problem = problem_raise(
        user=city_office,
        project=project,
        category=land,
        description="市督查发现的问题",
        lead_department=counties[WUJIN],
        round=city_round,
        raised_on=datetime.date(YEAR, 11, 15),
        files=[pdf("市督查.pdf")],
    )
    w.problems.append(problem)
    w.attachments += list(problem.attachments.all())
    # Each office evaluates its own units: a published evaluation of November and a draft of October.
    for office in (city_office, *offices.values()):
        scheme = scheme_create(year=YEAR, name=f"{office.region.name}{YEAR}年考评", user=office)
        SchemeItem.objects.create(
            scheme=scheme, label="开票增幅", source=Source.INDICATOR_GROWTH, indicator=sales, weight=100
        )
        w.schemes.append(scheme)
        published = evaluation_publish(
            evaluation=evaluation_compute(scheme=scheme, month=MONTH, user=office), user=office
        )
        draft = evaluation_compute(scheme=scheme, month=MONTH - 1, user=office)
        w.evaluations += [published, draft]
        w.bulletins.append(bulletin_publish(year=YEAR, month=MONTH, user=office))
    # Tokens and background jobs for everyone (the auditor's token is made by hand: the service refuses it).
    w.who.append(Who(user("auditor", Role.AUDITOR), "auditor"))
    for who in w.who:
        if who.kind == "auditor":
            token, who.token = ApiToken.issue(user=who.user, name="crawl")
        else:
            token, who.token = api_token_issue(user=who.user, name="crawl")
        w.tokens.append(token)
        job = job_enqueue(kind=JobKind.LEDGER_EXPORT, user=who.user)
        job.result_path = str(_write_result(job, b"PK crawl"))
        job.result_name, job.state = "ledger.xlsx", JobState.DONE
        job.save()
        w.jobs.append(job)
    return w


# ---------------------------------------------------------------- the scope rules, as the issue states them


def reads_project(who: Who, project) -> bool:
    if who.is_city:
        return True
    if who.kind in ("office", "leader"):
        return district_of(project.unit) == who.district
    if who.kind == "unit":
        return project.unit_id == who.unit_pk
    if who.kind == "dept":
        return project.responsible_department_id == who.unit_pk
    return False


def writes_project(who: Who, project) -> bool:
    if who.is_office:
        return reads_project(who, project)
    return who.kind == "unit" and project.unit_id == who.unit_pk


def office_reads(who: Who, project) -> bool:
    return who.is_office and reads_project(who, project)


def reads_problem(who: Who, problem) -> bool:
    if who.kind == "dept":
        return problem.lead_department_id == who.unit_pk
    return reads_project(who, problem.project)


def acts_on_problem(who: Who, problem) -> bool:
    """Office in scope, the lead department, the project's unit; leaders only read."""
    return who.kind != "leader" and who.kind != "city_leader" and reads_problem(who, problem)


def reads_round(who: Who, rnd) -> bool:
    if who.kind == "auditor":
        return False
    if who.is_city:
        return True
    if who.kind in ("office", "leader") and rnd.region.code == who.district:
        return True
    return any(reads_project(who, v.project) for v in rnd.visits.all())


def owns(who: Who, region: Region) -> bool:
    return who.own_region == region.code


def reads_region_document(who: Who, region: Region) -> bool:
    """Bulletins and published evaluations reach every business user of the issuing region, of the regions below
    it and of the regions above it (the city's concern its districts)."""
    if who.kind == "auditor":
        return False
    return who.is_city or region.code in (CITY, who.district)


def reads_evaluation(who: Who, evaluation) -> bool:
    if evaluation.status == "draft":
        return owns(who, evaluation.scheme.region)
    return reads_region_document(who, evaluation.scheme.region)


def reads_area(who: Who, unit: Unit) -> bool:
    """The towns, streets and parks a user may open (departments and district offices have no page of their own)."""
    if unit.kind in (UnitKind.DEPARTMENT, UnitKind.COUNTY) or who.kind == "auditor":
        return False
    if who.is_city:
        return True
    if who.kind in ("office", "leader"):
        return district_of(unit) == who.district
    if who.kind == "unit":
        return unit.pk == who.unit_pk
    return unit.projects.filter(responsible_department_id=who.unit_pk).exists()


def reads_flags(who: Who, unit: Unit) -> bool:
    """A unit's flag history: an area's for those who read the area; a district office's (the city evaluates it)
    for the city's users and the district's office and leaders."""
    if unit.kind == UnitKind.COUNTY:
        return who.is_city or (who.kind in ("office", "leader") and district_of(unit) == who.district)
    return reads_area(who, unit)


def enters_figures(who: Who, unit: Unit) -> bool:
    if unit.kind in (UnitKind.DEPARTMENT, UnitKind.COUNTY):
        return False
    if who.is_office:
        return reads_area(who, unit)
    return who.kind == "unit" and unit.pk == who.unit_pk


def reads_document(who: Who, document) -> bool:
    """An imported report belongs to the region of the office that imported it."""
    return who.is_office and (who.is_city or document.uploaded_by.region.code == who.district)


def business(who: Who, _obj) -> bool:
    return who.kind != "auditor"


def any_office(who: Who, _obj) -> bool:
    return who.is_office


def own(who: Who, obj) -> bool:
    return obj.user_id == who.user.pk


# ---------------------------------------------------------------- the table of object URLs


@dataclass
class Route:
    objects: Callable[[World], list]
    kwargs: Callable[[Any], dict]
    allowed: Callable[[Who, Any], bool]
    method: str = "get"
    ok: frozenset = frozenset({200})  # what an allowed request answers
    # False for requests that would change something when allowed (revoke, publish, recompute, deactivate):
    # only the refused ones are sent.
    send_allowed: bool = True
    data: dict | Callable[[], dict] | None = None
    api: bool = False

    def __post_init__(self):
        if self.method != "get" and self.ok == frozenset({200}) and not self.api:
            self.ok = frozenset({302})  # a form posted: back to the page with a message


def pk(name="pk"):
    return lambda obj: {name: obj.pk}


def _report_is_for(f):
    return lambda who, report: f(who, report.project)


def _on_problem(f):
    return lambda who, order: f(who, order.problem)


def reads_attachment(who: Who, att) -> bool:
    return reads_problem(who, att.problem) if att.problem_id else reads_project(who, att.visit.project)


def manages_visit(who: Who, visit) -> bool:
    return who.is_office and reads_project(who, visit.project) and owns(who, visit.round.region)


ROUTES: dict[str, Route] = {
    "api_tokens:revoke": Route(lambda w: w.tokens, pk(), own, "post", send_allowed=False),
    "projects:detail": Route(lambda w: w.projects, pk(), reads_project),
    "projects:edit": Route(lambda w: w.projects, pk(), writes_project),
    "projects:delete": Route(lambda w: w.projects, pk(), office_reads),
    "projects:milestones": Route(lambda w: w.projects, pk(), office_reads, "post"),
    "projects:milestone_reached": Route(
        lambda w: w.milestones,
        lambda m: {"pk": m.project_id, "milestone_pk": m.pk},
        lambda who, m: writes_project(who, m.project),
        "post",
    ),
    "projects:report_submit": Route(lambda w: w.projects, pk(), writes_project),
    "projects:report_review": Route(lambda w: w.reports, pk(), _report_is_for(office_reads)),
    "units:detail": Route(lambda w: w.units, pk(), reads_area),
    "supervision:round_detail": Route(lambda w: w.rounds, pk(), reads_round),
    "supervision:round_edit": Route(lambda w: w.rounds, pk(), lambda who, r: owns(who, r.region)),
    "supervision:round_itinerary": Route(lambda w: w.rounds, pk(), reads_round),
    "supervision:round_delete": Route(lambda w: w.rounds, pk(), lambda who, r: owns(who, r.region)),
    "supervision:visit_edit": Route(lambda w: w.visits, pk(), manages_visit),
    "supervision:visit_delete": Route(lambda w: w.visits, pk(), manages_visit),
    "supervision:problem_detail": Route(lambda w: w.problems, pk(), reads_problem),
    "supervision:problem_edit": Route(
        lambda w: w.problems, pk(), lambda who, p: who.is_office and reads_problem(who, p)
    ),
    "supervision:problem_transition": Route(lambda w: w.problems, pk(), acts_on_problem, "post"),
    "supervision:order_create": Route(
        lambda w: w.problems, pk(), lambda who, p: who.is_office and reads_problem(who, p)
    ),
    "supervision:order_detail": Route(lambda w: w.orders, pk(), _on_problem(reads_problem)),
    # Problem categories and indicator definitions are the installation's shared configuration.
    "supervision:category_edit": Route(lambda w: w.categories, pk(), any_office, "post"),
    "supervision:attachment": Route(lambda w: w.attachments, pk(), reads_attachment),
    "indicators:trend": Route(lambda w: w.indicators, lambda i: {"code": i.code}, business),
    "indicators:entry": Route(lambda w: w.units, pk("unit_pk"), enters_figures),
    "indicators:definition_edit": Route(lambda w: w.indicators, pk(), any_office),
    "indicators:definition_active": Route(
        lambda w: w.indicators, pk(), any_office, "post", send_allowed=False
    ),
    "evaluation:detail": Route(lambda w: w.evaluations, pk(), reads_evaluation),
    "evaluation:detail_xlsx": Route(lambda w: w.evaluations, pk(), reads_evaluation),
    "evaluation:publish": Route(
        lambda w: w.evaluations, pk(), lambda who, e: owns(who, e.scheme.region), "post", send_allowed=False
    ),
    "evaluation:recompute": Route(
        lambda w: w.evaluations, pk(), lambda who, e: owns(who, e.scheme.region), "post", send_allowed=False
    ),
    "evaluation:unit_history": Route(lambda w: w.units, pk("unit_pk"), reads_flags),
    "evaluation:scheme_edit": Route(lambda w: w.schemes, pk(), lambda who, s: owns(who, s.region)),
    "evaluation:manual_scores": Route(lambda w: w.schemes, pk(), lambda who, s: owns(who, s.region)),
    "cockpit:bulletin_detail": Route(
        lambda w: w.bulletins, pk(), lambda who, b: reads_region_document(who, b.region)
    ),
    "cockpit:bulletin_docx": Route(
        lambda w: w.bulletins, pk(), lambda who, b: reads_region_document(who, b.region)
    ),
    "extraction:detail": Route(lambda w: w.documents, pk(), reads_document),
    "extraction:fact_review": Route(
        lambda w: w.facts,
        lambda f: {"pk": f.document_id, "fact_pk": f.pk},
        lambda who, f: reads_document(who, f.document),
        "post",
    ),
    "jobs:detail": Route(lambda w: w.jobs, pk(), own),
    "jobs:download": Route(lambda w: w.jobs, pk(), own),
    # The API, with each user's bearer token. Writes are sent so that an allowed one stops at its precondition
    # (428: no If-Match) and changes nothing.
    "api:get_project": Route(lambda w: w.projects, pk("project_id"), reads_project, api=True),
    "api:patch_project": Route(
        lambda w: w.projects, pk("project_id"), writes_project, "patch", frozenset({428}), data={}, api=True
    ),
    "api:delete_project": Route(
        lambda w: w.projects, pk("project_id"), office_reads, "delete", frozenset({428}), api=True
    ),
    "api:get_report": Route(
        lambda w: w.reports,
        lambda r: {"project_id": r.project_id, "year": r.year, "month": r.month},
        _report_is_for(reads_project),
        api=True,
    ),
    "api:submit_report": Route(
        lambda w: w.projects,
        pk("project_id"),
        writes_project,
        "post",
        frozenset({428}),
        data={
            "year": YEAR,
            "month": MONTH,
            "investment_month": "1",
            "investment_ytd": "901",
            "stage": "started",
        },
        api=True,
    ),
    "api:get_problem": Route(lambda w: w.problems, pk("problem_id"), reads_problem, api=True),
    "api:answer_problem": Route(
        lambda w: w.problems,
        pk("problem_id"),
        acts_on_problem,
        "post",
        frozenset({428}),
        data={"action": "answer", "comment": "crawl"},
        api=True,
    ),
    "api:get_round": Route(lambda w: w.rounds, pk("round_id"), reads_round, api=True),
    "api:get_evaluation": Route(lambda w: w.evaluations, pk("evaluation_id"), reads_evaluation, api=True),
    "api:unit_flags": Route(lambda w: w.units, pk("unit_id"), reads_flags, api=True),
    "api:list_reports": Route(lambda w: w.projects, pk("project_id"), reads_project, api=True),
    "api:list_plans": Route(lambda w: w.projects, pk("project_id"), reads_project, api=True),
    "api:put_plan": Route(
        lambda w: w.projects,
        lambda p: {"project_id": p.pk, "year": YEAR},
        writes_project,
        "put",
        frozenset({428}),
        data={"planned_investment_wan": "1"},
        api=True,
    ),
    "api:list_milestones": Route(lambda w: w.projects, pk("project_id"), reads_project, api=True),
    "api:lay_out_milestones": Route(
        lambda w: w.projects,
        pk("project_id"),
        office_reads,
        "post",
        frozenset({428}),
        data=lambda: {
            "template": MilestoneTemplate.objects.get_or_create(name="crawl")[0].pk,
            "target": "2021-12-31",
        },
        api=True,
    ),
    "api:get_milestone": Route(
        lambda w: w.milestones,
        lambda m: {"project_id": m.project_id, "milestone_id": m.pk},
        lambda who, m: reads_project(who, m.project),
        api=True,
    ),
    "api:reach_milestone": Route(
        lambda w: w.milestones,
        lambda m: {"project_id": m.project_id, "milestone_id": m.pk},
        lambda who, m: writes_project(who, m.project),
        "post",
        frozenset({428}),
        data={"actual_date": "2020-11-01"},
        api=True,
    ),
    "api:transition_problem": Route(
        lambda w: w.problems,
        pk("problem_id"),
        acts_on_problem,
        "post",
        frozenset({428}),
        data={"action": "answer", "comment": "crawl"},
        api=True,
    ),
    # Allowed, it would add a visit: only the refused requests are sent.
    "api:add_visit": Route(
        lambda w: w.rounds,
        pk("round_id"),
        lambda who, r: owns(who, r.region),
        "post",
        data={"project": 1},
        send_allowed=False,
        api=True,
    ),
    # An office's own targets: an empty grid stores nothing (428 once the year has targets and no If-Match).
    "api:put_targets": Route(
        lambda w: w.units[:1],
        lambda _unit: {"year": YEAR},
        any_office,
        "put",
        frozenset({200, 428}),
        data={"targets": []},
        api=True,
    ),
    "api:get_bulletin": Route(
        lambda w: w.bulletins,
        pk("bulletin_id"),
        lambda who, b: reads_region_document(who, b.region),
        api=True,
    ),
}

# URL namespaces not crawled, with the reason.
EXCLUDED = {
    "admin": "Django admin: staff only (the system administrator), and no business user is staff (asserted)",
    "regions": "public geography: a division's bundled outline, the same for every signed-in user (no business data)",
}

# Pages whose body may name projects of another district than the user's: documents a region circulates to the
# regions below and above it (a district's bulletin is issued to its own units; the city's to its districts).
DOCUMENT_ROUTES = {"cockpit:bulletin_detail", "cockpit:bulletin_docx", "api:get_bulletin"}


def marker(project) -> str:
    return project.name.split()[0]


def foreign_markers(who: Who, world: World) -> list[str]:
    """What a page shown to `who` must not name: the projects they may not read and, for a district's users, the
    other district's units."""
    names = [marker(p) for p in world.projects if not reads_project(who, p)]
    if who.district:  # not the district offices' names (金坛区), which pages name as regions
        names += [u.name for u in world.units if district_of(u) != who.district and u.kind != UnitKind.COUNTY]
    return names


def concerned(name: str, obj, world: World) -> set[str]:
    """What a page names by design even to users who may not read it: a problem's page (or its order's, or its
    file's) names its project for the lead department; a region's bulletin names the projects and units of that
    region and below, its evaluation the units, to everyone they are circulated to."""
    problem = obj if hasattr(obj, "lead_department_id") else getattr(obj, "problem", None)
    if problem is not None:
        return {marker(problem.project)}
    region = obj.region if name in DOCUMENT_ROUTES else getattr(getattr(obj, "scheme", None), "region", None)
    if region is None:
        return set()
    return {marker(p) for p in world.projects if region.contains(p.unit.region)} | {
        u.name for u in world.units if region.contains(u.region)
    }


def object_url_patterns() -> dict[str, str]:
    """Every named URL pattern that takes an argument: {namespace:name: route}."""
    found: dict[str, str] = {}

    def walk(patterns, prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and (p.pattern.converters or p.pattern.regex.groups):
                found[f"{namespace}{p.name or ''}"] = prefix + str(p.pattern)

    walk(get_resolver().url_patterns, "", "")
    return found


def test_every_object_url_is_crawled():
    patterns = object_url_patterns()
    missing = {
        name: route
        for name, route in patterns.items()
        if name not in ROUTES and name.split(":")[0] not in EXCLUDED
    }
    assert not missing, f"object URLs missing from ROUTES in {__name__}: {missing}"
    gone = set(ROUTES) - set(patterns)
    assert not gone, f"ROUTES names URLs that no longer exist: {gone}"


# ---------------------------------------------------------------- the crawl


DENIED = {403, 404}


def _denied(response) -> bool:
    if response.status_code in DENIED:
        return True
    return response.status_code == 302 and "/accounts/login/" in response.get("Location", "")


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    kind = response.get("Content-Type", "")
    if kind.startswith("application/json"):  # names as written, not as \u escapes
        return json.dumps(json.loads(response.content), ensure_ascii=False)
    return response.content.decode(errors="replace") if kind.startswith("text/") else ""


def _request(client: Client, route: Route, url: str, who: Who):
    call = getattr(client, route.method)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {who.token}"} if route.api else {}
    if route.api and route.data is not None:
        data = route.data() if callable(route.data) else route.data  # made when sent: it may name stored rows
        return call(url, data, content_type="application/json", **headers)
    if route.method == "get":
        return call(url, **headers)
    return call(url, route.data or {}, **headers)


@pytest.fixture
def crawl_settings(settings, tmp_path):
    settings.DUCHA_TODAY = "2020-12-15"
    settings.DUCHA_PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = False


def test_no_role_at_any_level_reads_outside_its_scope(db, crawl_settings):
    started = time.monotonic()
    world = build_world()
    built = time.monotonic() - started
    assert not any(who.user.is_staff for who in world.who)  # so the admin's object pages stay closed to them
    leaks: list[str] = []
    refused: list[str] = []
    allowed_seen: dict[str, set[str]] = {name: set() for name in ROUTES}
    denied_seen: dict[str, int] = {name: 0 for name in ROUTES}
    requests = 0
    timing: dict[str, float] = {name: 0.0 for name in ROUTES}
    for who in world.who:
        web = Client()
        web.force_login(who.user)
        api = Client()
        foreign = foreign_markers(who, world)
        for name, route in ROUTES.items():
            client = api if route.api else web
            for obj in route.objects(world):
                allowed = route.allowed(who, obj)
                if allowed and not route.send_allowed:
                    continue
                url = reverse(name, kwargs=route.kwargs(obj))
                before = time.monotonic()
                response = _request(client, route, url, who)
                timing[name] += time.monotonic() - before
                requests += 1
                what = f"{who} {route.method.upper()} {url} ({name}, {type(obj).__name__} {obj.pk})"
                if not allowed:
                    denied_seen[name] += 1
                    if not _denied(response):
                        leaks.append(f"{what}: {response.status_code}, 404 due")
                    continue
                if response.status_code not in route.ok:
                    refused.append(f"{what}: {response.status_code}, {sorted(route.ok)} due")
                    continue
                allowed_seen[name].add(who.kind)
                body = _body(response)
                named = [m for m in foreign if m in body and m not in concerned(name, obj, world)]
                if named:
                    leaks.append(f"{what}: the page names {named}, which {who} may not read")
    elapsed = time.monotonic() - started
    print(
        f"\n{requests} scoped requests by {len(world.who)} users in {elapsed:.1f}s (world built in {built:.1f}s)"
    )
    for name in sorted(timing, key=timing.get, reverse=True)[:8]:
        print(f"  {timing[name]:.1f}s {name}")
    assert not leaks, f"{len(leaks)} cross-scope reads:\n" + "\n".join(leaks)
    assert not refused, f"{len(refused)} requests refused within scope:\n" + "\n".join(refused)
    # Every route was both opened and refused, so that the crawl can fail both ways on each of them.
    never_allowed = [name for name, kinds in allowed_seen.items() if not kinds and ROUTES[name].send_allowed]
    assert not never_allowed, f"no user opened {never_allowed}"
    never_denied = [name for name, n in denied_seen.items() if not n]
    assert not never_denied, f"no user was refused {never_denied}"
    assert requests > 1500
