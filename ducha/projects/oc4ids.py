"""Projects as an Open Contracting for Infrastructure Data Standard (OC4IDS 0.9) project package.

Pure: every function takes projects already loaded with what it reads (ducha.projects.oc4ids_export loads them:
unit and region, industry, department, stage dates, nodes, annual plans, the counted monthly reports and their
stored period figures) and makes no query. The mappings to the standard's codelists are tables here, each with
the reason for its choices; schema and codelists are vendored in data/oc4ids/ (0.9.5).

Dates: ducha keeps days; OC4IDS wants date-times. As the standard's guidance says for a day without a time, a
start is written at 00:00:00 and an end at 23:59:59, in the installation's time zone (Asia/Shanghai, +08:00).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from ducha.lib.money import wan_to_yuan
from ducha.lib.quantities import plain

from .choices import Category, Stage

VERSION = "0.9"  # the package's `version` (major.minor); the vendored schema is 0.9.5
LANGUAGE = "zh"  # names, descriptions and narratives are written in Chinese
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
# The national project code of 全国投资项目在线审批监管平台 (YYYY-AAAAAA-BB-CC-NNNNNN).
NATIONAL_CODE_SCHEME = "CN-TZXM"
PERCENT = {"name": "percent", "scheme": "UNCEFACT", "id": "P1"}

# ducha's stage → projectStatus (closed codelist). 投产 and 达产 are the asset in operation, which the
# standard calls maintenance ("also called operation"); 竣工 is the handover and close-out, completion.
STATUS = {
    Stage.PLANNING: "identification",
    Stage.SIGNED: "preparation",
    Stage.STARTED: "implementation",
    Stage.COMPLETED: "completion",
    Stage.PRODUCTION: "maintenance",
    Stage.FULL_PRODUCTION: "maintenance",
}

# projectType (closed codelist) from the words of the project's name; first match wins. 新建 and 续建 (ducha's
# construction_type) say whether the work started this year or in an earlier one, not what kind of work it is:
# a 续建 factory is still the construction of a new asset, so neither decides the type.
TYPE_RULES: Sequence[tuple[str, str]] = (
    (r"改扩建|扩建|扩产|扩能|扩容|二期|三期|四期", "expansion"),
    (r"拆除|关停|退役", "decommissioning"),
    (r"更新换代|置换|替换", "replacement"),
    (r"改造|提档|提标|升级|修复|整治|翻新|维修|加固|修缮", "rehabilitation"),
)
DEFAULT_TYPE = "construction"

# projectSector (open codelist) from the words of the project's name: the sector of the asset built. A
# factory is an economic asset whatever it makes (a photovoltaic module plant is not a solar power station),
# so industrial and technology projects whose names name no infrastructure asset are "economy"; a public
# project whose name names none gets no sector rather than a guess (its industry stays in the classifications).
SECTOR_RULES: Sequence[tuple[str, tuple[str, ...]]] = (
    (r"光伏电站|光伏发电|太阳能发电|分布式光伏", ("energy", "energy.solar")),
    (r"风电|风力发电", ("energy", "energy.wind")),
    (r"水电站|水力发电|抽水蓄能", ("energy", "energy.hydropower")),
    (r"生物质", ("energy", "energy.biomass")),
    (r"地热", ("energy", "energy.geothermal")),
    (r"变电站|输变电|电网|储能电站|热电|电厂|燃气管|天然气管|加气站", ("energy",)),
    (r"充电站|换电站", ("transport", "transport.lowCarbon")),
    (r"机场|航站楼", ("transport", "transport.air")),
    (r"港口|码头|航道|船闸", ("transport", "transport.water")),
    (r"铁路|高铁|动车", ("transport", "transport.rail")),
    (r"地铁|轨道交通|公交|有轨电车|城市交通", ("transport", "transport.urban")),
    (
        r"公路|道路|大道|快速路|高速|大桥|桥梁|隧道|立交|国道|省道|互通|线(?:改造|改扩建|新建|拓宽)",
        ("transport", "transport.road"),
    ),
    (r"防洪|堤防|海塘|排涝|水闸|泵站", ("naturalResources", "naturalResources.floodProtection")),
    (r"污水|供水|水厂|管网|雨污|垃圾|环卫|固废|危废", ("waterAndWaste",)),
    (r"生态|湿地|湖泊|造林|绿化|水土|土壤|河道|河湖|湖区", ("naturalResources",)),
    (r"医院|卫生|医疗|养老|福利院|疾控|康复|护理", ("health",)),
    (r"学校|学院|大学|中学|小学|幼儿园|教育|实训", ("education",)),
    (r"保障房|安置房|保障性住房|老旧小区|棚户区|公租房|人才公寓", ("socialHousing",)),
    (r"体育|文化|旅游|景区|公园|博物馆|图书馆|剧院|文旅", ("cultureSportsAndRecreation",)),
    (r"5G基站|通信基站|光纤|宽带|数据中心|算力中心", ("communications",)),
    (r"政务|行政中心|法院|检察|公安|消防|应急", ("governance",)),
)
ECONOMIC_CATEGORIES = {Category.INDUSTRIAL, Category.TECHNOLOGY}
# An industrial project whose name says it makes something is a factory, whatever the product (充电桩, 光伏组件).
FACTORY_WORDS = r"年产|生产|制造|工厂|产线|产业园|产业基地|生产基地"

# A node's milestoneType (open codelist) and, for the three that are the standard's own events, its
# milestoneCode; from the node's name (the backward-scheduling template: 土地摘牌 → 施工许可 → 开工 → 主体结顶 →
# 设备安装 → 竣工 → 投产). Everything else is a delivery milestone, a stage of the works.
MILESTONE_TYPE_RULES: Sequence[tuple[str, str]] = (
    (r"许可|审批|批复|核准|备案|立项|环评|能评|规划|批准|领证", "approval"),
    (r"摘牌|土地|供地|征地|拆迁|可研|签约|设计", "preProcurement"),
    (r"招标|采购", "procurement"),
    (r"验收|评估|评审", "assessment"),
    (r"融资|贷款|注资", "financing"),
)
MILESTONE_CODES: Sequence[tuple[str, str]] = (
    (r"开工|奠基", "commencement"),
    (r"竣工", "completion"),
    (r"投产|试生产|投运|运营", "commissioning"),
)


def _first(rules, text: str, default=None):
    for pattern, value in rules:
        if re.search(pattern, text):
            return value
    return default


def project_type(name: str) -> str:
    return _first(TYPE_RULES, name, DEFAULT_TYPE)


def project_sectors(name: str, category: str) -> list[str]:
    economic = category in ECONOMIC_CATEGORIES
    sectors = None if economic and re.search(FACTORY_WORDS, name) else _first(SECTOR_RULES, name)
    if sectors is None:
        return ["economy"] if economic else []
    return list(sectors)


def milestone_type(name: str) -> str:
    return _first(MILESTONE_TYPE_RULES, name, "delivery")


def milestone_code(name: str) -> str | None:
    return _first(MILESTONE_CODES, name)


def milestone_status(planned: date, actual: date | None, today: date) -> str:
    """met once reached; notMet when its planned day has passed without it; scheduled before then."""
    if actual is not None:
        return "met"
    return "notMet" if planned < today else "scheduled"


# ---------------------------------------------------------------- dates


@dataclass(frozen=True)
class Clock:
    """The day and time zone the package is written in."""

    today: date
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))

    def start(self, day: date) -> str:
        return datetime.combine(day, time(0, 0, 0), self.tz).isoformat()

    def end(self, day: date) -> str:
        return datetime.combine(day, time(23, 59, 59), self.tz).isoformat()

    def period(self, start: date | None, end: date | None) -> dict | None:
        return _compact({"startDate": start and self.start(start), "endDate": end and self.end(end)}) or None

    def month(self, year: int, month: int, *, from_january: bool = False) -> dict:
        last = calendar.monthrange(year, month)[1]
        return {
            "startDate": self.start(date(year, 1 if from_january else month, 1)),
            "endDate": self.end(date(year, month, last)),
        }

    def year(self, year: int) -> dict:
        return {"startDate": self.start(date(year, 1, 1)), "endDate": self.end(date(year, 12, 31))}


def _compact(d: dict) -> dict:
    """Leave out what has no value: OC4IDS wants absent fields, never null, "", [] or {}."""
    return {k: v for k, v in d.items() if v is not None and v != "" and v != [] and v != {}}


def _money(wan: Decimal | None, currency: str) -> dict | None:
    yuan = wan_to_yuan(wan)
    return {"amount": plain(yuan), "currency": currency} if yuan is not None else None


def _months(month: int) -> str:
    return "1月" if month == 1 else f"1-{month}月"


def _percent(ratio: Decimal) -> int | float:
    return plain((ratio * 100).quantize(Decimal("0.01")))


# ---------------------------------------------------------------- one project


@dataclass(frozen=True)
class Context:
    """What every project of one package is written with."""

    prefix: str  # project ids are `{prefix}-{pk}`; a registered OC4IDS prefix is `oc4ids-xxxxxx`
    clock: Clock
    industry_paths: Mapping[int, Sequence[str]] = field(default_factory=dict)  # id → names, root first


def _parties(project) -> list[dict]:
    parties = [{"id": f"unit-{project.unit_id}", "name": project.unit.name, "roles": ["publicAuthority"]}]
    if project.responsible_department_id:
        parties.append(
            {
                "id": f"unit-{project.responsible_department_id}",
                "name": project.responsible_department.name,
                "roles": ["administrativeEntity"],
            }
        )
    if project.company:
        # The investor: the one who finances the project (ducha holds no organisation identifier for it).
        parties.append({"id": f"company-{project.pk}", "name": project.company, "roles": ["funder"]})
    return parties


def _classifications(project, ctx: Context) -> list[dict]:
    rows = [
        {"scheme": "ducha-level", "id": project.level, "description": project.get_level_display()},
        {"scheme": "ducha-category", "id": project.category, "description": project.get_category_display()},
    ]
    if project.industry_id:
        path = ctx.industry_paths.get(project.industry_id) or [project.industry.name]
        rows.append(
            {"scheme": "ducha-industry", "id": str(project.industry_id), "description": "/".join(path)}
        )
    return [{k: str(v) for k, v in row.items()} for row in rows]


def _location(project) -> dict | None:
    region = getattr(project.unit, "region", None)
    address = _compact(
        {
            "streetAddress": project.address,
            "locality": project.unit.name,
            "region": region.name if region else None,
            "countryName": "中国",
        }
    )
    location = {"id": "1", "description": project.address or project.name, "address": address}
    if project.longitude is not None and project.latitude is not None:
        # GeoJSON order: longitude, latitude (WGS-84, as stored).
        location["geometry"] = {
            "type": "Point",
            "coordinates": [float(project.longitude), float(project.latitude)],
        }
    elif not project.address:
        return None
    return location


def _nodes_reached_share(milestones, day: date) -> Decimal | None:
    if not milestones:
        return None
    reached = sum(1 for m in milestones if m.actual_date is not None and m.actual_date <= day)
    return Decimal(reached) / Decimal(len(milestones))


class _Writer:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.clock = ctx.clock

    def milestones(self, nodes) -> list[dict]:
        return [
            _compact(
                {
                    "id": str(node.pk),
                    "title": node.name,
                    "type": milestone_type(node.name),
                    "code": milestone_code(node.name),
                    "status": milestone_status(node.planned_date, node.actual_date, self.clock.today),
                    "dueDate": self.clock.end(node.planned_date),
                    "dateMet": node.actual_date and self.clock.end(node.actual_date),
                }
            )
            for node in nodes
        ]

    def budget(self, project, plans) -> dict:
        budget: dict = {"amount": _money(project.total_investment, project.currency)}
        if plans:
            budget["budgetBreakdowns"] = [
                {
                    "id": "annualPlans",
                    "description": "年度计划投资",
                    "budgetBreakdown": [
                        {
                            "id": str(plan.year),
                            "description": f"{plan.year}年计划投资",
                            "amount": _money(plan.planned_investment, project.currency),
                            "period": self.clock.year(plan.year),
                        }
                        for plan in plans
                    ],
                }
            ]
        return budget

    def metrics(self, project, reports, figures, plans, nodes) -> list[dict]:
        """financialProgress: each counted monthly report's investment completed in the year to its month's
        end, and its share of the year's planned investment (the stored period figures where they exist);
        physicalProgress: the share of the project's nodes reached by the month's end, with the stage reported
        and the report's 形象进度."""
        stored = {(f.year, f.month): f for f in figures}
        plan_of = {p.year: p.planned_investment for p in plans}
        financial, physical = [], []
        for report in sorted(reports, key=lambda r: (r.year, r.month)):
            key = f"{report.year}-{report.month:02d}"
            row = stored.get((report.year, report.month))
            completed = (
                row.completed if row is not None and row.completed is not None else report.investment_ytd
            )
            plan = row.plan if row is not None else plan_of.get(report.year)
            ratio = row.ratio if row is not None else (completed / plan if plan else None)
            financial.append(
                _compact(
                    {
                        "id": key,
                        "period": self.clock.month(report.year, report.month, from_january=True),
                        "value": _money(completed, project.currency),
                        "measure": _percent(ratio) if ratio is not None else None,
                        "unit": PERCENT if ratio is not None else None,
                        "notes": f"{report.year}年{_months(report.month)}累计完成投资"
                        + ("；占年度计划投资的比例（完成÷计划）" if ratio is not None else ""),
                    }
                )
            )
            month_end = date(report.year, report.month, calendar.monthrange(report.year, report.month)[1])
            share = _nodes_reached_share(nodes, month_end)
            physical.append(
                _compact(
                    {
                        "id": key,
                        "period": self.clock.month(report.year, report.month),
                        "measure": _percent(share) if share is not None else None,
                        "unit": PERCENT if share is not None else None,
                        "dimensions": {"stage": report.stage},
                        "notes": "；".join(
                            part
                            for part in (
                                "按节点计：已完成节点数÷节点总数" if share is not None else "",
                                report.narrative.strip(),
                            )
                            if part
                        ),
                    }
                )
            )
        return [
            {"id": metric, "title": title, "observations": observations}
            for metric, title, observations in (
                ("financialProgress", "投资完成进度", financial),
                ("physicalProgress", "形象进度", physical),
            )
            if observations
        ]

    def forecasts(self, project, plans, nodes) -> list[dict]:
        """financialProgress: each year's planned investment (the annual plan); physicalProgress: the share of
        the project's nodes due by each node's planned date (the backward schedule)."""
        financial = [
            {
                "id": str(plan.year),
                "period": self.clock.year(plan.year),
                "value": _money(plan.planned_investment, project.currency),
                "notes": f"{plan.year}年计划投资",
            }
            for plan in sorted(plans, key=lambda p: p.year)
        ]
        ordered = sorted(nodes, key=lambda n: (n.planned_date, n.order, n.pk))
        physical = [
            {
                "id": str(node.pk),
                "period": {
                    "startDate": self.clock.start(node.planned_date),
                    "endDate": self.clock.end(node.planned_date),
                },
                "measure": _percent(Decimal(i) / Decimal(len(ordered))),
                "unit": PERCENT,
                "notes": f"计划完成节点“{node.name}”（第{i}个，共{len(ordered)}个）",
            }
            for i, node in enumerate(ordered, start=1)
        ]
        return [
            {"id": metric, "title": title, "observations": observations}
            for metric, title, observations in (
                ("financialProgress", "计划投资", financial),
                ("physicalProgress", "节点计划", physical),
            )
            if observations
        ]

    def project(self, project) -> dict:
        dates = {sd.stage: sd for sd in project.stage_dates.all()}
        started, completed = dates.get(Stage.STARTED), dates.get(Stage.COMPLETED)
        production = dates.get(Stage.PRODUCTION)
        start = started and (started.actual_date or started.planned_date)
        end = (
            project.target_date
            or (production and production.planned_date)
            or (completed and completed.planned_date)
        )
        if start and end and end < start:
            end = None  # a target before the start is a typing slip, not a period
        plans = sorted(project.annual_plans.all(), key=lambda p: p.year)
        nodes = list(project.milestones.all())
        reports = getattr(project, "oc4ids_reports", [])
        figures = getattr(project, "oc4ids_figures", [])
        parties = _parties(project)
        release = {
            "id": f"{self.ctx.prefix}-{project.pk}",
            "updated": project.updated_at.astimezone(self.clock.tz).isoformat(),
            "language": LANGUAGE,
            "identifiers": [{"scheme": NATIONAL_CODE_SCHEME, "id": project.national_code}]
            if project.national_code
            else None,
            "title": project.name,
            "description": project.description.strip(),
            "status": STATUS.get(project.stage, "implementation"),
            "type": project_type(project.name),
            "sector": project_sectors(project.name, project.category),
            "additionalClassifications": _classifications(project, self.ctx),
            "publicAuthority": {"id": parties[0]["id"], "name": parties[0]["name"]},
            "parties": parties,
            "budget": self.budget(project, plans),
            "period": self.clock.period(start, end),
            "implementationPeriod": self.clock.period(
                started and started.actual_date, completed and completed.actual_date
            ),
            "completion": {"endDate": self.clock.end(completed.actual_date)}
            if completed and completed.actual_date
            else None,
            "locations": [loc] if (loc := _location(project)) else None,
            "milestones": self.milestones(nodes),
            "forecasts": self.forecasts(project, plans, nodes),
            "metrics": self.metrics(project, reports, figures, plans, nodes),
        }
        return _compact(release)


def project_release(project, ctx: Context) -> dict:
    """One project as an OC4IDS project."""
    return _Writer(ctx).project(project)


def package_header(*, uri: str, published: str, publisher: str, license: str = DEFAULT_LICENSE) -> dict:
    """The package's fields other than its projects."""
    return {
        "uri": uri,
        "publishedDate": published,
        "version": VERSION,
        "publisher": {"name": publisher},
        "license": license,
    }


def project_package(
    projects: Iterable,
    ctx: Context,
    *,
    uri: str,
    published: str,
    publisher: str,
    license: str = DEFAULT_LICENSE,
    links: Mapping[str, str] | None = None,
) -> dict:
    """The package: `links` (next, prev) when it is one page of a longer list, as OCDS packages paginate."""
    writer = _Writer(ctx)
    package = package_header(uri=uri, published=published, publisher=publisher, license=license)
    package["projects"] = [writer.project(p) for p in projects]  # required, even when empty
    if links:
        package["links"] = dict(links)
    return package
