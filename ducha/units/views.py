from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ducha.accounts.access import business_user_required, units_visible_to
from ducha.projects import selectors as project_selectors

LISTED_PROJECTS = 50  # the unit's largest projects; the rest are counted and linked to its ledger
UNITS_PER_PAGE = 50  # a district's units fit one page; a province's are paged


@business_user_required
def unit_list(request: HttpRequest) -> HttpResponse:
    period = project_selectors.period_from_params(request.GET)
    page = Paginator(units_visible_to(request.user), UNITS_PER_PAGE).get_page(request.GET.get("page"))
    rows = project_selectors.unit_completion_rows(list(page.object_list), period)
    return render(
        request,
        "units/unit_list.html",
        {
            "rows": rows,
            "period": period,
            "page": page,
            "query_string": urlencode({"year": period.year, "month": period.month}),
        },
    )


@business_user_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = units_visible_to(request.user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    period = project_selectors.period_from_params(request.GET)
    (row,) = project_selectors.unit_completion_rows([unit], period)
    ledger = project_selectors.ledger(request.user, {"unit": unit}, period)
    projects = list(ledger[:LISTED_PROJECTS])
    # Counted only when the list is full (the user may see fewer projects than the unit has).
    more = ledger.count() - len(projects) if len(projects) == LISTED_PROJECTS else 0
    query = urlencode({"unit": unit.pk, "year": period.year, "month": period.month})
    return render(
        request,
        "units/unit_detail.html",
        {
            "unit": unit,
            "row": row,
            "period": period,
            "projects": projects,
            "more": more,
            "ledger_url": f"{reverse('projects:list')}?{query}",
            "lights": project_selectors.light_labels(),
        },
    )
