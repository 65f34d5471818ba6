from typing import cast

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from ducha.accounts.models import User


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a signed-in person lands: business users see the cockpit, the audit administrator the audit trail,
    the system and security administrators the administration site."""
    user = cast(User, request.user)  # signed in: login_required
    if user.is_auditor:
        return redirect("accounts:audit")
    if user.is_system_admin or user.is_security_admin:
        return redirect("admin:index")
    if not user.is_business_user:
        return render(request, "ducha/no_role.html", status=403)
    from ducha.cockpit.views import cockpit

    return cockpit(request)


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def favicon(request: HttpRequest) -> HttpResponse:
    """`/favicon.ico`, asked for by browsers on pages without a `<link rel=icon>` (prints, downloads) and by
    feed readers: the static file, which WhiteNoise (or nginx) serves with its caching."""
    return redirect(static("ducha/favicon.ico"))
