from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a signed-in person lands: auditors go to the audit trail, everyone else sees the cockpit."""
    if request.user.is_auditor:
        return redirect("accounts:audit")
    from ducha.cockpit.views import cockpit

    return cockpit(request)


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
