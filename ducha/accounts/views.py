import segno
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessLog
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .access import audit_reader_required
from .forms import OtpCodeForm


@audit_reader_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    if q := request.GET.get("q", "").strip():
        entries = entries.filter(object_repr__icontains=q)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_trail.html", {"page": page, "q": q})


@audit_reader_required
def login_trail(request: HttpRequest) -> HttpResponse:
    logins = Paginator(AccessLog.objects.order_by("-attempt_time"), 50).get_page(request.GET.get("page"))
    failures = AccessAttempt.objects.order_by("-attempt_time")[:100]
    return render(request, "accounts/login_trail.html", {"page": logins, "failures": failures})


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (scan, then confirm a code) or off (with a current code)."""
    enabled = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = services.totp_disable if enabled else services.totp_confirm
        try:
            action(user=request.user, token=form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error("token", exc.message_dict["token"])
        else:
            messages.success(
                request, _("Two-factor sign-in is off.") if enabled else _("Two-factor sign-in is on.")
            )
            return redirect("accounts:two_factor")
    context = {"enabled": enabled, "form": form}
    if not enabled:
        device = services.totp_device_pending(user=request.user)
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/two_factor.html", context)
