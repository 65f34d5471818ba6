from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessLog
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import audit_reader_required


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
