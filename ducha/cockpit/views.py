"""Thin views: check access → call selectors → render."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ducha.accounts.access import acting_region, business_user_required, project_scope, whole_units_in_scope
from ducha.accounts.models import User
from ducha.evaluation.selectors import latest_published_flags
from ducha.indicators.choices import MEASURE_SUFFIX
from ducha.indicators.models import Indicator
from ducha.indicators.selectors import indicator_series, reads_home_district
from ducha.lib.quantities import chart_scale
from ducha.projects.choices import Light, Stage
from ducha.projects.maps import map_context
from ducha.projects.models import Industry
from ducha.projects.selectors import light_labels, period_from_params, projects_for_user
from ducha.supervision.selectors import ProblemFilter, problem_list
from ducha.units.models import Unit

from . import charts, selectors, services
from .bulletin import tables as bulletin_tables
from .forms import BulletinForm
from .regions import region_from_params, region_rows
from .selectors import Bucket

TREND_INDICATORS = 2
OVERDUE_SHOWN = 8
UNIT_BARS = 30  # the unit chart's bars: a district's units all; a province's largest plans, the rest counted


def _ledger_url(period, **filters) -> str:
    query = urlencode({**filters, "year": period.year, "month": period.month}, doseq=True)
    return f"{reverse('projects:list')}?{query}"


def _cockpit_url(period, region) -> str:
    query = urlencode({"region": region.code, "year": period.year, "month": period.month})
    return f"{reverse('cockpit:cockpit')}?{query}"


def _industry_rows(f: selectors.Figures, period) -> list[tuple[str, str, Decimal, Decimal]]:
    industries = list(Industry.objects.all())
    heads = selectors.industry_heads(industries)
    rolled: dict[int | None, Bucket] = {}
    for industry_id, bucket in f.by_industry.items():
        head = heads.get(industry_id) if industry_id else None
        target = rolled.setdefault(head.pk if head else None, Bucket())
        target.add(
            n=bucket.count, currency="CNY", total=bucket.total_cny, plan=bucket.plan, done=bucket.completed
        )
    names = {i.pk: i.name for i in industries}
    rows = []
    for pk, bucket in sorted(rolled.items(), key=lambda kv: -kv[1].plan):
        if pk is None:
            rows.append((_("No industry"), reverse("projects:list"), bucket.plan, bucket.completed))
        else:
            # The ledger's industry filter includes sub-industries, so the figure and the list agree.
            rows.append((names[pk], _ledger_url(period, industry=pk), bucket.plan, bucket.completed))
    return rows


def _indicator_charts(user, year: int) -> list[dict]:
    unit_id = user.unit_id if user.is_unit_staff else None  # a unit's own series, else the district's
    if unit_id is None and not reads_home_district(user):
        return []  # the indicators as a whole (no unit) are the home district's
    result = []
    for indicator in Indicator.objects.active()[:TREND_INDICATORS]:
        series = indicator_series(indicator=indicator, unit_ids=[unit_id], years=[year - 1, year])
        this_year, last_year = series[(unit_id, year)], series[(unit_id, year - 1)]
        scale, suffix = chart_scale(this_year + last_year, MEASURE_SUFFIX.get(indicator.measure, ""))
        result.append(
            charts.indicator_trend_chart(
                name=indicator.name,
                suffix=suffix,
                this_year=this_year,
                last_year=last_year,
                year=year,
                scale=scale,
            )
        )
    return result


def _unit_bars(
    period, units: list[Unit], by_unit: dict
) -> tuple[list[tuple[str, str, Decimal, Decimal]], int]:
    """The unit chart's rows (name, ledger link, plan, completed) and how many units are left out: every unit
    in their order when they fit, else the UNIT_BARS largest plans (the rest are on the units page; one bar
    adding them up would dwarf the others)."""
    if len(units) > UNIT_BARS:
        units = sorted(units, key=lambda u: by_unit[u.pk].plan or 0, reverse=True)
    shown = units[:UNIT_BARS]
    rows = [
        (u.label, _ledger_url(period, unit=u.pk), by_unit[u.pk].plan, by_unit[u.pk].completed) for u in shown
    ]
    return rows, len(units) - len(shown)


@business_user_required
def cockpit(request: HttpRequest) -> HttpResponse:
    """驾驶舱: where the district (or the user's unit) stands in the period, each figure linking to its list."""
    user = request.user
    period = period_from_params(request.GET)
    region = region_from_params(request.GET, user)  # a city's drill-down to one district
    projects = projects_for_user(user)
    units_in_scope = whole_units_in_scope(user)  # the units' stored sums stand for the projects
    units = selectors.scoped_units(user)
    if region is not None:
        units = [u for u in units if region.contains(u.region)]
        projects = projects.filter(unit__in=[u.pk for u in units])
        if units_in_scope is not None:
            inside = set(Unit.objects.within(region).values_list("pk", flat=True))
            units_in_scope = [pk for pk in units_in_scope if pk in inside]
    f = selectors.figures(projects, period, units=units_in_scope)
    regions = region_rows(f, period, units, region or cast(User, user).scope_region)
    unit_rows, units_left_out = _unit_bars(period, [u for u in units if u.pk in f.by_unit], f.by_unit)
    narrowed = {"region": region.code} if region else {}

    def ledger_url(**filters) -> str:  # every figure's list, narrowed to the district drilled into
        return _ledger_url(period, **narrowed, **filters)

    region_bars = [
        (row.region.name, _cockpit_url(period, row.region), row.figures.plan, row.figures.completed)
        for row in regions
    ]
    overdue = problem_list(user, ProblemFilter(status="overdue"))
    flags_of = region or acting_region(user)
    lights = light_labels()
    warned = QueryDict(mutable=True)  # the map of red and yellow projects, narrowed like the figures
    warned.setlist("light", [Light.RED, Light.YELLOW])
    warned.update({"year": str(period.year), "month": str(period.month), **narrowed})
    context = {
        "period": period,
        "f": f,
        "completion": f.completion,
        # every project's dates for those who read everything, else the dates of the scope's units
        "starts": selectors.start_rate(None, period)
        if project_scope(user) is None and region is None
        else selectors.start_rate(projects, period, units=units_in_scope),
        "stages": [
            (stage, label, f.stage_count(stage), ledger_url(stage=stage)) for stage, label in Stage.choices
        ],
        "lights": lights,
        "links": {
            "all": ledger_url(),
            "red": ledger_url(light=Light.RED),
            "yellow": ledger_url(light=Light.YELLOW),
            "signed": ledger_url(stage=Stage.SIGNED, construction_type="new"),
            "production": ledger_url(stage=list(selectors.COMPLETED_STAGES)),
            "completed": ledger_url(stage=Stage.COMPLETED),
            "overdue": f"{reverse('supervision:problem_list')}?status=overdue",
            "units": f"{reverse('units:list')}?year={period.year}&month={period.month}",
        },
        "red_projects": selectors.red_projects(user, period, region=region),
        "overdue_problems": list(overdue[:OVERDUE_SHOWN]),
        "overdue_count": overdue.count(),
        "flags": latest_published_flags(year=period.year, month=period.month, region=flags_of)
        or latest_published_flags(region=flags_of),
        "region": region,
        "region_rows": [
            (row, _ledger_url(period, region=row.region.code), _cockpit_url(period, row.region))
            for row in regions
        ],
        "own_unit_id": user.unit_id,
        "charts": {
            "monthly": charts.monthly_completion_chart(
                selectors.monthly_completion(projects, period, units=units_in_scope), f.all.plan
            ),
            "industry": charts.plan_and_completion_bars(_industry_rows(f, period)),
            # a city compares its districts; a district its towns, streets and parks
            "unit": charts.plan_and_completion_bars(region_bars or unit_rows),
            "indicators": _indicator_charts(user, period.year),
        },
        "months": BulletinForm().fields["month"].choices,
        "unit_chart_height": max(220, 28 * len(region_bars or unit_rows) + 60),
        "unit_chart_by_region": bool(region_bars),
        "units_left_out": 0 if region_bars else units_left_out,
        "warned_points_url": f"{reverse('projects:map_points')}?{warned.urlencode()}",
        "warned_map_url": f"{reverse('projects:map')}?{warned.urlencode()}",
        **map_context(user, lights=lights),
    }
    return render(request, "cockpit/cockpit.html", context)


@business_user_required
def chain(request: HttpRequest) -> HttpResponse:
    """产业链图谱: one chain's upstream, midstream and downstream segments, their totals and largest projects,
    each segment linking to its filtered ledger."""
    industries = selectors.chain_industries()
    chosen = request.GET.get("industry")
    industry = selectors.industry_get(chosen) if chosen else (industries[0] if industries else None)
    period = period_from_params(request.GET)
    chain_map = selectors.chain_map(request.user, industry, period) if industry else None
    # One reverse() for every project's link and one for every segment's ledger (a province's chain has dozens).
    stand_in = 987654321
    project_url = reverse("projects:detail", args=[stand_in])
    ledger_url = reverse("projects:list")
    when = {"year": period.year, "month": period.month}
    for segment in chain_map.segments if chain_map else []:
        segment.url = f"{ledger_url}?{urlencode({**segment.ledger_filters, **when}, doseq=True)}"
        segment.projects = [
            replace(p, url=project_url.replace(str(stand_in), str(p.pk))) for p in segment.projects
        ]
    return render(
        request,
        "cockpit/chain.html",
        {
            "industries": industries,
            "industry": industry,
            "chain": chain_map,
            "period": period,
            "sankey": charts.chain_sankey(chain_map) if chain_map and chain_map.count else None,
            "height": max(360, 22 * (chain_map.leaves if chain_map else 0) + 80),
        },
    )


@business_user_required
def bulletin_list(request: HttpRequest) -> HttpResponse:
    """Published bulletins; the office generates a new one for a period here."""
    form = BulletinForm(request.POST or None, initial=_default_period())
    if request.method == "POST":
        if not request.user.is_office:
            raise Http404
        if form.is_valid():
            try:
                item = services.bulletin_publish(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The bulletin is published."))
                return redirect(item)
    page = Paginator(selectors.bulletins_for_user(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "cockpit/bulletin_list.html", {"page": page, "form": form})


def _default_period() -> dict:
    """The form's defaults: the current reporting month, issued on the business date."""
    return BulletinForm.defaults()


@business_user_required
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.bulletin_get_for_user(request.user, pk)
    return render(
        request,
        "cockpit/bulletin_detail.html",
        {"bulletin": item, "c": item.content, "t": bulletin_tables(item.content)},
    )


@business_user_required
def bulletin_download(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.bulletin_get_for_user(request.user, pk)
    response = HttpResponse(
        services.bulletin_document(item),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    filename = f"bulletin-{item.issue_year}-{item.issue:02d}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
