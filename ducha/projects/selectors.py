"""Reads of the project ledger. Views load projects only through these."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import NullIf
from django.http import Http404

from ducha.accounts.access import can_write_unit, project_scope
from ducha.lib import schedule
from ducha.lib.money import to_cny
from ducha.lib.periods import Period

from .choices import Light
from .models import AnnualPlan, Industry, LightSettings, ProgressReport, Project


def projects_for_user(user) -> QuerySet[Project]:
    """Every project `user` may read: all for office and leaders, their own unit's for unit staff,
    the projects a department is responsible for for department staff, none for auditors."""
    scope = project_scope(user)
    return Project.objects.all() if scope is None else Project.objects.filter(scope)


def project_get_for_user(user, pk: int, *, write: bool = False) -> Project:
    """The one way a view loads a project. Outsiders get 404, never a hint that it exists."""
    try:
        project = (
            projects_for_user(user).select_related("unit", "industry", "responsible_department").get(pk=pk)
        )
    except (Project.DoesNotExist, ValueError):
        raise Http404 from None
    if write and not can_write_unit(user, project.unit_id):
        raise Http404
    return project


def current_period() -> Period:
    """The current reporting month (Period.current): the ledger's, cockpit's and lights' default."""
    return Period.current()


def period_from_params(params) -> Period:
    """Read ?year=&month= with the current period as the default; out-of-range values fall back too."""
    return Period.from_params(params.get("year"), params.get("month"))


_MONEY = DecimalField(max_digits=14, decimal_places=2)


def with_period_figures(
    projects: QuerySet[Project], period: Period, *, lights: bool = False
) -> QuerySet[Project]:
    """Annotate the year's plan and the latest cumulative completion up to the period, in the same query;
    with `lights`, also `period_light`, the light as of the period."""
    plan = AnnualPlan.objects.filter(project=OuterRef("pk"), year=period.year).values("planned_investment")[
        :1
    ]
    ytd = (
        ProgressReport.objects.filter(project=OuterRef("pk"), year=period.year, month__lte=period.month)
        .exclude(status="draft")
        .order_by("-month")
        .values("investment_ytd")[:1]
    )
    figures = projects.annotate(
        plan_year=Subquery(plan, output_field=_MONEY),
        completed_ytd=Subquery(ytd, output_field=_MONEY),
    )
    return figures.annotate(period_light=_period_light(projects, period)) if lights else figures


def _period_light(projects: QuerySet[Project], period: Period):
    """The light as of the period: the stored one for the current reporting month (kept fresh by every write
    and `ducha refresh_lights`), computed from the records for any other month, so that a page about
    1-11月 shows November's lights, not today's."""
    if period == current_period():
        return F("light")
    from .services import project_lights_for_period

    scope = list(projects.order_by().select_related(None).only("pk", "in_statistics", "statistics_date"))
    lights = project_lights_for_period(projects=scope, period=period)
    return Case(
        *(
            When(pk__in=[pk for pk, light in lights.items() if light.colour == colour], then=Value(colour))
            for colour in (Light.RED, Light.YELLOW)
        ),
        default=Value(str(Light.GREEN)),
        output_field=CharField(),
    )


def light_rules() -> schedule.LightRules:
    settings = LightSettings.objects.first()
    if settings is None:
        return schedule.LightRules()
    return schedule.LightRules(
        yellow_points_behind=settings.yellow_points_behind,
        red_points_behind=settings.red_points_behind,
        start_late_yellow_months=settings.start_late_yellow_months,
        start_late_red_months=settings.start_late_red_months,
        unstatisticised_yellow_months=settings.unstatisticised_yellow_months,
        unstatisticised_red_months=settings.unstatisticised_red_months,
    )


def light_labels() -> dict[str, dict[str, str]]:
    """Names and colours of the lights as this district calls them."""
    s = LightSettings.objects.first() or LightSettings()
    return {
        "green": {"label": s.green_label, "colour": s.green_colour},
        "yellow": {"label": s.yellow_label, "colour": s.yellow_colour},
        "red": {"label": s.red_label, "colour": s.red_colour},
    }


def progress_series(project: Project, year: int) -> list[ProgressReport]:
    return list(project.reports.filter(year=year).exclude(status="draft").order_by("month"))


@dataclass(frozen=True)
class UnitCompletionRow:
    unit_id: int
    unit_name: str
    project_count: int
    completion: schedule.Completion


def exchange_rates() -> dict[str, Decimal]:
    return settings.DUCHA_EXCHANGE_RATES


def unit_completion_rows(units, period: Period) -> list[UnitCompletionRow]:
    """Each unit's completed investment against its plans and 序时, in yuan (other currencies converted at the
    configured rates), from two queries."""
    rates = exchange_rates()
    planned: dict[int, Decimal] = {}
    for unit_id, currency, amount in AnnualPlan.objects.filter(
        year=period.year, project__unit__in=units
    ).values_list("project__unit", "project__currency", "planned_investment"):
        planned[unit_id] = planned.get(unit_id, Decimal(0)) + to_cny(amount, currency, rates)
    # Per-project latest figures summed here: one query, portable across SQLite and PostgreSQL.
    completed: dict[int, Decimal] = {}
    counts: dict[int, int] = {}
    for unit_id, currency, value in with_period_figures(
        Project.objects.filter(unit__in=units), period
    ).values_list("unit", "currency", "completed_ytd"):
        completed[unit_id] = completed.get(unit_id, Decimal(0)) + to_cny(value, currency, rates)
        counts[unit_id] = counts.get(unit_id, 0) + 1
    ratio = period.schedule_ratio
    return [
        UnitCompletionRow(
            unit.pk,
            unit.label,
            counts.get(unit.pk, 0),
            schedule.completion_against_schedule(
                completed.get(unit.pk, Decimal(0)), planned.get(unit.pk, Decimal(0)), ratio
            ),
        )
        for unit in units
    ]


def industry_with_descendants(industry) -> set[int]:
    """The industry's id and those of all industries below it, from one query over the (small) taxonomy."""
    root = industry.pk if hasattr(industry, "pk") else int(industry)
    children: dict[int | None, list[int]] = {}
    for pk, parent in Industry.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = set(), [root]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


LEDGER_SORTS = {
    "": ("-total_investment", "name"),
    "name": ("name",),
    "unit": ("unit__order", "unit__name", "-total_investment"),
    "updated": ("-updated_at",),
}


def ledger(user, filters: dict, period: Period) -> QuerySet[Project]:
    """The ledger rows `user` may see, filtered by the cleaned LedgerFilterForm data, with period figures."""
    projects = with_period_figures(projects_for_user(user).for_ledger(), period, lights=True)
    if q := (filters.get("q") or "").strip():
        projects = projects.filter(
            Q(name__icontains=q) | Q(company__icontains=q) | Q(national_code__icontains=q)
        )
    for field in ("unit", "level", "construction_type", "chain_position", "chain_segment"):
        if value := filters.get(field):
            projects = projects.filter(**{field: value})
    if light := filters.get("light"):
        projects = projects.filter(period_light=light)  # type: ignore[misc]  # annotated by with_period_figures
    if stages := filters.get("stages") or ([filters["stage"]] if filters.get("stage") else []):
        projects = projects.filter(stage__in=stages)
    if industry := filters.get("industry"):
        # An industry includes its sub-industries (新能源汽车 → 动力电池, 电池材料 …).
        projects = projects.filter(industry__in=industry_with_descendants(industry))
    sort = filters.get("sort") or ""
    if sort == "ratio":
        # Projects without a plan sort last.
        return projects.order_by(
            (F("completed_ytd") / NullIf(F("plan_year"), 0)).asc(nulls_last=True), "name"
        )
    if sort == "light":
        severity = Case(
            When(period_light="red", then=Value(0)),
            When(period_light="yellow", then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return projects.order_by(severity, "-total_investment")
    return projects.order_by(*LEDGER_SORTS.get(sort, LEDGER_SORTS[""]))
