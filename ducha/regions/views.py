from django.http import Http404, HttpRequest, JsonResponse

from ducha.accounts.access import business_user_required

from .models import Region


@business_user_required
def boundaries(request: HttpRequest, code: str) -> JsonResponse:
    """The bundled outline of a region and of its divisions (public geography, read by every map)."""
    from .boundaries import region_geojson  # the bundled geometry is read on the first map only

    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    return JsonResponse(region_geojson(region))
