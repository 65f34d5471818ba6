"""The projects on one map: the page, and its points as JSON for the page, the cockpit and the round planner."""

from decimal import Decimal

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from ducha.accounts.access import business_user_required

from . import selectors
from .choices import Light
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
    """The placed projects the ledger filters select (several ?light= at once: the cockpit's red and yellow), the
    largest DUCHA_MAP_MAX_POINTS; with ?bbox=west,south,east,north (the map's view) those in it, and with
    ?counted=1 how many there are (the map page's summary; the cockpit and the round planner show none)."""
    # Not `whole`: the points read the month's figures of the rows they walk only. The lights are the selector's
    # to filter by (each walked project's month joined), not the ledger's (the list of every red one).
    ledger = request.GET.copy()  # the filters, for the ledger's link too
    for name in ("bbox", "counted"):
        ledger.pop(name, None)
    filters = ledger.copy()
    lights = [light for light in filters.pop("light", []) if light in Light.values]
    _form, period, projects = ledger_rows_for(request.user, filters)
    found = selectors.map_points(
        projects,
        period,
        box=_box(request.GET.get("bbox", "")),
        lights=lights,
        counted=request.GET.get("counted") == "1",
    )
    return JsonResponse(
        {
            "points": found.points,
            "truncated": found.truncated,
            "counted_up_to": found.counted_up_to,
            "total": found.total,
            "placed": found.placed,
            "in_view": found.in_view,
            "ledger": reverse("projects:list") + (f"?{ledger.urlencode()}" if ledger else ""),
        }
    )


def _box(text: str) -> selectors.Box | None:
    """?bbox=west,south,east,north in degrees (Leaflet's toBBoxString), clamped to the globe; None when absent
    or not four numbers in that order (the whole selection then)."""
    try:
        west, south, east, north = (Decimal(part) for part in text.split(","))
    except (ValueError, ArithmeticError):
        return None
    if not all(value.is_finite() for value in (west, south, east, north)) or west > east or south > north:
        return None
    return selectors.Box(
        west=max(west, Decimal(-180)),
        south=max(south, Decimal(-90)),
        east=min(east, Decimal(180)),
        north=min(north, Decimal(90)),
    )
