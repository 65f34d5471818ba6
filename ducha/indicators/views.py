from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ducha.accounts.access import business_user_required, office_required, units_visible_to
from ducha.lib import clock
from ducha.lib.periods import Period
from ducha.lib.quantities import chart_scale

from . import charts, rules, selectors, services
from .choices import MEASURE_SUFFIX
from .export import indicator_table_xlsx, reported_cells
from .forms import ImportForm, IndicatorForm, MonthlyEntryForm, TargetGridForm
from .models import Indicator


def _period(request: HttpRequest) -> Period:
    """?year=&month= or, by default, the latest month with figures (else the month just ended)."""
    return Period.from_params(request.GET.get("year"), request.GET.get("month"))


@business_user_required
def table(request: HttpRequest) -> HttpResponse:
    year, month = _period(request)
    result, page = selectors.indicator_table_page(
        user=request.user, year=year, month=month, page=request.GET.get("page")
    )
    return render(
        request,
        "indicators/table.html",
        {
            "table": result,
            "page": page,  # of the unit rows; the pager keeps the period
            "query_string": urlencode({"year": year, "month": month}),
            "years": range(clock.today().year, 2017, -1),
            "months": range(1, 13),
            "entry_unit": request.user.unit if request.user.is_unit_staff else None,
            "show_district": selectors.reads_home_district(request.user),
            "entry_period": Period.just_ended(clock.today()),  # the month being reported now
        },
    )


@business_user_required
def table_xlsx(request: HttpRequest) -> HttpResponse:
    """The table of the period for every unit the page shows (all its pages), as an .xlsx workbook."""
    year, month = _period(request)
    result = selectors.indicator_table_whole(user=request.user, year=year, month=month)
    with_district = selectors.reads_home_district(request.user)
    content = indicator_table_xlsx(result, with_district=with_district)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="indicator-table-{year}-{month:02d}.xlsx"'
    response.audit_rows = len(reported_cells(result, with_district=with_district))  # type: ignore[attr-defined]  # for the audit trail's export entry
    return response


@business_user_required
def trend(request: HttpRequest, code: str) -> HttpResponse:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise Http404
    year, _month = _period(request)
    units = list(units_visible_to(request.user))
    unit = None
    if request.GET.get("unit"):
        unit = next((u for u in units if str(u.pk) == request.GET["unit"]), None)
        if unit is None:
            raise Http404
    unit_ids = ([None] if selectors.reads_home_district(request.user) else []) + ([unit.pk] if unit else [])
    series = selectors.indicator_series(indicator=indicator, unit_ids=unit_ids, years=[year - 1, year])
    scale, suffix = chart_scale(
        (v for values in series.values() for v in values), MEASURE_SUFFIX.get(indicator.measure, "")
    )
    names = {None: _("Whole district")}
    if unit:
        names[unit.pk] = unit.label
    values = {f"{names[u]} {y}": series[(u, y)] for u in unit_ids for y in (year - 1, year)}
    growth = {
        names[u]: [
            rules.yoy_growth(now, before)
            for now, before in zip(series[(u, year)], series[(u, year - 1)], strict=True)
        ]
        for u in unit_ids
    }
    return render(
        request,
        "indicators/trend.html",
        {
            "indicator": indicator,
            "year": year,
            "unit": unit,
            "units": units,
            "indicators": Indicator.objects.active(),
            "value_option": charts.trend_option(
                title=indicator.name, unit_label=suffix, series=values, scale=scale
            ),
            "growth_option": charts.growth_option(title=_("Year-on-year growth"), series=growth),
        },
    )


@business_user_required
@require_http_methods(["GET", "POST"])
def entry(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = selectors.unit_get_for_entry(request.user, unit_pk)
    year, month = _period(request)
    today = clock.today()
    if (year, month) > (today.year, today.month):
        messages.error(request, _("%(year)s-%(month)02d is in the future.") % {"year": year, "month": month})
        year, month = today.year, today.month
    rows = selectors.indicator_values_for_entry(unit=unit, year=year, month=month)
    versions = selectors.indicator_value_versions(unit=unit, year=year, month=month)
    form = MonthlyEntryForm(request.POST or None, rows=rows, versions=versions)
    if request.method == "POST" and form.is_valid():
        try:
            stored = services.indicator_values_save(
                unit=unit, year=year, month=month, entries=form.entries(), user=request.user
            )
        except services.StaleValues as stale:
            return _entry_conflict(request, unit=unit, year=year, month=month, stale=stale.stale)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("%(count)s figures saved.") % {"count": stored})
            return redirect(f"{reverse('indicators:table')}?year={year}&month={month}")
    return render(
        request, "indicators/entry.html", {"unit": unit, "year": year, "month": month, "form": form}
    )


def _entry_conflict(request, *, unit, year: int, month: int, stale) -> HttpResponse:
    """Someone stored some of these figures after the form was opened: show theirs next to the ones sent;
    nothing of this form was stored."""
    rows = [
        (
            entry.indicator.name,
            rules.format_measure(current.value, entry.indicator.measure) if current else None,
            rules.format_measure(entry.value, entry.indicator.measure),
            current.entered_by if current else None,
        )
        for entry, current in stale
    ]
    return render(
        request,
        "indicators/conflict.html",
        {
            "unit": unit,
            "year": year,
            "month": month,
            "rows": rows,
            "retry_url": f"{request.path}?year={year}&month={month}",
        },
        status=409,
    )


@office_required
def template_download(request: HttpRequest) -> HttpResponse:
    year, month = _period(request)
    content = services.indicator_template_xlsx(year=year, month=month)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="indicators-{year}-{month:02d}.xlsx"'
    return response


@office_required
@require_http_methods(["GET", "POST"])
def import_xlsx(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        result = services.indicator_import_xlsx(file=form.cleaned_data["file"], user=request.user)
        if result.ok:
            messages.success(request, _("%(count)s figures imported.") % {"count": result.stored})
            return redirect("indicators:table")
        errors = result.errors
    today: date = clock.today()
    return render(
        request,
        "indicators/import.html",
        {"form": form, "errors": errors, "year": today.year, "month": today.month},
    )


# ---------------------------------------------------------------- definitions and targets (office)


@office_required
def definitions(request: HttpRequest) -> HttpResponse:
    return render(request, "indicators/definitions.html", {"indicators": selectors.indicators_for_office()})


@office_required
@require_http_methods(["GET", "POST"])
def definition_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    indicator = selectors.indicator_get_for_office(request.user, pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        saved = services.indicator_save(indicator=form.save(commit=False))
        messages.success(request, _("Indicator “%(name)s” saved.") % {"name": saved.name})
        return redirect("indicators:definitions")
    return render(request, "indicators/definition_form.html", {"form": form, "indicator": indicator})


@office_required
@require_POST
def definition_active(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.indicator_get_for_office(request.user, pk)
    active = request.POST.get("active") == "1"
    services.indicator_set_active(indicator=indicator, active=active)
    if active:
        messages.success(request, _("“%(name)s” is reported again.") % {"name": indicator.name})
    else:
        messages.success(
            request,
            _("“%(name)s” is deactivated: its figures are kept but it is no longer reported or shown.")
            % {"name": indicator.name},
        )
    return redirect("indicators:definitions")


def _target_year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return clock.today().year
    return year if 2000 <= year <= 2100 else clock.today().year


@office_required
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    year = _target_year(request)
    grid = selectors.target_grid(year=year, user=request.user)
    form = TargetGridForm(request.POST or None, grid=grid)
    if request.method == "POST" and form.is_valid():
        try:
            stored, removed = services.indicator_targets_save(
                year=year, targets=form.targets(), user=request.user
            )
        except ValidationError as exc:
            for key, problems in exc.message_dict.items():
                field = f"target_{key}"
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(
                request,
                _("Targets for %(year)s saved: %(stored)s set, %(removed)s removed.")
                % {"year": year, "stored": stored, "removed": removed},
            )
            return redirect(f"{reverse('indicators:targets')}?year={year}")
    elif request.method == "POST":
        messages.error(request, _("Nothing was saved. Correct the marked cells."))
    return render(
        request,
        "indicators/targets.html",
        {"grid": grid, "form": form, "year": year, "years": range(clock.today().year + 1, 2017, -1)},
    )
