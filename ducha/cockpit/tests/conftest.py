"""A small district for the cockpit's tests: projects in two parks and a town, with 2020 plans and reports,
problems, an indicator and a published evaluation."""

import datetime
from decimal import Decimal

import pytest

from ducha.evaluation.models import Evaluation, EvaluationResult, Scheme
from ducha.indicators.models import Indicator, IndicatorValue
from ducha.projects.models import AnnualPlan, Industry, ProgressReport, Project, StageDate
from ducha.projects.rollups import figures_refresh
from ducha.supervision.models import Problem, ProblemCategory

YEAR, MONTH = 2020, 11


@pytest.fixture
def industries(db):
    root = Industry.objects.create(name="三新一特", order=1)
    car = Industry.objects.create(name="新能源汽车", parent=root, order=2)
    battery = Industry.objects.create(name="动力电池", parent=car, order=3)
    material = Industry.objects.create(name="电池材料", parent=car, order=4)
    mobile = Industry.objects.create(name="新一代移动通信", parent=root, order=5)
    Industry.objects.create(name="电子元器件及材料", parent=mobile, order=6)
    livelihood = Industry.objects.create(name="民生事业", order=7)
    return {"car": car, "battery": battery, "material": material, "livelihood": livelihood}


def make_project(
    name,
    unit,
    *,
    industry=None,
    position="",
    segment="",
    stage="started",
    light="green",
    total=100000,
    plan=10000,
    done=None,
    months=MONTH,
    department=None,
    currency="CNY",
    planned_start=None,
    started_on=None,
):
    project = Project.objects.create(
        name=name,
        unit=unit,
        industry=industry,
        chain_position=position,
        chain_segment=segment,
        stage=stage,
        light=light,
        total_investment=total,
        currency=currency,
        responsible_department=department,
        light_reasons=[{"rule": "behind_schedule", "colour": "red", "params": {"points": "40.0"}}]
        if light == "red"
        else [],
    )
    AnnualPlan.objects.create(
        project=project, year=YEAR, planned_investment=plan, planned_start=planned_start
    )
    if started_on or planned_start:
        StageDate.objects.create(
            project=project, stage="started", planned_date=planned_start, actual_date=started_on
        )
    done = Decimal(plan) * months / 12 if done is None else Decimal(done)
    per_month = (done / months).quantize(Decimal("0.01"))
    ProgressReport.objects.bulk_create(
        ProgressReport(
            project=project,
            year=YEAR,
            month=m,
            investment_month=per_month,
            investment_ytd=per_month * m,
            stage=stage,
            status="reviewed",
        )
        for m in range(1, months + 1)
    )
    figures_refresh(projects=[project])  # the bulk insert sends no signals
    return project


@pytest.fixture
def world(units, industries):
    park, other, town, dept = units["park"], units["other_park"], units["town"], units["department"]
    projects = {
        "cell": make_project(
            "蜂巢能源动力电池项目",
            park,
            industry=industries["battery"],
            position="midstream",
            segment="动力电池电芯",
            total=800000,
            plan=120000,
            department=dept,
        ),
        "cathode": make_project(
            "贝特瑞正极材料项目",
            park,
            industry=industries["material"],
            position="upstream",
            segment="正极材料",
            light="red",
            plan=40000,
            done=5000,
            stage="signed",
            planned_start=datetime.date(2020, 5, 1),
        ),
        "sk": make_project(
            "SK新能源汽车电池隔膜项目",
            other,
            industry=industries["material"],
            position="upstream",
            segment="电池隔膜",
            total=161000,
            currency="USD",
            plan=20000,
            stage="completed",
            planned_start=datetime.date(2020, 2, 1),
            started_on=datetime.date(2020, 3, 1),
        ),
        "school": make_project(
            "城南实验学校新建项目",
            town,
            industry=industries["livelihood"],
            light="yellow",
            plan=8000,
            done=3000,
            stage="production",
        ),
    }
    land = ProblemCategory.objects.get_or_create(name="土地")[0]
    Problem.objects.create(
        project=projects["cell"],
        category=land,
        description="二期用地指标尚未落实",
        lead_department=dept,
        raised_on=datetime.date(YEAR, 4, 1),
        deadline=datetime.date(YEAR, 10, 1),
        status="pending",
    )
    Problem.objects.create(
        project=projects["sk"],
        category=land,
        description="环评批复待办理",
        lead_department=units["other_department"],
        raised_on=datetime.date(YEAR, 4, 1),
        deadline=datetime.date(YEAR, 10, 9),
        status="in_progress",
    )
    Problem.objects.create(
        project=projects["school"],
        category=land,
        description="施工许可已办结",
        lead_department=dept,
        raised_on=datetime.date(YEAR, 3, 1),
        deadline=datetime.date(YEAR, 4, 1),
        status="resolved",
        resolved_on=datetime.date(YEAR, 3, 20),
    )
    sales = Indicator.objects.create(code="sales", name="工业开票销售收入", measure="yuan", order=1)
    IndicatorValue.objects.create(
        indicator=sales, unit=None, year=YEAR, month=MONTH, value=Decimal("142520000000")
    )
    IndicatorValue.objects.create(
        indicator=sales, unit=None, year=YEAR - 1, month=MONTH, value=Decimal("130000000000")
    )
    scheme = Scheme.objects.create(year=YEAR, name="2020年度板块综合考评")
    evaluation = Evaluation.objects.create(scheme=scheme, month=MONTH, status="published")
    for place, (unit, flag) in enumerate([(park, "red"), (other, "yellow")], start=1):
        EvaluationResult.objects.create(
            evaluation=evaluation,
            unit=unit,
            peer_group=unit.peer_group,
            total=Decimal(90 - place),
            place=place,
            group_size=2,
            flag=flag,
        )
    return projects
