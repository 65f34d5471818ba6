from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ducha.accounts.access import business_user_required, office_required
from ducha.lib import clock
from ducha.units.models import PeerGroup

from . import selectors, services
from .choices import Source, Status
from .explain import explain_item, explain_total
from .export import evaluation_xlsx
from .forms import ComputeForm, ItemFormSet, ManualScoreGridForm, PeerGroupForm, SchemeCreateForm, SchemeForm


@business_user_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    evaluations = selectors.evaluations_for_user(request.user)
    schemes = selectors.schemes_of_office(request.user)
    form = (
        ComputeForm(schemes=schemes, initial={"scheme": schemes.first()}) if request.user.is_office else None
    )
    return render(request, "evaluation/list.html", {"evaluations": evaluations, "form": form})


@office_required
@require_POST
def compute(request: HttpRequest) -> HttpResponse:
    form = ComputeForm(request.POST, schemes=selectors.schemes_of_office(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose a scheme and a period."))
        return redirect("evaluation:list")
    try:
        evaluation = services.evaluation_compute(
            scheme=form.cleaned_data["scheme"], month=form.cleaned_data["month"], user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("evaluation:list")
    messages.success(request, _("A draft was computed. Check it, then publish it."))
    return redirect("evaluation:detail", evaluation.pk)


@business_user_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get_for_user(request.user, pk)
    results = selectors.evaluation_results(evaluation)
    groups: dict[str, list] = {}
    for view in results:
        groups.setdefault(view.result.peer_group, []).append(
            {
                "result": view.result,
                "items": [(item, explain_item(item)) for item in view.items],
                "total_formula": explain_total(view.items, view.result.total),
            }
        )
    return render(
        request,
        "evaluation/detail.html",
        {
            "evaluation": evaluation,
            "groups": [
                (PeerGroup(key).label if key in PeerGroup.values else key, rows)
                for key, rows in groups.items()
            ],
            "columns": evaluation.snapshot.get("items", []),
            "changes": selectors.evaluation_diff(evaluation),
            "is_draft": evaluation.status == Status.DRAFT,
        },
    )


@business_user_required
def detail_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation's results and flags as on its page, as an .xlsx workbook."""
    evaluation = selectors.evaluation_get_for_user(request.user, pk)
    results = selectors.evaluation_results(evaluation)
    response = HttpResponse(
        evaluation_xlsx(evaluation, results),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    period = evaluation.period
    response["Content-Disposition"] = (
        f'attachment; filename="evaluation-{evaluation.pk}-{period.year}-{period.month:02d}.xlsx"'
    )
    response.audit_rows = len(results)  # type: ignore[attr-defined]  # for the audit trail's export entry
    return response


@office_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get_for_user(request.user, pk, write=True)
    try:
        services.evaluation_publish(evaluation=evaluation, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Published. The results are now frozen."))
    return redirect("evaluation:detail", evaluation.pk)


@office_required
@require_POST
def recompute(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get_for_user(request.user, pk, write=True)
    draft = services.evaluation_recompute(evaluation=evaluation, user=request.user)
    messages.info(
        request, _("A new draft was computed from today's data; the published evaluation is unchanged.")
    )
    return redirect("evaluation:detail", draft.pk)


@business_user_required
def unit_history(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = selectors.unit_get_for_history(request.user, unit_pk)
    return render(
        request, "evaluation/unit_history.html", {"unit": unit, "results": selectors.unit_flag_history(unit)}
    )


# ---------------------------------------------------------------- schemes (office)


@office_required
@require_http_methods(["GET", "POST"])
def schemes(request: HttpRequest) -> HttpResponse:
    latest = selectors.schemes_of_office(request.user).order_by("-year").first()
    next_year = (latest.year + 1) if latest else clock.today().year
    form = SchemeCreateForm(
        request.POST or None,
        initial={"year": next_year, "name": _("%(year)s key work evaluation") % {"year": next_year}},
    )
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.scheme_create(
                year=form.cleaned_data["year"], name=form.cleaned_data["name"], user=request.user
            )
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, _("Scheme %(year)s created. Check its items.") % {"year": scheme.year})
            return redirect("evaluation:scheme_edit", scheme.pk)
    return render(
        request,
        "evaluation/schemes.html",
        {"schemes": selectors.schemes_for_office(request.user), "form": form, "copy_from": latest},
    )


@office_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_get_for_office(request.user, pk)
    units, _counts_for = selectors.evaluated_units(scheme)  # the scheme's own units, not other regions'
    data = request.POST if request.method == "POST" else None
    form = SchemeForm(data, instance=scheme)
    items = ItemFormSet(data, instance=scheme, prefix="items")
    groups = PeerGroupForm(data, units=units, groups=selectors.scheme_peer_groups(scheme))
    problems: list[str] = []
    if request.method == "POST":
        if form.is_valid() and items.is_valid() and groups.is_valid():
            try:
                services.scheme_save(
                    scheme=form.save(commit=False),
                    items=items.kept_items(),
                    deleted=items.deleted_items(),
                    peer_groups=groups.groups(),
                    user=request.user,
                )
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(request, _("Scheme saved."))
                return redirect("evaluation:scheme_edit", scheme.pk)
        else:
            problems = [_("Nothing was saved. Correct the marked fields.")]
    return render(
        request,
        "evaluation/scheme_edit.html",
        {
            "scheme": scheme,
            "form": form,
            "items": items,
            "groups": groups,
            "problems": problems,
            "has_manual": scheme.items.filter(source=Source.MANUAL).exists(),
        },
    )


@office_required
@require_http_methods(["GET", "POST"])
def manual_scores(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_get_for_office(request.user, pk)
    try:
        month = int(request.GET.get("month", ""))
    except ValueError:
        month = 12
    month = month if 1 <= month <= 12 else 12
    items, units, stored = selectors.manual_score_grid(scheme=scheme, month=month)
    form = ManualScoreGridForm(request.POST or None, items=items, units=units, stored=stored)
    if request.method == "POST":
        if form.is_valid():
            try:
                saved, removed = services.manual_scores_save(
                    scheme=scheme, month=month, scores=form.scores(), user=request.user
                )
            except ValidationError as exc:
                for problem in exc.messages:
                    form.add_error(None, problem)
            else:
                messages.success(
                    request,
                    _("Manual scores saved: %(stored)s set, %(removed)s removed.")
                    % {"stored": saved, "removed": removed},
                )
                return redirect(f"{reverse('evaluation:manual_scores', args=[scheme.pk])}?month={month}")
        else:
            messages.error(request, _("Nothing was saved. Correct the marked cells."))
    return render(
        request,
        "evaluation/manual_scores.html",
        {"scheme": scheme, "month": month, "months": range(1, 13), "form": form, "items": items},
    )
