"""Thin views: check access → call a selector or service → render."""

import datetime
import mimetypes
from typing import cast
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from ducha.accounts.access import business_user_required, office_required
from ducha.accounts.models import User
from ducha.lib import clock
from ducha.lib.periods import Period
from ducha.projects import selectors as project_selectors
from ducha.projects.maps import map_context
from ducha.projects.models import ProgressReport
from ducha.projects.selectors import projects_for_user
from ducha.units.models import Unit

from . import route, selectors, services
from .charts import closure_chart
from .choices import OPEN_STATUSES, ProblemAction
from .export import problems_xlsx
from .forms import (
    CategoryForm,
    OrderForm,
    ProblemEditForm,
    ProblemFilterForm,
    ProblemForm,
    RoundForm,
    RoutePlanForm,
    SupervisionSettingsForm,
    TransitionForm,
    VisitForm,
    VisitUpdateForm,
)
from .models import Problem
from .rules import allowed_actions, urgency

PAGE_SIZE = 50
LAGGING_SHOWN = 40  # red and yellow projects the round planner lists beside the map

# Button labels: what the person is about to do (the history shows ProblemAction's past-tense labels).
ACTION_BUTTONS = {
    ProblemAction.ACCEPT: pgettext_lazy("problem action", "Accept"),  # 签收, not the report review's 审核通过
    ProblemAction.ANSWER: pgettext_lazy("problem action", "Post an answer"),
    ProblemAction.RESOLVE: pgettext_lazy("problem action", "Mark as resolved"),
    ProblemAction.VERIFY: pgettext_lazy("problem action", "Verify and close"),
    ProblemAction.REOPEN: pgettext_lazy("problem action", "Reopen"),
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
def round_plan(request: HttpRequest) -> HttpResponse:
    """Pick projects on the map or from the lagging list, see them ordered into a route with distances and
    times, and make the round whose itinerary is that route."""
    user = request.user
    scope = projects_for_user(user).select_related("unit")
    period = Period.current()
    lagging = list(
        project_selectors.ledger(user, {"lights": ["red", "yellow"], "sort": "light"}, period)[:LAGGING_SHOWN]
    )
    action = request.POST.get("action", "")
    plan_form = RoutePlanForm(request.POST or None, projects=scope)
    today = clock.today()
    departure = datetime.time(14, 0)  # the seeds' rounds set off after lunch
    defaults = {"year": today.year, "date": today, "start_time": departure}
    round_form = (
        RoundForm(request.POST, initial=defaults)
        if action == "create"
        else RoundForm(initial={**defaults, **request.POST.dict()})
    )
    stops: list = []
    if request.method == "POST" and plan_form.is_valid():
        stops = route.planned_stops(
            list(plan_form.cleaned_data["projects"]),
            departure=_time_or_none(request.POST.get("start_time", departure.isoformat())),
            stay_minutes=plan_form.cleaned_data["stay_minutes"],
        )
        if action == "create" and round_form.is_valid():
            try:
                rnd = services.round_from_route(
                    user=user,
                    data=round_form.cleaned_data,
                    visits=[(project, leg.arrival if leg else None) for project, leg in stops],
                )
            except ValidationError as exc:
                _apply_validation_error(round_form, exc)
            else:
                messages.success(request, _("The round is made with its itinerary in route order."))
                return redirect("supervision:round_itinerary", pk=rnd.pk)
    picked_ids = {str(pk) for pk in request.POST.getlist("projects")}
    lagging_ids = {str(p.pk) for p in lagging}
    context = {
        "plan_form": plan_form,
        "round_form": round_form,
        "lagging": lagging,
        "picked_ids": picked_ids,
        "picked_elsewhere": [project for project, _leg in stops if str(project.pk) not in lagging_ids],
        "stops": stops,
        "total_km": round(sum(leg.km for _project, leg in stops if leg), 1),
        "route_points": [
            [float(p.latitude), float(p.longitude), p.name] for p, leg in stops if leg is not None
        ],
        "points_url": reverse("projects:map_points"),
        **map_context(user),
    }
    return render(request, "supervision/round_plan.html", context)


def _time_or_none(text: str | None) -> datetime.time | None:
    try:
        return datetime.time.fromisoformat(text) if text else None
    except ValueError:
        return None


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
    visit_form = _visit_form(request.user)
    if request.method == "POST":
        if not request.user.is_office:
            raise Http404
        visit_form = _visit_form(request.user, request.POST, request.FILES)
        if visit_form.is_valid():
            try:
                services.visit_add(user=request.user, round=rnd, **visit_form.cleaned_data)
            except ValidationError as exc:
                _apply_validation_error(visit_form, exc)
            else:
                messages.success(request, _("The visit is added."))
                return redirect(rnd)
    visits = selectors.round_visits(rnd, request.user)
    return render(
        request, "supervision/round_detail.html", {"round": rnd, "visits": visits, "visit_form": visit_form}
    )


def _visit_form(user, *args) -> VisitForm:
    """The form adding a visit offers (and accepts) only the projects the office reads, not other districts'."""
    form = VisitForm(*args)
    field = cast(ModelChoiceField, form.fields["project"])
    field.queryset = cast(QuerySet, field.queryset).filter(pk__in=projects_for_user(user).values("pk"))
    return form


@office_required
def round_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = selectors.round_get_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.round_delete(user=request.user, round=rnd)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(rnd)
        messages.success(request, _("The round “%(title)s” is deleted.") % {"title": rnd.title})
        return redirect("supervision:round_list")
    return render(
        request,
        "supervision/confirm_delete.html",
        {
            "object_title": rnd.title,
            "problem_count": rnd.problems.count(),
            "visit_count": rnd.visits.count(),
            "cancel_url": rnd.get_absolute_url(),
        },
    )


@office_required
def visit_delete(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.visit_delete(user=request.user, visit=visit)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("“%(project)s” is taken off the itinerary.") % {"project": visit.project.name}
            )
        return redirect(visit.round)
    return render(
        request,
        "supervision/confirm_delete.html",
        {
            "object_title": f"{visit.round.title} · {visit.project.name}",
            "problem_count": visit.round.problems.filter(project_id=visit.project_id).count(),
            "cancel_url": visit.round.get_absolute_url(),
        },
    )


@business_user_required
def round_itinerary(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = selectors.round_get_for_user(request.user, pk)
    visits = selectors.round_visits(rnd, request.user)
    stops = [
        route.Stop(v.pk, float(v.project.longitude), float(v.project.latitude))
        for v in visits
        if v.project.longitude is not None and v.project.latitude is not None
    ]
    legs = {leg.key: leg for leg in route.route_legs(stops, departure=None)[1:]}  # from the placed one before
    return render(
        request,
        "supervision/round_itinerary.html",
        {"round": rnd, "visits": [(v, legs.get(v.pk)) for v in visits]},
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


def _urgency_labels(conf) -> dict[str, str]:
    return {value: badge.label for value, badge in conf.badges().items()}


def _problem_filter(request, conf) -> tuple[ProblemFilterForm, selectors.ProblemFilter]:
    form = ProblemFilterForm(request.GET or None, urgency_labels=_urgency_labels(conf), user=request.user)
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
            urgency=d["urgency"] or "",
        )
    return form, f


def _with_urgency(problems, today, conf):
    """Give each problem its 三色督办 colour (rules.urgency) and the district's badge for it."""
    badges = conf.badges()
    for p in problems:
        p.urgency = urgency(
            status=p.status,
            deadline=p.deadline,
            today=today,
            project_light=p.project.light,
            near_days=conf.near_days,
        )
        p.urgency_badge = badges.get(p.urgency)
    return problems


@business_user_required
def problem_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    conf = selectors.supervision_settings()
    form, f = _problem_filter(request, conf)
    page = Paginator(selectors.problem_list(request.user, f, today=today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _with_urgency(page.object_list, today, conf)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervision/problem_list.html",
        {
            "page": page,
            "form": form,
            "query_string": query.urlencode(),
            "today": today,
            "badges": conf.badges().values(),
            "near_days": conf.near_days,
        },
    )


@business_user_required
def problem_export(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    _form, f = _problem_filter(request, selectors.supervision_settings())
    problems = list(selectors.problem_list(request.user, f, today=today))
    data = problems_xlsx(problems, today=today)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="problems-{today:%Y%m%d}.xlsx"'
    response.audit_rows = len(problems)  # type: ignore[attr-defined]  # for the audit trail's export entry
    return response


def _conflict_page(request, *, problem: Problem, rows, retry_url: str) -> HttpResponse:
    """Someone changed the problem after this page was opened: show what is stored now next to what this person
    sent (rows of label, stored, mine); nothing of theirs was saved."""
    return render(
        request,
        "supervision/conflict.html",
        {
            "subject": str(problem),
            "rows": rows,
            "retry_url": retry_url,
            "back_url": problem.get_absolute_url(),
        },
        status=409,
    )


@office_required
def problem_create(request: HttpRequest) -> HttpResponse:
    initial: dict = {"raised_on": clock.today()}
    project_id, round_id, report_id = (request.GET.get(k, "") for k in ("project", "round", "report"))
    report = None
    mine = projects_for_user(request.user)
    if report_id.isdigit():
        report = (
            ProgressReport.objects.select_related("project").filter(pk=report_id, project__in=mine).first()
        )
        if report:
            initial.update(project=report.project, description=report.problems)
    if project_id.isdigit() and (
        project := mine.select_related("responsible_department").filter(pk=project_id).first()
    ):
        initial.update(project=project, responsible_leader=project.responsible_leader)
        if project.responsible_department:
            initial["lead_department"] = project.responsible_department
    if round_id.isdigit():
        rnd = selectors.round_get_for_user(request.user, int(round_id))
        initial.update(round=rnd, raised_on=rnd.date)
    initial["deadline"] = services.problem_default_deadline(initial["raised_on"])
    form = ProblemForm(request.POST or None, request.FILES or None, initial=initial, user=request.user)
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
    today = clock.today()
    conf = selectors.supervision_settings()
    _with_urgency([problem], today, conf)
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
            "form": TransitionForm(initial={"version": problem.version}),
            "orders": selectors.problem_orders(problem),
            "can_issue_order": request.user.is_office and problem.status in OPEN_STATUSES,
            "can_edit": cast(User, request.user).is_office,
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
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleEdit as stale:
            return _transition_conflict(request, form, stale.current)
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


def _transition_conflict(request, form, current: Problem) -> HttpResponse:
    history = selectors.problem_history(current)
    last = history[-1] if history else None
    stored_step = f"{last.get_action_display()} · {last.user or '—'}: {last.comment}" if last else ""
    mine = form.cleaned_data
    rows = [
        (_("Status"), current.get_status_display(), ACTION_BUTTONS.get(mine["action"], mine["action"])),
        (pgettext("problem", "Comment"), stored_step, mine["comment"]),
    ]
    return _conflict_page(request, problem=current, rows=rows, retry_url=current.get_absolute_url())


@office_required
def problem_edit(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_get_for_user(request.user, pk, write=True)
    form = ProblemEditForm(
        request.POST or None, initial=ProblemEditForm.initial_for(problem), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.problem_update(
                user=request.user, problem=problem, expected_version=form.cleaned_data["version"], **data
            )
        except services.StaleEdit as stale:
            current = stale.current
            stored = ProblemEditForm.initial_for(current)
            rows = [
                (form.fields[name].label, _shown(stored[name]), _shown(mine))
                for name, mine in data.items()
                if _shown(stored[name]) != _shown(mine)
            ]
            return _conflict_page(request, problem=current, rows=rows, retry_url=request.path)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("The problem is saved."))
            return redirect(problem)
    return render(request, "supervision/problem_edit.html", {"form": form, "problem": problem})


def _shown(value) -> str:
    """A form value as the conflict page shows it (departments by name, a list joined with 、)."""
    if isinstance(value, list | tuple) or hasattr(value, "model"):
        return "、".join(_shown(v) for v in value)
    if isinstance(value, Unit):
        return value.label
    return "" if value is None else str(value)


@business_user_required
def inbox(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    conf = selectors.supervision_settings()
    problems = _with_urgency(list(selectors.inbox_for(request.user, today=today)[:500]), today, conf)
    return render(
        request,
        "supervision/inbox.html",
        {"problems": problems, "today": today, "badges": conf.badges().values(), "near_days": conf.near_days},
    )


# --- formal orders ---------------------------------------------------------------------------------


@office_required
def order_create(request: HttpRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_get_for_user(request.user, pk, write=True)
    today = clock.today()
    initial = {"issued_on": today, "due_on": max(problem.deadline, today)}
    form = OrderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_issue(user=request.user, problem=problem, **form.cleaned_data)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(number)s is issued.") % {"number": order.number})
            return redirect(order)
    return render(request, "supervision/order_form.html", {"form": form, "problem": problem})


@business_user_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable order: A4, the office's red head, number, addressee, content and deadline."""
    order = selectors.order_get_for_user(request.user, pk)
    return render(request, "supervision/order_print.html", {"order": order, "problem": order.problem})


# --- categories and settings (office) --------------------------------------------------------------


@office_required
def categories(request: HttpRequest) -> HttpResponse:
    form = CategoryForm(request.POST or None, prefix="new")
    if request.method == "POST" and form.is_valid():
        try:
            category = services.category_create(
                user=request.user, name=form.cleaned_data["name"], order=form.cleaned_data["order"]
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("The category “%(name)s” is added.") % {"name": category.name})
            return redirect("supervision:categories")
    rows = [
        (c, CategoryForm(initial={"name": c.name, "order": c.order}, prefix=f"c{c.pk}"))
        for c in selectors.categories_for_office()
    ]
    return render(request, "supervision/categories.html", {"form": form, "rows": rows})


@require_POST
@office_required
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = selectors.category_get_for_user(request.user, pk)
    try:
        if "active" in request.POST:
            active = request.POST["active"] == "1"
            services.category_set_active(user=request.user, category=category, active=active)
            text = (
                _("“%(name)s” is offered again.")
                if active
                else _("“%(name)s” is no longer offered for new problems.")
            )
            messages.success(request, text % {"name": category.name})
        else:
            form = CategoryForm(request.POST, prefix=f"c{category.pk}")
            if not form.is_valid():
                raise ValidationError([m for errors in form.errors.values() for m in errors])
            services.category_rename(
                user=request.user,
                category=category,
                name=form.cleaned_data["name"],
                order=form.cleaned_data["order"],
            )
            messages.success(request, _("The category is saved as “%(name)s”.") % {"name": category.name})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("supervision:categories")


@office_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    form = SupervisionSettingsForm(request.POST or None, instance=selectors.supervision_settings())
    if request.method == "POST" and form.is_valid():
        try:
            services.supervision_settings_save(
                user=request.user, data={f: form.cleaned_data[f] for f in form.Meta.fields}
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("supervision:settings")
    return render(request, "supervision/settings.html", {"form": form})


STATS_YEARS = (2000, 2100)


@business_user_required
def stats(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    try:
        year = int(request.GET.get("year") or today.year)
        until = datetime.date.fromisoformat(request.GET["until"]) if request.GET.get("until") else None
    except ValueError:
        messages.error(request, _("Give the year as 2020 and the date as 2020-12-31."))
        year, until = today.year, None
    if not STATS_YEARS[0] <= year <= STATS_YEARS[1]:
        messages.error(
            request,
            _("Statistics cover the years %(first)s to %(last)s; showing %(year)s.")
            % {"first": STATS_YEARS[0], "last": STATS_YEARS[1], "year": today.year},
        )
        year, until = today.year, None
    until = until or min(today, datetime.date(year, 12, 31))
    visible = selectors.problem_stats_for_user(request.user, year=year, until=until)
    units = Unit.objects.all()

    def rows(stats):
        return None if stats is None else [(u, stats[u.pk]) for u in units if u.pk in stats]

    unit_rows, department_rows = rows(visible.by_unit), rows(visible.by_department)
    return render(
        request,
        "supervision/stats.html",
        {
            "year": year,
            "until": until,
            "first_year": STATS_YEARS[0],
            "last_year": STATS_YEARS[1],
            "unit_rows": unit_rows,
            "department_rows": department_rows,
            "department_chart": closure_chart([(u.label, s) for u, s in department_rows or []]),
            "unit_chart": closure_chart([(u.label, s) for u, s in unit_rows or []]),
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
    """The one way to an uploaded file: checked like the visit or problem it belongs to (404 otherwise).

    With DUCHA_X_ACCEL_REDIRECT_PREFIX set (e.g. "/protected/"), nginx sends the file from its `internal`
    location; otherwise Django streams it.
    """
    att = selectors.attachment_get_for_user(request.user, pk)
    if not att.file or not att.file.storage.exists(att.file.name):
        raise Http404
    prefix = settings.DUCHA_X_ACCEL_REDIRECT_PREFIX
    if prefix:
        response = HttpResponse(
            content_type=mimetypes.guess_type(att.original_name)[0] or "application/octet-stream"
        )
        response["Content-Disposition"] = content_disposition_header(not att.is_image, att.original_name)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(att.file.name)
    else:
        response = FileResponse(
            att.file.open("rb"), filename=att.original_name, as_attachment=not att.is_image
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response
