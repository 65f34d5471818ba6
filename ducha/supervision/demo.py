"""Demo supervision: the rounds the Jintan seeds report, and problems in every status.

Rounds, leaders, dates and visited projects come from the newspaper pages; findings and problems are
generated. Projects are matched in Jintan's ledger by name and skipped when absent. The city's round belongs to
常州市, the district's to 金坛区. Idempotent: rounds,
visits and problems are keyed by their natural keys and left alone when they already exist.
"""

import datetime
import importlib
from collections.abc import Callable
from zoneinfo import ZoneInfo

from ducha.accounts.models import User
from ducha.projects.models import ProgressReport, Project
from ducha.regions.demo import CITY, JINTAN, region
from ducha.units.demo import jintan_units

from .choices import OPEN_STATUSES, OrderKind, ProblemAction, ProblemSource, ProblemStatus
from .models import Problem, ProblemCategory, ProblemStep, RoundVisit, SupervisionOrder, SupervisionRound
from .rules import next_order_seq, order_number
from .selectors import supervision_settings

TZ = ZoneInfo("Asia/Shanghai")
CAMPAIGN = "两个加快全面决战年"

# (title, level, campaign, ordinal, date, start, leaders, notes, [project name fragments in visiting order])
ROUNDS = [
    (
        "2019年度常州市重点项目督查推进会",
        "city",
        "",
        None,
        datetime.date(2019, 12, 18),
        datetime.time(8, 30),
        "汪泉（常州市委书记）",
        "市领导带领各辖区、各部门主要负责人督查我区6个省级重大项目。",
        ["蜂巢能源", "北电爱思特", "SK新能源", "信维通信", "东方日升", "胜伟策"],
    ),
    (
        "",
        "district",
        CAMPAIGN,
        1,
        datetime.date(2020, 4, 18),
        datetime.time(14, 0),
        "狄志强、沈东、王跃中、陈锁龙、刘国新",
        "8个产业项目和区第一污水处理厂移址新建项目；会上颁发1—3月份绩效评价红、蓝、黄旗。",
        ["飞荣达", "第一污水处理厂"],
    ),
    (
        "",
        "district",
        CAMPAIGN,
        4,
        datetime.date(2020, 12, 31),
        datetime.time(8, 30),
        "狄志强、陆秋明",
        "共督查9个项目（报道未载明日期，按“岁末年初”记为年末）。",
        ["SK新能源", "当升", "凯明", "胜伟策", "常宝", "泰力松", "一鸣"],
    ),
]

FINDINGS = [
    "一期已投产，二期主体施工中，计划按倒排工期节点推进。",
    "设备陆续进场安装，企业反映配套电力增容需加快。",
    "厂房主体结顶，正在进行内部装修和设备基础施工。",
    "项目现场施工人员约300人，用工缺口仍较大。",
]

# (category, lead department, co-department, text, days to deadline)
PROBLEMS = [
    ("土地", "区自然资源和规划局", "区住房和城乡建设局", "二期用地指标尚未落实，影响整体开工", 30),
    ("审批", "区行政审批局", "区住房和城乡建设局", "施工许可手续尚在办理，需压缩审批时限", 15),
    ("能耗", "区发展和改革局", "", "新增用能指标需向上争取", 45),
    ("用工", "区人力资源和社会保障局", "", "投产前一线工人招聘缺口约200人", 30),
    ("环评", "区生态环境局", "", "环评批复待市局审批", 20),
    ("资金", "区财政局", "区发展和改革局", "配套基础设施资金需提前拨付", 30),
    ("拆迁", "区住房和城乡建设局", "区自然资源和规划局", "厂区北侧两户民房拆迁尚未完成", 40),
    ("其他", "区住房和城乡建设局", "", "供电、供水配套管网需与厂区同步建设", 25),
]

# Each problem ends in one of these step sequences (overdue is simply an open problem past its deadline).
HISTORIES = [
    [],  # pending
    [ProblemAction.ACCEPT],
    [ProblemAction.ANSWER],
    [ProblemAction.ANSWER, ProblemAction.RESOLVE],
    [ProblemAction.ANSWER, ProblemAction.RESOLVE, ProblemAction.VERIFY],
    [ProblemAction.RESOLVE, ProblemAction.REOPEN, ProblemAction.ANSWER],
    [ProblemAction.ACCEPT, ProblemAction.ANSWER, ProblemAction.RESOLVE, ProblemAction.VERIFY],
]
AFTER = {
    ProblemAction.ACCEPT: ProblemStatus.IN_PROGRESS,
    ProblemAction.ANSWER: ProblemStatus.IN_PROGRESS,
    ProblemAction.RESOLVE: ProblemStatus.RESOLVED,
    ProblemAction.VERIFY: ProblemStatus.VERIFIED,
    ProblemAction.REOPEN: ProblemStatus.IN_PROGRESS,
}
COMMENTS = {
    ProblemAction.ACCEPT: "已签收，正在对接企业。",
    ProblemAction.ANSWER: "已召开协调会，明确责任人和完成时限。",
    ProblemAction.RESOLVE: "问题已解决，相关批复和照片已上传。",
    ProblemAction.VERIFY: "经现场核实，同意销号。",
    ProblemAction.REOPEN: "核实发现尚未完全解决，退回继续办理。",
}


def _project(fragment: str) -> Project | None:
    return Project.objects.filter(unit__in=jintan_units(), name__contains=fragment).order_by("pk").first()


def load(*, password: str, log: Callable[[str], None] = print) -> None:
    office = User.objects.filter(username="office").first()
    departments = {u.name: u for u in jintan_units().departments()}
    owners = {"city": region(CITY), "district": region(JINTAN)}  # the office that runs a round of each level
    # The district's default categories come with a migration; a database emptied since (a test's flush) lacks them.
    defaults = importlib.import_module("ducha.supervision.migrations.0002_default_problem_categories")
    for order, name in enumerate(defaults.DEFAULT_CATEGORIES, start=1):
        ProblemCategory.objects.get_or_create(name=name, defaults={"order": order})
    categories = {c.name: c for c in ProblemCategory.objects.all()}
    staff = {u.unit_id: u for u in User.objects.filter(role="department").order_by("pk")}
    n_rounds = n_problems = 0
    seq = 0
    for title, level, campaign, ordinal, date, start, leaders, notes, fragments in ROUNDS:
        if not title:
            title = f"{date.year}年“{campaign}”第{'一二三四五六七八九'[ordinal - 1]}次集中现场督查"
        rnd, _created = SupervisionRound.objects.update_or_create(
            date=date,
            title=title,
            defaults={
                "level": level,
                "campaign": campaign,
                "year": 2020 if campaign else date.year,
                "ordinal": ordinal,
                "start_time": start,
                "leaders": leaders,
                "notes": notes,
                "created_by": office,
                "region": owners[level],
            },
        )
        n_rounds += 1
        order = 0
        for fragment in fragments:
            project = _project(fragment)
            if project is None:
                log(f"  supervision: no ledger project matching {fragment!r}, skipped")
                continue
            order += 1
            RoundVisit.objects.update_or_create(
                round=rnd,
                project=project,
                defaults={
                    "order": order,
                    "findings": FINDINGS[order % len(FINDINGS)],
                    "arrival_time": (
                        datetime.datetime.combine(date, start) + datetime.timedelta(minutes=40 * (order - 1))
                    ).time(),
                },
            )
            for k in range(1 + order % 2):
                category, lead, co, text, days = PROBLEMS[(seq + k) % len(PROBLEMS)]
                if lead not in departments:
                    continue
                n_problems += _problem(
                    project=project,
                    rnd=rnd,
                    report=None,
                    raised_on=date,
                    category=categories.get(category),
                    lead=departments[lead],
                    co=departments.get(co),
                    text=text,
                    days=days,
                    history=HISTORIES[(seq + k) % len(HISTORIES)],
                    office=office,
                    staff=staff,
                )
            seq += 2
    # Problems the units wrote into their monthly reports: the office turns some of them into 督办事项.
    reports = (
        ProgressReport.objects.exclude(problems="")
        .filter(year=2020, project__unit__in=jintan_units())
        .select_related("project")
        .order_by("pk")[:24]
    )
    for i, report in enumerate(reports):
        category, lead, co, _text, days = PROBLEMS[i % len(PROBLEMS)]
        if lead not in departments:
            continue
        raised_on = datetime.date(report.year, report.month, 1) + datetime.timedelta(days=40)
        n_problems += _problem(
            project=report.project,
            rnd=None,
            report=report,
            raised_on=raised_on,
            category=categories.get(category),
            lead=departments[lead],
            co=departments.get(co),
            text=report.problems[:500],
            days=days,
            history=HISTORIES[(i + 3) % len(HISTORIES)],
            office=office,
            staff=staff,
        )
    n_orders = _orders(office)
    log(f"  supervision: {n_rounds} rounds, {n_problems} new problems, {n_orders} new formal orders")


ORDER_KINDS = [OrderKind.REMINDER, OrderKind.ORDER, OrderKind.LETTER]
KIND_NAMES = {OrderKind.REMINDER: "提示单", OrderKind.ORDER: "督办单", OrderKind.LETTER: "督办函"}
ORDER_TEXT = {
    OrderKind.REMINDER: "该问题临近办理期限，请抓紧推进并于反馈时限前报送办理进展。",
    OrderKind.ORDER: "该问题已超过办理期限，请责任单位主要负责同志牵头协调，限期办结并书面反馈。",
    OrderKind.LETTER: "该问题久拖未决，影响项目建设进度，请高度重视，逐项明确责任人和完成时间，按期报送办理结果。",
}


def _orders(office) -> int:
    """Formal orders on the first open problems raised at rounds, a few days after their deadline."""
    conf = supervision_settings()
    problems = (
        Problem.objects.filter(status__in=OPEN_STATUSES, round__isnull=False)
        .prefetch_related("orders")
        .order_by("raised_on", "pk")[:6]
    )
    created = 0
    for i, problem in enumerate(problems):
        if problem.orders.all():
            continue  # already issued by an earlier run
        kind = ORDER_KINDS[i % len(ORDER_KINDS)]
        issued_on = problem.deadline + datetime.timedelta(days=3)
        used = SupervisionOrder.objects.filter(kind=kind, year=issued_on.year).values_list("seq", flat=True)
        seq = next_order_seq(used)
        SupervisionOrder.objects.create(
            problem=problem,
            kind=kind,
            year=issued_on.year,
            seq=seq,
            number=order_number(prefix=conf.prefix_for(kind), year=issued_on.year, seq=seq),
            text=ORDER_TEXT[kind],
            issued_on=issued_on,
            due_on=issued_on + datetime.timedelta(days=10),
            issued_by=office,
            office_name=conf.office_name,
        )
        ProblemStep.objects.create(
            problem=problem,
            action=ProblemAction.ORDER,
            from_status=problem.status,
            to_status=problem.status,
            user=office,
            comment=f"{KIND_NAMES[kind]} {order_number(prefix=conf.prefix_for(kind), year=issued_on.year, seq=seq)}",
            at=datetime.datetime.combine(issued_on, datetime.time(9, 0), tzinfo=TZ),
        )
        created += 1
    return created


def _problem(
    *, project, rnd, report, raised_on, category, lead, co, text, days, history, office, staff
) -> int:
    if category is None:
        return 0
    deadline = raised_on + datetime.timedelta(days=days)
    problem, created = Problem.objects.get_or_create(
        project=project,
        round=rnd,
        report=report,
        description=text,
        defaults={
            "source": ProblemSource.ROUND if rnd else ProblemSource.REPORT,
            "category": category,
            "lead_department": lead,
            "responsible_leader": project.responsible_leader,
            "raised_on": raised_on,
            "deadline": deadline,
            "raised_by": office,
        },
    )
    if not created:
        return 0
    if co and co != lead:
        problem.co_departments.add(co)
    at = datetime.datetime.combine(raised_on, datetime.time(17, 0), tzinfo=TZ)
    steps = [
        ProblemStep(
            problem=problem, action=ProblemAction.RAISE, to_status=ProblemStatus.PENDING, user=office, at=at
        )
    ]
    status = ProblemStatus.PENDING
    responder = staff.get(lead.pk)
    for n, action in enumerate(history, start=1):
        at = at + datetime.timedelta(days=days * n // (len(history) + 1) or 1)
        by_office = action in (ProblemAction.VERIFY, ProblemAction.REOPEN)
        user = office if by_office else responder
        steps.append(
            ProblemStep(
                problem=problem,
                action=action,
                from_status=status,
                to_status=AFTER[action],
                user=user,
                unit=None if by_office else lead,
                comment=COMMENTS[action],
                at=at,
            )
        )
        status = AFTER[action]
        if action == ProblemAction.RESOLVE:
            problem.resolved_on = at.astimezone(TZ).date()
        elif action == ProblemAction.REOPEN:
            problem.resolved_on = None
        elif action == ProblemAction.VERIFY:
            problem.verified_by, problem.verified_at = office, at
    problem.status = status
    problem.save()
    ProblemStep.objects.bulk_create(steps)
    return 1
