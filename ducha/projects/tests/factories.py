"""Small builders for ledger rows in tests."""

from decimal import Decimal

from ducha.projects.models import AnnualPlan, ProgressReport, Project


def make_project(unit, name="测试项目", **kw) -> Project:
    defaults = {"total_investment": Decimal(10000), "stage": "started"}
    defaults.update(kw)
    return Project.objects.create(unit=unit, name=name, **defaults)


def make_plan(project, year=2020, amount=1200, **kw) -> AnnualPlan:
    return AnnualPlan.objects.create(project=project, year=year, planned_investment=Decimal(amount), **kw)


def make_report(project, month, ytd, year=2020, month_amount=None, status="reviewed", **kw) -> ProgressReport:
    return ProgressReport.objects.create(
        project=project,
        year=year,
        month=month,
        investment_ytd=Decimal(ytd),
        investment_month=Decimal(month_amount if month_amount is not None else 0),
        stage="started",
        status=status,
        **kw,
    )
