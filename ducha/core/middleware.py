"""Response headers that hold for the whole site."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
    """Nothing a signed-in user receives is kept by the browser or a proxy: pages, htmx partials and downloads
    (.xlsx, .docx, attachments) carry `Cache-Control: no-store` (with `Pragma: no-cache` for HTTP/1.0 caches),
    so business data does not outlive the session on a shared office computer.

    Static files never get here: WhiteNoise answers them earlier and they keep their caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"
        return response
