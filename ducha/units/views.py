from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ducha.accounts.access import business_user_required, units_visible_to
from ducha.projects import selectors as project_selectors


@business_user_required
def unit_list(request: HttpRequest) -> HttpResponse:
    period = project_selectors.period_from_params(request.GET)
    units = list(units_visible_to(request.user))
    rows = project_selectors.unit_completion_rows(units, period)
    return render(request, "units/unit_list.html", {"rows": rows, "period": period})


@business_user_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = units_visible_to(request.user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    period = project_selectors.period_from_params(request.GET)
    (row,) = project_selectors.unit_completion_rows([unit], period)
    projects = project_selectors.ledger(request.user, {"unit": unit}, period)
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            "row": row,
            "period": period,
            "projects": projects,
            "lights": project_selectors.light_labels(),
        },
    )
