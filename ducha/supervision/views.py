"""Thin views: check access → call a selector or service → render."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ducha.accounts.access import business_user_required, office_required
from ducha.projects.models import ProgressReport, Project
from ducha.units.models import Unit

from . import selectors, services
from .charts import closure_chart
from .choices import ProblemAction
from .export import problems_xlsx
from .forms import ProblemFilterForm, ProblemForm, RoundForm, TransitionForm, VisitForm, VisitUpdateForm
from .rules import allowed_actions, urgency

PAGE_SIZE = 50

# Button labels: what the person is about to do (the history shows ProblemAction's past-tense labels).
ACTION_BUTTONS = {
    ProblemAction.ACCEPT: _lazy("Accept"),
    ProblemAction.ANSWER: _lazy("Post an answer"),
    ProblemAction.RESOLVE: _lazy("Mark as resolved"),
    ProblemAction.VERIFY: _lazy("Verify and close"),
    ProblemAction.REOPEN: _lazy("Reopen"),
}


def _apply_validation_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- rounds ----------------------------------------------------------------------------------------


@business_user_required
def round_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.round_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/round_list.html", {"page": page})


@office_required
def round_create(request: HttpRequest) -> HttpResponse:
    return _round_form(request, None)


@office_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_form(request, selectors.round_get_for_user(request.user, pk, write=True))


def _round_form(request, instance):
    form = RoundForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            rnd = services.round_save(user=request.user, data=form.cleaned_data, instance=instance)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("The round is saved."))
            return redirect(rnd)
    return render(request, "supervision/round_form.html", {"form": form, "round": instance})


@business_user_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = selectors.round_get_for_user(request.user, pk)
    visit_form = VisitForm()
    if request.method == "POST":
        if not request.user.is_office:
            raise Http404
        visit_form = VisitForm(request.POST, request.FILES)
        if visit_form.is_valid():
            try:
                services.visit_add(user=request.user, round=rnd, **visit_form.cleaned_data)
            except ValidationError as exc:
                _apply_validation_error(visit_form, exc)
            else:
                messages.success(request, _("The visit is added."))
                return redirect(rnd)
    visits = selectors.round_visits(rnd)
    return render(
        request, "supervision/round_detail.html", {"round": rnd, "visits": visits, "visit_form": visit_form}
    )


@business_user_required
def round_itinerary(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = selectors.round_get_for_user(request.user, pk)
    return render(
        request, "supervision/round_itinerary.html", {"round": rnd, "visits": selectors.round_visits(rnd)}
    )


@office_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get_for_user(request.user, pk, write=True)
    initial = {"order": visit.order, "arrival_time": visit.arrival_time, "findings": visit.findings}
    form = VisitUpdateForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_update(user=request.user, visit=visit, **form.cleaned_data)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("The visit is saved."))
            return redirect(visit.round)
    return render(request, "supervision/visit_form.html", {"form": form, "visit": visit})


# --- problems --------------------------------------------------------------------------------------


def _problem_filter(request) -> tuple[ProblemFilterForm, selectors.ProblemFilter]:
    form = ProblemFilterForm(request.GET or None)
    f = selectors.ProblemFilter()
    if form.is_valid():
        d = form.cleaned_data
        f = selectors.ProblemFilter(
            status=d["status"] or "",
            department=d["department"].pk if d["department"] else None,
            unit=d["unit"].pk if d["unit"] else None,
            category=d["category"].pk if d["category"] else None,
            round=d["round"].pk if d["round"] else None,
            q=d["q"] or "",
        )
    return form, f


def _with_urgency(problems, today):
    for p in problems:
        p.urgency = urgency(status=p.status, deadline=p.deadline, today=today)
    return problems


@business_user_required
def problem_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form, f = _problem_filter(request)
    page = Paginator(selectors.problem_list(request.user, f, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _with_urgency(page.object_list, today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervision/problem_list.html",
        {"page": page, "form": form, "query_string": query.urlencode(), "today": today},
    )


@business_user_required
def problem_export(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    _form, f = _problem_filter(request)
    data = problems_xlsx(selectors.problem_list(request.user, f, today=today), today=today)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="problems-{today:%Y%m%d}.xlsx"'
    return response


@office_required
def problem_create(request: HttpRequest) -> HttpResponse:
    initial = {
        "raised_on": timezone.localdate(),
        "deadline": timezone.localdate() + datetime.timedelta(days=30),
    }
    project_id, round_id, report_id = (request.GET.get(k, "") for k in ("project", "round", "report"))
    report = None
    if report_id.isdigit():
        report = ProgressReport.objects.select_related("project").filter(pk=report_id).first()
        if report:
            initial.update(project=report.project, description=report.problems)
    if project_id.isdigit() and (
        project := Project.objects.select_related("responsible_department").filter(pk=project_id).first()
    ):
        initial.update(project=project, responsible_leader=project.responsible_leader)
        if project.responsible_department:
            initial["lead_department"] = project.responsible_department
    if round_id.isdigit():
        rnd = selectors.round_get_for_user(request.user, int(round_id))
        initial.update(round=rnd, raised_on=rnd.date)
    form = ProblemForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_raise(user=request.user, report=report, **form.cleaned_data)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("The problem is raised and sent to %(department)s.")
                % {"department": problem.lead_department.label},
            )
            if problem.round_id and "another" in request.POST:
                return redirect(f"{request.path}?round={problem.round_id}")
            return redirect(problem)
    return render(request, "supervision/problem_form.html", {"form": form, "report": report})


@business_user_required
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_get_for_user(request.user, pk)
    today = timezone.localdate()
    actor = selectors.problem_actor(request.user, problem)
    actions = [(a, ACTION_BUTTONS[a]) for a in allowed_actions(problem.status, actor)]
    return render(
        request,
        "supervision/problem_detail.html",
        {
            "problem": problem,
            "steps": selectors.problem_history(problem),
            "attachments": selectors.problem_attachments(problem),
            "actions": actions,
            "form": TransitionForm(),
            "urgency": urgency(status=problem.status, deadline=problem.deadline, today=today),
            "today": today,
        },
    )


@require_POST
@business_user_required
def problem_transition(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_get_for_user(request.user, pk, write=True)
    form = TransitionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.problem_transition(
                problem=problem,
                user=request.user,
                action=form.cleaned_data["action"],
                comment=form.cleaned_data["comment"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Recorded: %(action)s.") % {"action": ProblemAction(form.cleaned_data["action"]).label},
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(problem)


@business_user_required
def inbox(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    problems = _with_urgency(list(selectors.inbox_for(request.user, today=today)[:500]), today)
    return render(request, "supervision/inbox.html", {"problems": problems, "today": today})


@business_user_required
def stats(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
        until = datetime.date.fromisoformat(request.GET["until"]) if request.GET.get("until") else None
    except ValueError:
        messages.error(request, _("Give the year as 2020 and the date as 2020-12-31."))
        year, until = today.year, None
    until = until or min(today, datetime.date(year, 12, 31))
    by_unit = selectors.problem_stats_by_unit(year=year, until=until)
    by_department = selectors.problem_stats_by_department(year=year, until=until)
    units = Unit.objects.all()
    unit_rows = [(u, by_unit[u.pk]) for u in units if u.pk in by_unit]
    department_rows = [(u, by_department[u.pk]) for u in units if u.pk in by_department]
    return render(
        request,
        "supervision/stats.html",
        {
            "year": year,
            "until": until,
            "unit_rows": unit_rows,
            "department_rows": department_rows,
            "department_chart": closure_chart([(u.label, s) for u, s in department_rows]),
            "unit_chart": closure_chart([(u.label, s) for u, s in unit_rows]),
        },
    )


# --- notices and files -----------------------------------------------------------------------------


@business_user_required
def notices(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notices_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/notices.html", {"page": page})


@require_POST
@business_user_required
def notices_mark_read(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("notice") if i.isdigit()] or None
    services.notice_mark_read(user=request.user, notice_ids=ids)
    return redirect("supervision:notices")


@business_user_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    att = selectors.attachment_get_for_user(request.user, pk)
    try:
        handle = att.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, filename=att.original_name, as_attachment=not att.is_image)
