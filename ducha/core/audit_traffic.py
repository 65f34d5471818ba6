"""Audit events that no model change records: downloads (exports) and refusals of protected objects.

Views may say how many rows a download holds with `response.audit_rows = n`.
"""

from __future__ import annotations

from .audit import audit_event


class AuditTrafficMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith("/static/"):
            return response
        disposition = response.get("Content-Disposition", "")
        if response.status_code == 200 and disposition:
            audit_event(
                "export",
                request=request,
                user=user,
                path=request.path,
                query=request.GET.urlencode()[:500],
                file=disposition[:200],
                rows=getattr(response, "audit_rows", None),
            )
        elif response.status_code in (403, 404) and _protected_object(request):
            audit_event("denied", request=request, user=user, path=request.path, status=response.status_code)
        return response


def _protected_object(request) -> bool:
    """A URL naming an object (/projects/16/, /api/projects/16): refusing it is worth recording."""
    match = getattr(request, "resolver_match", None)
    return bool(match and (match.kwargs or match.args)) or request.path.startswith("/admin/")
