from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.accounts.access import business_user_required, office_required
from ducha.units.models import PeerGroup

from . import selectors, services
from .choices import Status
from .explain import explain_item, explain_total
from .forms import ComputeForm
from .models import Scheme


@business_user_required
def evaluation_list(request: HttpRequest) -> HttpResponse:
    evaluations = selectors.evaluations_for_user(request.user)
    form = ComputeForm(initial={"scheme": Scheme.objects.first()}) if request.user.is_office else None
    return render(request, "evaluation/list.html", {"evaluations": evaluations, "form": form})


@office_required
@require_POST
def compute(request: HttpRequest) -> HttpResponse:
    form = ComputeForm(request.POST)
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


@office_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get_for_user(request.user, pk)
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
    evaluation = selectors.evaluation_get_for_user(request.user, pk)
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
