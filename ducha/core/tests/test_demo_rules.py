"""The demo obeys every rule the forms and services enforce: each demo object, put through the form a person
would type it into (or the rule the service applies), is accepted as it is stored.

A demo that breaks the app's own rules shows people states they could never reach, and its exported ledger is
refused when it comes back (issue 16: 纳统 without a date)."""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from ducha.accounts.models import User
from ducha.cli import DEMO_TODAY
from ducha.indicators import rules as indicator_rules
from ducha.indicators.models import IndicatorValue
from ducha.projects import services as project_services
from ducha.projects.forms import FORM_STAGES, AnnualPlanForm, CapacityForm, PhaseForm, ProjectForm
from ducha.projects.models import AnnualPlan, Capacity, Milestone, Phase, ProgressReport, Project
from ducha.projects.rules import reached_date_problem, stage_date_problems
from ducha.supervision.forms import ProblemForm
from ducha.supervision.models import Problem

TODAY = date.fromisoformat(DEMO_TODAY)
APPS = {"units", "accounts", "projects", "supervision", "indicators", "evaluation", "cockpit", "extraction"}
# Figures the app computes and stores itself (ducha.projects.rollups); nobody types them into a form.
COMPUTED = {"projects.PeriodFigures", "projects.UnitPeriodFigures"}


@pytest.fixture(scope="module")
def demo(demo_loaded):
    """The demo as `ducha demo --load-only` loads it, on its business date, rolled back afterwards."""


@pytest.fixture
def office(demo):
    return User.objects.get(username="office")


@pytest.fixture
def office_of(demo):
    """office_of(unit): the district office whose forms list the unit (Jintan's, 武进's or 溧阳's)."""
    from ducha.accounts.access import units_visible_to

    offices = [User.objects.get(username=name) for name in ("office", "wujin_office", "liyang_office")]
    visible = {office.pk: set(units_visible_to(office).values_list("pk", flat=True)) for office in offices}
    return lambda unit: next(office for office in offices if unit.pk in visible[office.pk])


def _form_data(form_class, instance, **extra) -> dict:
    """What a person would post to put `instance` back as it is: its fields as the form's widgets send them."""
    data = {}
    for name, value in model_to_dict(instance, fields=form_class._meta.fields).items():
        if value is None or value is False:
            continue  # an empty field, an unticked box: not sent
        data[name] = [v.pk if hasattr(v, "pk") else v for v in value] if isinstance(value, list) else value
    return {**data, **extra}


def _errors(form) -> dict:
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


@pytest.mark.django_db
def test_every_demo_object_passes_its_models_validation(demo):
    refused = []
    for model in apps.get_models():
        if model._meta.app_label not in APPS or model._meta.label in COMPUTED:
            continue
        for obj in model.objects.all().iterator():
            try:
                obj.full_clean(
                    validate_unique=False, validate_constraints=False
                )  # the database enforces these
            except ValidationError as exc:
                refused.append((model._meta.label, obj.pk, exc.message_dict))
    assert refused == []


@pytest.mark.django_db
def test_every_demo_project_passes_the_project_form_with_its_stage_dates_and_plan(office_of):
    refused = []
    projects = Project.objects.select_related("unit").prefetch_related("stage_dates", "annual_plans")
    for project in projects:
        data = _form_data(ProjectForm, project, plan_year=2020, version=project.version)
        for stage_date in project.stage_dates.all():
            if stage_date.stage in FORM_STAGES:
                for kind, value in (("planned", stage_date.planned_date), ("actual", stage_date.actual_date)):
                    if value:
                        data[f"{stage_date.stage}_{kind}"] = value
        plan = next((p for p in project.annual_plans.all() if p.year == 2020), None)
        if plan:
            data["planned_investment"] = plan.planned_investment
        form = ProjectForm(data, instance=project, user=office_of(project.unit), plan_year=2020)
        if not form.is_valid():
            refused.append((project.name, _errors(form)))
    assert refused == []
    assert len(projects) > 200  # Jintan's and the two other districts'


@pytest.mark.django_db
def test_every_demo_project_meets_the_stage_date_and_statistics_rule(demo):
    """The rule itself over every stage a project has (the form shows the dated ones): 纳统 with its date, no
    actual date in the future, nothing before the start or before production."""
    broken = []
    for project in Project.objects.prefetch_related("stage_dates"):
        dates = {sd.stage: (sd.planned_date, sd.actual_date) for sd in project.stage_dates.all()}
        problems = stage_date_problems(
            dates, today=TODAY, in_statistics=project.in_statistics, statistics_date=project.statistics_date
        )
        if problems:
            broken.append((project.name, [(p.field, p.message) for p in problems]))
    assert broken == []


@pytest.mark.django_db
def test_every_demo_plan_phase_and_capacity_passes_its_form(demo):
    refused = []
    for form_class, model in ((AnnualPlanForm, AnnualPlan), (PhaseForm, Phase), (CapacityForm, Capacity)):
        for obj in model.objects.all():
            form = form_class(_form_data(form_class, obj), instance=obj)
            if not form.is_valid():
                refused.append((model.__name__, obj.pk, _errors(form)))
    assert refused == []


@pytest.mark.django_db
def test_every_demo_report_meets_the_reporting_rules(demo):
    refused = []
    for report in ProgressReport.objects.select_related("project"):
        try:
            project_services.progress_report_check(
                project=report.project,
                year=report.year,
                month=report.month,
                investment_month=report.investment_month,
                investment_ytd=report.investment_ytd,
            )
        except ValidationError as exc:
            refused.append((report.project.name, report.month, exc.message_dict))
    assert refused == []
    assert ProgressReport.objects.count() > 2000


@pytest.mark.django_db
def test_every_reached_demo_node_was_reached_by_today(demo):
    late = [
        (node.project_id, node.name, problem)
        for node in Milestone.objects.exclude(actual_date=None)
        if (problem := reached_date_problem(node.actual_date, today=TODAY))
    ]
    assert late == []


@pytest.mark.django_db
def test_every_demo_problem_passes_the_problem_form(office):
    refused = []
    for problem in Problem.objects.select_related("project", "round").prefetch_related("co_departments"):
        data = {
            "project": problem.project_id,
            "round": problem.round_id or "",
            "category": problem.category_id,
            "description": problem.description,
            "lead_department": problem.lead_department_id,
            "co_departments": [unit.pk for unit in problem.co_departments.all()],
            "responsible_leader": problem.responsible_leader,
            "raised_on": problem.raised_on,
            "deadline": problem.deadline or "",
        }
        form = ProblemForm(data, user=office)
        if not form.is_valid():
            refused.append((problem.pk, problem.description[:20], _errors(form)))
    assert refused == []
    assert Problem.objects.exists()


@pytest.mark.django_db
def test_no_demo_cumulative_indicator_falls_without_a_marked_correction(demo):
    values = IndicatorValue.objects.filter(indicator__cumulative=True).order_by(
        "indicator_id", "unit_id", "year", "month"
    )
    falls, previous = [], {}
    for value in values:
        key = (value.indicator_id, value.unit_id, value.year)
        if indicator_rules.cumulative_drop(previous.get(key), value.value) and not value.is_correction:
            falls.append((value.indicator_id, value.unit_id, value.year, value.month))
        previous[key] = value.value
    assert falls == []
