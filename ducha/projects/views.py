from datetime import date
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ducha.accounts.access import business_user_required, can_write_unit, office_required, units_visible_to
from ducha.core.audit import audit_names_prefetch
from ducha.jobs.choices import JobKind
from ducha.jobs.services import job_enqueue
from ducha.lib import clock
from ducha.lib.periods import Period

from . import charts, rollups, rules, selectors, services, spreadsheets
from .choices import STAGE_ORDER, Light, ReportStatus, Stage
from .forms import (
    BatchReportFormSet,
    CapacityFormSet,
    LedgerFilterForm,
    LightSettingsForm,
    PhaseFormSet,
    ProgressReportForm,
    ProjectForm,
    ReviewForm,
)
from .maps import map_context
from .models import (
    Capacity,
    LightSettings,
    Milestone,
    MilestoneTemplate,
    Phase,
    ProgressReport,
    Project,
    StageDate,
)

PAGE_SIZE = 50


def _ledger_rows(request: HttpRequest):
    return ledger_rows_for(request.user, request.GET)


def ledger_rows_for(user, query: QueryDict, *, whole: bool = False):
    """The filter form, period and ledger queryset that these query parameters ask for, in the user's scope;
    the background export (ducha.jobs) rebuilds the same ledger with it. `whole`: every row will be read
    (an export)."""
    period = selectors.period_from_params(query)
    form = LedgerFilterForm(query or None, user=user, initial={"year": period.year, "month": period.month})
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    # Several stages at once (?stage=completed&stage=production), as the cockpit's 竣工投产 links ask.
    stages = [s for s in query.getlist("stage") if s in Stage.values]
    if len(stages) > 1:
        filters["stages"] = stages
    # Several lights at once (?light=red&light=yellow): the cockpit's map of the projects needing attention.
    lights = [light for light in query.getlist("light") if light in Light.values]
    if len(lights) > 1:
        filters["lights"] = lights
    return form, period, selectors.ledger(user, filters, period, whole=whole)


@business_user_required
def project_list(request: HttpRequest) -> HttpResponse:
    form, period, projects = _ledger_rows(request)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "period": period,
        "query_string": query.urlencode(),
        "lights": selectors.light_labels(),
        "can_create": request.user.is_office or request.user.is_unit_staff,
    }
    template = "projects/_ledger_table.html" if request.htmx else "projects/project_list.html"
    return render(request, template, context)


@business_user_required
def project_export(request: HttpRequest) -> HttpResponse:
    _form, period, projects = ledger_rows_for(request.user, request.GET, whole=True)
    rows = projects.count()
    if rows > settings.DUCHA_EXPORT_INLINE_ROWS:  # too long for a request: `ducha worker` builds it
        job = job_enqueue(
            kind=JobKind.LEDGER_EXPORT,
            user=request.user,
            params={"query": request.GET.urlencode(), "rows": rows},
        )
        return redirect(job)
    content = spreadsheets.ledger_xlsx(projects, period)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ducha-projects-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    response.audit_rows = rows  # type: ignore[attr-defined]  # for the audit trail's export entry
    return response


def _history(project: Project):
    """The project's change history: the project itself and everything that hangs off it."""
    related = [
        (Phase, project.phases.values_list("pk", flat=True)),
        (Capacity, project.capacities.values_list("pk", flat=True)),
        (StageDate, project.stage_dates.values_list("pk", flat=True)),
        (Milestone, project.milestones.values_list("pk", flat=True)),
        (ProgressReport, project.reports.values_list("pk", flat=True)),
    ]
    condition = Q(content_type=ContentType.objects.get_for_model(Project), object_pk=str(project.pk))
    for model, pks in related:
        condition |= Q(
            content_type=ContentType.objects.get_for_model(model), object_pk__in=[str(pk) for pk in pks]
        )
    entries = list(
        LogEntry.objects.filter(condition)
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:100]
    )
    audit_names_prefetch(entries)  # "审核人: — → 张三", not "→ 1"
    return entries


def _with_slip(dated) -> list:
    """Stage dates or nodes, each with `slip`: days reached after the plan (negative: early), None if not yet."""
    rows = list(dated)
    for row in rows:
        row.slip = rules.slip_days(row.planned_date, row.actual_date)
        row.early = -row.slip if row.slip is not None else None
    return rows


@business_user_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(request.user, pk)
    period = selectors.current_period()
    year = (
        int(request.GET.get("year") or period.year)
        if str(request.GET.get("year", "")).isdigit()
        else period.year
    )
    reports = selectors.progress_series(project, year)
    plan = project.annual_plans.filter(year=year).first()
    context = {
        "project": project,
        "year": year,
        "period": period,
        "plan": plan,
        "phases": project.phases.all(),
        "capacities": project.capacities.all(),
        "stage_dates": _with_slip(sorted(project.stage_dates.all(), key=lambda sd: STAGE_ORDER[sd.stage])),
        "milestones": _with_slip(project.milestones.all()),
        "reports": reports,
        "all_reports": project.reports.select_related("submitted_by", "reviewed_by").order_by(
            "-year", "-month"
        )[:24],
        "chart": charts.progress_chart(reports, plan.planned_investment if plan else None, year),
        "history": _history(project),
        "templates": MilestoneTemplate.objects.all(),
        "lights": selectors.light_labels(),
        "today": clock.today(),
        "can_write": can_write_unit(request.user, project.unit_id),
    }
    return render(request, "projects/project_detail.html", context)


def _save_project(request, form, capacities, phases) -> Project | None:
    if not (form.is_valid() and capacities.is_valid() and phases.is_valid()):
        return None
    year, amount = form.cleaned_data["plan_year"], form.cleaned_data.get("planned_investment")
    with transaction.atomic(), rollups.deferred():
        project = services.project_save(
            project=form.save(commit=False),
            expected_version=form.cleaned_data.get("version"),
            stage_dates=form.stage_dates(),
            plans={year: amount} if amount is not None else None,
            refresh_lights=False,
        )
        form.save_m2m()
        capacities.instance = phases.instance = project
        capacities.save()  # the formsets save row by row: each change is in the audit trail
        phases.save()
        services.projects_refresh_lights(projects=[project])
    return project


def _project_form_page(request, project: Project | None):
    plan_year = selectors.current_period().year
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, instance=project, user=request.user, plan_year=plan_year)
    capacities = CapacityFormSet(data, instance=project or Project(), prefix="capacities")
    phases = PhaseFormSet(data, instance=project or Project(), prefix="phases")
    if request.method == "POST":
        try:
            saved = _save_project(request, form, capacities, phases)
        except services.StaleEdit as stale:
            return _conflict_page(request, form, stale.current)
        if saved:
            messages.success(request, _("The project was saved."))
            return redirect(saved)
        messages.error(request, _("Please correct the fields marked below. Nothing was saved."))
    return render(
        request,
        "projects/project_form.html",
        {
            "form": form,
            "capacities": capacities,
            "phases": phases,
            "project": project,
            **map_context(request.user),
        },
    )


def _conflict_page(request, form, current: Project) -> HttpResponse:
    """Someone saved the project after this form was opened: show both values of every field that differs;
    nothing of this form was stored."""
    rows = []
    for name, field in form.fields.items():
        if name in ("version",) or not hasattr(current, name):
            continue
        mine, stored = form.cleaned_data.get(name), getattr(current, name)
        if mine != stored and not (mine in ("", None) and stored in ("", None)):
            rows.append((field.label, stored, mine))
    return render(
        request,
        "projects/conflict.html",
        {
            "subject": current.name,
            "back_url": current.get_absolute_url(),
            "rows": rows,
            "edit_url": request.path,
        },
        status=409,
    )


def _same(a, b) -> bool:
    """Equal as people read them: 400 and "400.00" are the same figure, None and "" the same blank."""
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except (InvalidOperation, ValueError):
        return str(a if a is not None else "").strip() == str(b if b is not None else "").strip()


def _display(report: ProgressReport | None, name: str, value=None):
    """A report field as people read it: the stage and status by their labels."""
    if report is not None:
        value = getattr(report, name)
    if name == "stage" and value in Stage.values:
        return Stage(value).label
    if name == "status" and value in ReportStatus.values:
        return ReportStatus(value).label
    return value


def _report_conflict_page(request, current: ProgressReport, mine: dict, edit_url: str) -> HttpResponse:
    """The month's report changed after this form was opened (refiled, returned, accepted): show what is stored
    now beside this form's values; nothing of this form was stored."""
    rows = []
    for name, value in mine.items():
        label = getattr(ProgressReport._meta.get_field(name), "verbose_name", name)
        stored, value = _display(current, name), _display(None, name, value)
        if not _same(stored, value):
            rows.append((label, stored, value))
    if current.status == ReportStatus.RETURNED and current.review_comment:
        rows.append((_("Reason for return"), current.review_comment, ""))
    return render(
        request,
        "projects/conflict.html",
        {
            "subject": f"{current.project.name} {current.year}-{current.month:02d}",
            "back_url": current.project.get_absolute_url(),
            "rows": rows,
            "edit_url": edit_url,
        },
        status=409,
    )


@business_user_required
def project_create(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_office or request.user.is_unit_staff):
        raise Http404
    return _project_form_page(request, None)


@business_user_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(request.user, pk, write=True)
    return _project_form_page(request, project)


@office_required
@require_POST
def milestones_lay_out(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(request.user, pk, write=True)
    template = (
        MilestoneTemplate.objects.filter(pk=request.POST.get("template", "")).first()
        if str(request.POST.get("template", "")).isdigit()
        else None
    )
    try:
        target = date.fromisoformat(request.POST.get("target", ""))
    except ValueError:
        target = None
    if template is None or target is None:
        messages.error(request, _("Choose a template and give a valid target date."))
        return redirect(project)
    services.milestones_lay_out(project=project, template=template, target=target)
    messages.success(request, _("The nodes were laid out backwards from %(date)s.") % {"date": target})
    return redirect(project)


@business_user_required
@require_POST
def milestone_reached(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(request.user, pk, write=True)
    milestone = get_object_or_404(project.milestones, pk=milestone_pk)
    try:
        reached = date.fromisoformat(request.POST.get("actual_date", ""))
    except ValueError:
        messages.error(request, _("Give a valid date."))
        return redirect(project)
    milestone.project = project  # already loaded through the access helper
    try:
        services.milestone_reach(milestone=milestone, reached=reached)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(project)


@business_user_required
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """File a month's progress (by default the month just ended; ?year=&month= for another, e.g. a returned
    report); an existing report of that month opens with its figures and is refiled."""
    project = selectors.project_get_for_user(request.user, pk, write=True)
    default = Period.just_ended(clock.today())  # the month being reported now
    period = Period.parse(request.GET.get("year"), request.GET.get("month")) or default
    report = (
        ProgressReport.objects.filter(project=project, year=period.year, month=period.month)
        .select_related("reviewed_by")
        .first()
    )
    initial = {"year": period.year, "month": period.month, "stage": project.stage, "version": 0}
    if report:
        initial.update({name: getattr(report, name) for name in services.REPORT_FIELDS})
        initial["version"] = report.version
    form = ProgressReportForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            services.progress_report_submit(
                project=project, user=request.user, expected_version=expected, **data
            )
        except services.StaleEdit as stale:
            mine = {**{name: data[name] for name in services.REPORT_FIELDS}, "status": ReportStatus.SUBMITTED}
            return _report_conflict_page(request, stale.current, mine, request.get_full_path())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The monthly progress was submitted."))
            return redirect(project)
    shown = form.cleaned_data if form.is_bound and form.is_valid() else initial
    previous = services.previous_cumulative(project=project, year=shown["year"], month=shown["month"])
    return render(
        request,
        "projects/report_form.html",
        {"form": form, "project": project, "previous": previous, "report": report},
    )


@business_user_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The office's review queue; unit staff see their unit's reports and which projects still owe one."""
    period = _filing_period(request)
    reports = ProgressReport.objects.filter(
        project__in=selectors.projects_for_user(request.user), year=period.year, month=period.month
    ).select_related("project", "project__unit", "submitted_by", "reviewed_by")
    status = request.GET.get("status", "submitted" if request.user.is_office else "")
    if status:
        reports = reports.filter(status=status)
    missing = (
        selectors.projects_for_user(request.user)
        .exclude(reports__year=period.year, reports__month=period.month)
        .filter(annual_plans__year=period.year)
        .select_related("unit")
        .order_by("unit__order", "name")
    )
    context = {
        "page": Paginator(reports.order_by("project__unit__order", "project__name"), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "missing": missing[:200],
        "missing_count": missing.count(),
        "period": period,
        "status": status,
        "statuses": ReportStatus.choices,
        "query_string": f"year={period.year}&month={period.month}&status={status}",
    }
    return render(request, "projects/report_list.html", context)


@office_required
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    # Only the reports of projects the office reads: a district office reviews its own district's reports.
    reports = ProgressReport.objects.filter(project__in=selectors.projects_for_user(request.user))
    report = get_object_or_404(reports.select_related("project", "project__unit"), pk=pk)
    form = ReviewForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        approve = "approve" in request.POST
        try:
            services.progress_report_review(
                report=report,
                user=request.user,
                approve=approve,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data.get("version"),
                base_url=request.build_absolute_uri("/"),
            )
        except services.StaleEdit as stale:
            # What the reviewer saw and decided beside what is stored now.
            mine = {
                **form.seen(),
                "status": ReportStatus.REVIEWED if approve else ReportStatus.RETURNED,
                "review_comment": form.cleaned_data["comment"],
            }
            return _report_conflict_page(request, stale.current, mine, request.path)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The review was recorded."))
            return redirect(f"{reverse('projects:report_list')}?year={report.year}&month={report.month}")
    previous = services.previous_cumulative(project=report.project, year=report.year, month=report.month)
    return render(
        request, "projects/report_review.html", {"report": report, "form": form, "previous": previous}
    )


@office_required
def light_settings(request: HttpRequest) -> HttpResponse:
    """The district's light rules, names and colours; saving recomputes every project's light."""
    form = LightSettingsForm(request.POST or None, instance=LightSettings.objects.first() or LightSettings())
    if request.method == "POST" and form.is_valid():
        form.save()
        changed = services.projects_refresh_lights()
        messages.success(request, _("Saved. %(n)d lights changed.") % {"n": changed})
        return redirect("projects:light_settings")
    return render(request, "projects/light_settings.html", {"form": form})


@office_required
def project_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """The office removes a project entered by mistake; one with problems or evidence on record is kept."""
    project = selectors.project_get_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.project_delete(project=project)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(project)
        messages.success(request, _("The project %(name)s was deleted.") % {"name": project.name})
        return redirect("projects:list")
    return render(request, "projects/project_confirm_delete.html", {"project": project})


@business_user_required
def report_batch(request: HttpRequest) -> HttpResponse:
    """One month's progress for all of a unit's projects on one page.

    Every valid filled line is stored on its own; a line that is refused (a rule, a report reviewed or changed
    by someone else meanwhile) stays on the page with its reason, and the messages say how many were stored
    and name the refused projects. Reviewed reports are shown read-only and are not part of the form.
    """
    period = _filing_period(request)
    unit_id = request.user.unit_id if request.user.is_unit_staff else request.GET.get("unit")
    if not (request.user.is_office or request.user.is_unit_staff) or not str(unit_id or "").isdigit():
        if request.user.is_office:
            return render(
                request,
                "projects/report_batch.html",
                # the office's own region's units to choose from, not other regions'
                {"period": period, "units": units_visible_to(request.user), "lines": None},
            )
        raise Http404
    projects = list(
        selectors.projects_for_user(request.user)
        .filter(unit_id=unit_id, annual_plans__year=period.year)
        .select_related("unit")
        .order_by("-total_investment", "name")
    )
    existing = _batch_reports(projects, period)
    locked = {pk for pk, report in existing.items() if report.status == ReportStatus.REVIEWED}
    initial = [
        {
            "project": p.pk,
            "version": existing[p.pk].version if p.pk in existing else services.NO_REPORT_YET,
            "stage": existing[p.pk].stage if p.pk in existing else p.stage,
            **{name: getattr(existing[p.pk], name) for name in services.REPORT_FIELDS if p.pk in existing},
        }
        for p in projects
        if p.pk not in locked
    ]
    # A copy of the posted data, so that lines stored now carry their new version if the page is sent again.
    data = request.POST.copy() if request.method == "POST" else None
    formset = BatchReportFormSet(data, initial=initial, prefix="rows")
    if data is not None:
        if not formset.management_form.is_valid():
            messages.error(
                request, _("The page was incomplete and nothing was stored. Please fill it in again.")
            )
            return redirect(request.get_full_path())
        filed = {pk for pk, report in existing.items() if report.status == ReportStatus.SUBMITTED}
        if _batch_store(request, formset, data, projects, locked, filed, period):
            return redirect(f"{reverse('projects:report_list')}?year={period.year}&month={period.month}")
        existing = _batch_reports(projects, period)  # lines stored just now show their new status
    forms_by_project = {}
    for form in formset:
        value = str(form["project"].value() or "")
        if value.isdigit():
            forms_by_project[int(value)] = form
    previous = services.previous_cumulatives(projects=projects, year=period.year, month=period.month)
    lines = [
        (
            project,
            None if project.pk in locked else forms_by_project.get(project.pk),
            previous.get(project.pk),
            existing.get(project.pk),
        )
        for project in projects
    ]
    return render(
        request,
        "projects/report_batch.html",
        {"period": period, "lines": lines, "formset": formset, "unit_id": unit_id},
    )


def _filing_period(request: HttpRequest) -> Period:
    """The month asked for, else the month being reported now (the month just ended), not the current
    reporting month the other pages show (which waits for the deadline)."""
    return Period.parse(request.GET.get("year"), request.GET.get("month")) or Period.just_ended(clock.today())


def _batch_reports(projects: list[Project], period: Period) -> dict[int, ProgressReport]:
    return {
        r.project_id: r
        for r in ProgressReport.objects.filter(
            project__in=projects, year=period.year, month=period.month
        ).select_related("reviewed_by")
    }


def _batch_store(
    request, formset, data, projects: list[Project], locked: set[int], filed: set[int], period: Period
) -> bool:
    """Store the valid filled lines of a posted batch; mark the others and say so. True when nothing was refused."""
    by_pk = {p.pk: p for p in projects}
    rows, row_forms, refused = [], [], []
    unchanged = 0
    for number, form in enumerate(formset, start=1):
        if not form.is_valid():
            pk = form.cleaned_data.get("project")
            refused.append(by_pk[pk].name if pk in by_pk else _("line %(n)d") % {"n": number})
            continue
        pk = form.cleaned_data["project"]
        if pk not in by_pk:
            refused.append(_("line %(n)d") % {"n": number})
            form.add_error(None, _("This project is not one of this unit's projects planned for the year."))
            continue
        if not form.is_filled():
            continue  # an empty line is skipped, as the page says
        if pk in locked:
            refused.append(by_pk[pk].name)
            continue
        if pk in filed and not form.has_changed():
            unchanged += 1  # filed already and not touched: refiling it would only bump its version
            continue
        rows.append({**form.cleaned_data, "project": by_pk[pk]})
        row_forms.append(form)
    result = services.progress_reports_submit_batch(
        user=request.user, year=period.year, month=period.month, rows=rows
    )
    for index, field_errors in result.errors.items():
        form = row_forms[index]
        refused.append(rows[index]["project"].name)
        for field, errors in field_errors.items():
            form.add_error(field if field in form.fields and field != "project" else None, errors)
    for report in result.saved:  # sent again, these lines are refiled from their new version
        form = row_forms[next(i for i, row in enumerate(rows) if row["project"].pk == report.project_id)]
        data[form.add_prefix("version")] = str(report.version)
    if result.saved:
        messages.success(
            request,
            ngettext(
                "%(n)d monthly report was submitted.",
                "%(n)d monthly reports were submitted.",
                len(result.saved),
            )
            % {"n": len(result.saved)},
        )
    if refused:
        messages.error(
            request,
            ngettext(
                "%(n)d line was not stored: %(lines)s. The reason is marked on the line.",
                "%(n)d lines were not stored: %(lines)s. The reasons are marked on the lines.",
                len(refused),
            )
            % {"n": len(refused), "lines": "、".join(refused)},
        )
    elif not result.saved and unchanged:
        messages.info(request, _("Nothing had changed; nothing was stored."))
    elif not result.saved:
        messages.info(request, _("No line was filled in; nothing was stored."))
    return not refused
