"""The office imports a whole ledger from Excel: upload → preview with row-level problems → confirm, which queues
a background job (ducha.jobs) that stores the ledger while its page shows the progress."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ducha.accounts.access import office_required
from ducha.core.forms import StyledFormMixin
from ducha.jobs.choices import JobKind
from ducha.jobs.services import job_enqueue, job_pending

from . import selectors, spreadsheets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
KEEP_SECONDS = 24 * 3600


class LedgerUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("Ledger workbook (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.DUCHA_MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.")
                % {"mb": round(settings.DUCHA_MAX_IMPORT_BYTES / 1024 / 1024, 1)}
            )
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("The file is not an .xlsx workbook. Save it from Excel as .xlsx and upload it again.")
            )
        return upload


def _stash_dir() -> Path:
    folder = Path(settings.DUCHA_PRIVATE_ROOT) / "project-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stash(user, upload) -> str:
    """Keep the uploaded file between the preview and the confirmation, under a random name."""
    folder = _stash_dir()
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    with open(folder / f"{user.pk}-{token}.xlsx", "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token


def stashed_upload(user, token: str) -> Path | None:
    """The user's file kept since the preview (None when the token is malformed, another user's, or expired)."""
    if not TOKEN_RE.match(token or ""):
        return None
    path = _stash_dir() / f"{user.pk}-{token}.xlsx"
    return path if path.exists() else None


@office_required
def ledger_template(request: HttpRequest) -> HttpResponse:
    year = selectors.current_period().year
    response = HttpResponse(spreadsheets.ledger_template_xlsx(year=year), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ducha-ledger-template-{year}.xlsx"'
    return response


@office_required
@require_http_methods(["GET", "POST"])
def ledger_import(request: HttpRequest) -> HttpResponse:
    form = LedgerUploadForm()
    context: dict = {"form": form}
    if request.method == "POST" and "token" in request.POST:
        token = request.POST["token"]
        if stashed_upload(request.user, token) is None:
            messages.error(request, _("The uploaded file has expired; upload it again."))
            return redirect("projects:import")
        # Storing a large ledger takes minutes: `ducha worker` stores it while the job page shows the progress.
        params = {"token": token}
        job = job_pending(user=request.user, kind=JobKind.LEDGER_IMPORT, params=params) or job_enqueue(
            kind=JobKind.LEDGER_IMPORT, user=request.user, params=params
        )
        return redirect(job)
    elif request.method == "POST":
        form = LedgerUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            ledger = spreadsheets.ledger_read(upload)
            context["ledger"] = ledger
            if ledger.ok and (ledger.created or ledger.updated):
                upload.seek(0)
                context["token"] = _stash(request.user, upload)
    return render(request, "projects/project_import.html", context)
