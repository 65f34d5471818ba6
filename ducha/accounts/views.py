import json
from datetime import date
from io import BytesIO

import segno
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessLog
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ducha.core.audit import (
    AUDIT_ACTIONS,
    AUDIT_EVENTS,
    audit_event,
    audit_event_details,
    audit_event_label,
    audit_names_prefetch,
)
from ducha.core.audit_chain import audit_chain_verify

from . import services
from .access import audit_reader_required
from .forms import OtpCodeForm, StyledPasswordChangeForm
from .middleware import two_factor_required


def _audit_entries(params):
    """The trail filtered by ?user= (user name), ?event= (created/updated/deleted/an event name),
    ?q= (object), ?since= and ?until= (dates)."""
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if user := params.get("user", "").strip():
        entries = entries.filter(actor__username=user)
    if event := params.get("event", "").strip():
        actions = {
            "created": LogEntry.Action.CREATE,
            "updated": LogEntry.Action.UPDATE,
            "deleted": LogEntry.Action.DELETE,
        }
        entries = (
            entries.filter(action=actions[event])
            if event in actions
            else entries.filter(action=LogEntry.Action.ACCESS, additional_data__event=event)
        )
    if q := params.get("q", "").strip():
        entries = entries.filter(object_repr__icontains=q)
    for name, lookup in (("since", "timestamp__date__gte"), ("until", "timestamp__date__lte")):
        try:
            day = date.fromisoformat(params.get(name, ""))
        except ValueError:
            continue
        entries = entries.filter(**{lookup: day})
    return entries


@audit_reader_required
def audit_trail(request: HttpRequest) -> HttpResponse:
    entries = _audit_entries(request.GET)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.event_label = audit_event_label(entry)
        entry.event_details = audit_event_details(entry)
    audit_names_prefetch(page)
    audit_event("audit_read", request=request, user=request.user, filters=request.GET.urlencode()[:500])
    return render(
        request,
        "accounts/audit_trail.html",
        {
            "page": page,
            "params": request.GET,
            "chain": audit_chain_verify(),
            "event_choices": [
                ("created", AUDIT_ACTIONS[0]),
                ("updated", AUDIT_ACTIONS[1]),
                ("deleted", AUDIT_ACTIONS[2]),
                *AUDIT_EVENTS.items(),
            ],
            "query": request.GET.urlencode(),
        },
    )


@audit_reader_required
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered trail as .xlsx (the download itself is recorded by the audit middleware)."""
    from openpyxl import Workbook

    from ducha.lib.xlsx import append_header, column_width, safe_row, sheet_filter, sheet_layout

    entries = list(_audit_entries(request.GET)[:100_000])
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Audit trail"))
    header = [
        _("Time"),
        _("Who"),
        _("Action"),
        _("Kind"),
        _("Object"),
        _("Changes"),
        _("Address"),
        _("Request"),
    ]
    contents = [19, 16, 10, 12, 30, 60, 15, 12]  # Latin characters (a Chinese one is two)
    sheet_layout(sheet, [column_width(title, width) for title, width in zip(header, contents, strict=True)])
    append_header(sheet, header)
    for e in entries:
        local = timezone.localtime(e.timestamp).strftime("%Y-%m-%d %H:%M:%S")
        sheet.append(
            safe_row([local, str(e.actor or ""), audit_event_label(e), e.content_type.name if e.content_type else "",
                      e.object_repr, json.dumps(e.changes, ensure_ascii=False) if e.changes else "", e.remote_addr or "",
                      e.cid or ""])
        )  # fmt: skip
    sheet_filter(sheet, columns=len(header), rows=len(entries))
    out = BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.xlsx"'
    response.audit_rows = len(entries)  # type: ignore[attr-defined]
    return response


@audit_reader_required
def login_trail(request: HttpRequest) -> HttpResponse:
    logins = Paginator(AccessLog.objects.order_by("-attempt_time"), 50).get_page(request.GET.get("page"))
    failures = AccessAttempt.objects.order_by("-attempt_time")[:100]
    return render(request, "accounts/login_trail.html", {"page": logins, "failures": failures})


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (scan, then confirm a code; backup codes are shown once) or off."""
    enabled = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        try:
            if enabled:
                services.totp_disable(user=request.user, token=token)
            else:
                codes = services.totp_confirm(request=request, token=token)
        except ValidationError as exc:
            form.add_error("token", exc.message_dict["token"])
        else:
            if enabled:
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("accounts:two_factor")
            messages.success(request, _("Two-factor sign-in is on."))
            return render(request, "accounts/backup_codes.html", {"codes": codes})
    context = {"enabled": enabled, "form": form, "required": two_factor_required(request.user)}
    if not enabled:
        device = services.totp_setup_device(
            user=request.user, key=services.totp_pending_key(session=request.session)
        )
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/two_factor.html", context)


class PasswordChange(auth_views.PasswordChangeView):
    """Every role changes its own password here; this session stays, the user's other sessions end."""

    template_name = "accounts/password_change.html"
    form_class = StyledPasswordChangeForm
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        services.password_set(
            user=self.request.user,
            password=form.cleaned_data["new_password1"],
            by=self.request.user,
            request=self.request,
        )
        messages.success(self.request, _("Your password was changed."))
        return redirect(self.get_success_url())
