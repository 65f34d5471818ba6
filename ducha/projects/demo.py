"""The Jintan project ledger: the seeds' real projects, then generated ones up to about 150,
with 2020 annual plans and monthly progress (January–November) that give a realistic mix of lights.

Everything is drawn from a fixed random seed and written by natural keys, so loading twice
leaves the same state. The other districts of the demo city (demo_city.py) use the same generator
with their own units, seed and names.
"""

import hashlib
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ducha.lib.periods import Period
from ducha.lib.schedule import schedule_ratio_for_month
from ducha.units.demo import jintan_units, seed_data
from ducha.units.models import Unit

from .choices import ReportStatus, Stage
from .demo_places import demo_location
from .models import (
    AnnualPlan,
    Capacity,
    Industry,
    MilestoneTemplate,
    MilestoneTemplateStep,
    Phase,
    ProgressReport,
    Project,
    StageDate,
)
from .rules import stored_point
from .services import milestones_lay_out, projects_refresh_lights

YEAR, LAST_MONTH = 2020, 11
TARGET_COUNT = 150

MILESTONE_TEMPLATE = [
    ("土地摘牌", 720),
    ("施工许可", 630),
    ("开工", 600),
    ("主体结顶", 400),
    ("设备安装", 240),
    ("竣工", 90),
    ("投产", 0),
]

# Generated projects: (industry, chain position, segment, product phrase, capacity unit).
GENERATED_KINDS = [
    ("动力电池", "midstream", "动力电池电芯", "年产{n}GWh动力电池", "GWh"),
    ("动力电池", "midstream", "电池PACK", "动力电池PACK", "万套"),
    ("电池材料", "upstream", "正极材料", "年产{n}万吨正极材料", "万吨"),
    ("电池材料", "upstream", "电解液", "年产{n}万吨电解液", "万吨"),
    ("电池材料", "upstream", "负极材料", "锂电负极材料", "万吨"),
    ("锂电装备", "upstream", "锂电装备", "锂电智能装备", "台"),
    ("汽车电子及智能网联", "downstream", "车载电子", "智能车载电子", "万套"),
    ("充电设施", "downstream", "充电桩", "智能充电桩", "万台"),
    ("电子元器件及材料", "midstream", "射频器件", "5G射频器件", "亿只"),
    ("光伏新能源", "midstream", "光伏组件", "高效光伏组件", "GW"),
    ("新型储能", "downstream", "储能系统", "储能系统集成", "MWh"),
    ("生物技术和新医药", "", "", "生物医药研发生产基地", ""),
    ("智能制造装备", "", "", "高端数控装备", "台"),
    ("新材料", "", "", "高性能复合材料", "万吨"),
    ("现代服务业", "", "", "现代物流园", ""),
]
LIVELIHOOD = [
    ("民生事业", "livelihood", "区人民医院新院区"),
    ("民生事业", "livelihood", "城南实验学校新建"),
    ("民生事业", "livelihood", "老旧小区改造"),
    ("民生事业", "livelihood", "养老服务中心"),
    ("基础设施", "government", "城市快速路改造"),
    ("基础设施", "government", "污水管网提标改造"),
    ("基础设施", "government", "长荡湖生态修复"),
    ("基础设施", "government", "农村公路提档升级"),
]
COMPANY_STEMS = [
    "锂源",
    "华储",
    "恒能",
    "金研",
    "中科锐",
    "宏泰",
    "博远",
    "瑞丰",
    "力拓",
    "新宙",
    "众诚",
    "天衡",
    "汇川源",
    "佳能达",
    "正泰新",
    "海川",
    "晶特",
    "云帆",
    "长荡",
    "茅峰",
    "北辰",
    "聚力",
    "钧达",
    "星辉",
    "凯德",
    "盛世华",
    "东晟",
    "科维",
]


@dataclass(frozen=True)
class Style:
    """What makes a district's generated projects its own: the random seed and the names drawn from."""

    seed: int
    stems: list[str]
    livelihood: list[tuple[str, str, str]]
    leaders: list[str]
    company_city: str = "常州"


JINTAN_STYLE = Style(
    seed=2020,
    stems=COMPANY_STEMS,
    livelihood=LIVELIHOOD,
    leaders=["沈东", "刘国新", "俞金红", "王跃中", "陈锁龙"],
)


def _stable_rng(key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:12], 16))


def _industries(data) -> dict[str, Industry]:
    by_name: dict[str, Industry] = {}
    for order, row in enumerate(data["industries"], start=1):
        parent = by_name.get(row.get("parent") or "")
        by_name[row["name"]], _ = Industry.objects.update_or_create(
            name=row["name"], defaults={"parent": parent, "order": order}
        )
    return by_name


def _unit_by_name() -> dict[str, Unit]:
    return {u.name: u for u in jintan_units()}


def _location(name: str, unit: Unit) -> dict:
    """A plausible point inside the project's town or park, and its address (demo_places)."""
    lon, lat, address = demo_location(name, unit)
    longitude, latitude = stored_point(lon, lat)
    return {"longitude": longitude, "latitude": latitude, "address": address}


def _seed_projects(data, units, industries, departments) -> list[tuple[Project, dict]]:
    out = []
    for row in data["projects"]:
        rng = _stable_rng(row["name"])
        investment = row.get("total_investment_wan") or rng.choice(
            [50000, 80000, 120000, 150000, 200000, 300000]
        )
        project, _ = Project.objects.update_or_create(
            unit=units[row["unit"]],
            name=row["name"],
            defaults={
                "company": row.get("company", ""),
                "industry": industries.get(row.get("industry")),
                "chain_position": row.get("chain_position", ""),
                "chain_segment": row.get("chain_segment", ""),
                "category": row.get("category", "industrial"),
                "level": row.get("level", "district"),
                "foreign_funded": row.get("foreign_funded", False),
                "construction_type": row.get("construction_type", "new"),
                "total_investment": Decimal(investment),
                "currency": row.get("currency", "CNY"),
                "annual_revenue": Decimal(row["annual_revenue_wan"])
                if row.get("annual_revenue_wan")
                else None,
                "stage": row.get("stage", "started"),
                "description": row.get("description", ""),
                "responsible_department": rng.choice(departments),
                "responsible_leader": rng.choice(["狄志强", "沈东", "刘国新", "俞金红", "王跃中"]),
                **_location(row["name"], units[row["unit"]]),
            },
        )
        Phase.objects.filter(project=project).delete()
        for order, phase in enumerate(row.get("phases", [])):
            Phase.objects.create(
                project=project,
                name=phase["name"],
                order=order,
                capacity_note=phase.get("capacity_note", ""),
                investment=Decimal(phase["investment_wan"]) if phase.get("investment_wan") else None,
            )
        Capacity.objects.filter(project=project).delete()
        for cap in row.get("capacities", []):
            Capacity.objects.create(
                project=project,
                quantity=Decimal(str(cap["quantity"])),
                unit=cap["unit"],
                product=cap["product"],
            )
        out.append((project, row))
    return out


def generated_projects(
    count, units, industries, departments, style: Style = JINTAN_STYLE
) -> list[tuple[Project, dict]]:
    """`count` generated projects in the areas of `units` (name → unit, in the units' order), drawn from
    `style`'s seed: the same arguments give the same projects, field for field."""
    rng = random.Random(style.seed)
    areas = [u for u in units.values() if u.kind not in ("department", "county")]  # towns, streets, parks
    parks = [u for u in areas if u.kind == "park"]
    out = []
    for i in range(count):
        if i % 6 == 5:
            industry_name, category, phrase = style.livelihood[i % len(style.livelihood)]
            unit = rng.choice(areas)
            name = f"{unit.short_name or unit.name}{phrase}项目"
            # Only these units' projects: another district's project never renames this one.
            if Project.objects.filter(name=name, unit__in=list(units.values())).exclude(unit=unit).exists():
                name = f"{unit.short_name or unit.name}{phrase}（{i}）项目"
            company, position, segment, capacity = "", "", "", None
        else:
            industry_name, position, segment, phrase, cap_unit = GENERATED_KINDS[i % len(GENERATED_KINDS)]
            n = rng.choice([2, 3, 5, 6, 8, 10, 12, 20])
            stem = style.stems[i % len(style.stems)]
            company = f"{style.company_city}{stem}{['科技', '新能源', '新材料', '智能'][i % 4]}有限公司"
            name = f"{stem}{phrase.format(n=n)}项目"
            unit = rng.choice(parks if rng.random() < 0.7 else areas)
            category = "technology" if i % 11 == 0 else "industrial"
            capacity = (n, cap_unit, segment or phrase) if cap_unit else None
        total = Decimal(rng.choice([8000, 12000, 20000, 30000, 50000, 80000, 100000, 150000, 250000]))
        project, _ = Project.objects.update_or_create(
            unit=unit,
            name=name,
            defaults={
                "company": company,
                "industry": industries.get(industry_name),
                "chain_position": position,
                "chain_segment": segment,
                "category": category,
                "level": rng.choices(["provincial", "city", "district"], weights=[1, 3, 8])[0],
                "foreign_funded": rng.random() < 0.12,
                "construction_type": rng.choice(["new", "new", "continuing"]),
                "total_investment": total,
                "currency": "CNY",
                "annual_revenue": total * Decimal(rng.choice([1, 1.5, 2]))
                if category == "industrial"
                else None,
                "responsible_department": rng.choice(departments),
                "responsible_leader": rng.choice(style.leaders),
                **_location(name, unit),
            },
        )
        Capacity.objects.filter(project=project).delete()
        if capacity:
            qty, cap_unit, product = capacity
            multiplier = 10000 if cap_unit.startswith("万") else 1
            Capacity.objects.create(
                project=project,
                quantity=Decimal(qty * multiplier),
                unit=cap_unit.removeprefix("万") or cap_unit,
                product=product,
            )
        out.append((project, {"stage": None}))
    return out


# Profiles: how a project's cumulative completion runs against 序时 through the year.
PROFILES = [
    ("ahead", 55),
    ("slightly_behind", 15),
    ("yellow", 14),
    ("red", 9),
    ("late_start", 4),
    ("unstatisticised", 3),
]


def progress_write(projects: list[tuple[Project, dict]]) -> None:
    """The 2020 plan, stage dates and January–November reports of each (project, seed row)."""
    for project, row in projects:
        _progress(project, row.get("stage"))


def _progress(project: Project, stage_hint: str | None) -> None:
    rng = _stable_rng(f"progress:{project.name}")
    profile = rng.choices([p for p, _ in PROFILES], weights=[w for _, w in PROFILES])[0]
    plan_amount = (project.total_investment * Decimal(rng.uniform(0.15, 0.45))).quantize(Decimal("100"))
    plan_amount = max(plan_amount, Decimal(1000))
    started = date(
        2019 if project.construction_type == "continuing" else 2020, rng.randint(1, 6), rng.randint(1, 28)
    )
    in_statistics = True
    planned_start = None
    if profile == "late_start":
        planned_start = date(YEAR, rng.choice([7, 8, 9, 10]), 1)
        started = None
        in_statistics = False  # not started: not in the statistics yet (and no 入统日期 to give)
    elif profile == "unstatisticised":
        started = date(YEAR, rng.choice([9, 10]), rng.randint(1, 28))
        in_statistics = False
    stage = stage_hint or (
        Stage.SIGNED if started is None else rng.choice([Stage.STARTED] * 4 + [Stage.COMPLETED])
    )
    if stage_hint in (Stage.PRODUCTION, Stage.FULL_PRODUCTION, Stage.COMPLETED) and profile in (
        "late_start",
        "unstatisticised",
    ):
        profile, started, planned_start, in_statistics = "ahead", date(2019, 3, 1), None, True
    project.stage = stage
    project.in_statistics = in_statistics
    project.statistics_date = (
        date(started.year, min(started.month + 1, 12), 1) if started and in_statistics else None
    )
    project.save(update_fields=["stage", "in_statistics", "statistics_date", "updated_at"])

    AnnualPlan.objects.update_or_create(
        project=project,
        year=YEAR,
        defaults={"planned_investment": plan_amount, "planned_start": planned_start},
    )
    StageDate.objects.update_or_create(
        project=project,
        stage=Stage.SIGNED,
        defaults={
            "actual_date": date(2019, rng.randint(1, 12), rng.randint(1, 28))
            if started is None or started.year == 2020
            else date(started.year - 1, 10, 1),
            "planned_date": None,
        },
    )
    if started or planned_start:
        StageDate.objects.update_or_create(
            project=project,
            stage=Stage.STARTED,
            defaults={"planned_date": planned_start or started, "actual_date": started},
        )
    else:
        StageDate.objects.filter(project=project, stage=Stage.STARTED).delete()
    if stage in (Stage.COMPLETED, Stage.PRODUCTION, Stage.FULL_PRODUCTION) and started:
        # Completed at least three months after the start, and before the reporting month.
        earliest, latest = started + timedelta(days=90), date(YEAR, 10, 31)
        completed = earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))
        StageDate.objects.update_or_create(
            project=project,
            stage=Stage.COMPLETED,
            defaults={"planned_date": None, "actual_date": min(completed, latest)},
        )

    reports, previous = [], Decimal(0)
    for month in range(1, LAST_MONTH + 1):
        schedule = schedule_ratio_for_month(month)
        if profile == "ahead":
            ratio = schedule * Decimal(rng.uniform(1.0, 1.2))
        elif profile == "slightly_behind":
            ratio = schedule - Decimal(rng.uniform(0.0, 0.08))
        elif profile == "yellow":
            ratio = schedule - Decimal(rng.uniform(0.12, 0.26)) * Decimal(month) / LAST_MONTH
        elif profile == "red":
            ratio = schedule * Decimal(rng.uniform(0.3, 0.45))
        elif profile == "late_start":
            ratio = Decimal(0)
        else:
            ratio = Decimal(0) if month < started.month else schedule
        ytd = max(previous, (plan_amount * min(ratio, Decimal(1))).quantize(Decimal("10")))
        if started is None and profile != "late_start":
            ytd = previous
        reports.append(
            ProgressReport(
                project=project,
                year=YEAR,
                month=month,
                investment_month=ytd - previous,
                investment_ytd=ytd,
                stage=stage,
                narrative=_narrative(rng, profile, month),
                problems="用地指标尚未落实" if profile == "red" and month == LAST_MONTH else "",
                status=ReportStatus.SUBMITTED if month == LAST_MONTH else ReportStatus.REVIEWED,
            )
        )
        previous = ytd
    ProgressReport.objects.bulk_create(
        reports,
        update_conflicts=True,
        unique_fields=["project", "year", "month"],
        update_fields=["investment_month", "investment_ytd", "stage", "narrative", "problems", "status"],
    )


def _narrative(rng, profile, month) -> str:
    if profile == "late_start":
        return "前期手续办理中，尚未开工。"
    if profile == "red":
        return rng.choice(["受用地报批影响，主体施工进度滞后。", "资金到位不足，设备采购延后。"])
    return rng.choice(
        [
            "主体结构施工中。",
            "厂房钢结构吊装。",
            "设备安装调试中。",
            "内部装修及配套工程推进中。",
            "部分产线试生产。",
        ]
    )


def load(*, password: str, log) -> None:
    data = seed_data()
    units = _unit_by_name()
    industries = _industries(data)
    departments = list(jintan_units().departments())
    template, _ = MilestoneTemplate.objects.update_or_create(
        name="产业项目倒排工期", defaults={"is_default": True}
    )
    for order, (name, days) in enumerate(MILESTONE_TEMPLATE):
        MilestoneTemplateStep.objects.update_or_create(
            template=template, order=order, defaults={"name": name, "days_before_target": days}
        )
    projects = _seed_projects(data, units, industries, departments)
    projects += generated_projects(TARGET_COUNT - len(projects), units, industries, departments)
    progress_write(projects)
    # Nodes laid out backwards for the started seed projects with a 2021 target. Nodes due by the end of
    # the reporting month were reached a few days late, except on the first one, whose latest node is overdue.
    period_end = date(YEAR, LAST_MONTH, 30)
    laid_out = [project for project, _row in projects[:12] if project.stage == Stage.STARTED]
    for index, project in enumerate(laid_out):
        nodes = milestones_lay_out(project=project, template=template, target=date(2021, 6, 30))
        due = [node for node in nodes if node.planned_date <= period_end]
        for node in due[:-1] if index == 0 else due:
            node.actual_date = node.planned_date + timedelta(
                days=_stable_rng(node.name + project.name).randint(0, 20)
            )
            node.save(update_fields=["actual_date"])
    changed = projects_refresh_lights(period=Period(YEAR, LAST_MONTH))
    log(f"projects: {len(projects)} ({changed} lights changed)")
