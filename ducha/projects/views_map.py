"""The projects on one map: the page, and its points as JSON for the page, the cockpit and the round planner."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from ducha.accounts.access import business_user_required

from . import selectors
from .maps import map_context
from .views import ledger_rows_for

# The ledger filters the map offers (the same form and rules as the ledger's, fewer of its fields).
MAP_FILTERS = ("q", "region", "unit", "industry", "level", "stage", "light")


@business_user_required
def project_map(request: HttpRequest) -> HttpResponse:
    form, period, _projects = ledger_rows_for(request.user, request.GET)
    query = request.GET.urlencode()
    context = {
        "form": form,
        "fields": [form[name] for name in MAP_FILTERS if name in form.fields],
        "period": period,
        "points_url": reverse("projects:map_points") + (f"?{query}" if query else ""),
        **map_context(request.user),
    }
    return render(request, "projects/project_map.html", context)


@business_user_required
def project_map_points(request: HttpRequest) -> JsonResponse:
    """The placed projects the ledger filters select (several ?light= at once: the cockpit's red and yellow)."""
    # Not `whole`: the points read the month's light of the rows they return only (DUCHA_MAP_MAX_POINTS at most),
    # by the unique index, instead of joining every project's month (a second at 100,000 projects).
    _form, _period, projects = ledger_rows_for(request.user, request.GET)
    found = selectors.map_points(projects)
    return JsonResponse(
        {
            "points": found.points,
            "total": found.total,
            "placed": found.placed,
            "truncated": found.truncated,
            "ledger": reverse("projects:list") + (f"?{request.GET.urlencode()}" if request.GET else ""),
        }
    )
