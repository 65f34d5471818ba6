from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ducha.accounts.access import office_required, units_visible_to
from ducha.projects.selectors import project_get_for_user

from . import selectors, services
from .choices import FactKind, FactStatus
from .forms import ImportForm, IndicatorFactForm, ProjectFactForm

FACTS_PER_PAGE = 50
SESSION_UNIT = "extraction_unit"


@office_required
def document_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    page = Paginator(selectors.document_list(request.user, q), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "extraction/document_list.html",
        {"page": page, "q": q, "query_string": urlencode({"q": q}) if q else ""},
    )


@office_required
def document_new(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_import(
                text=data["content"],
                user=request.user,
                title=data["title"],
                source_name=data["source_name"],
                doc_date=data["doc_date"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            stored = document.facts.count()
            found = sum(len(document.extraction.get(key) or []) for key, _kind in services.KINDS)
            messages.success(request, _("%(n)s facts found; review them below.") % {"n": stored})
            if found > stored:
                messages.warning(
                    request,
                    _("The report holds %(found)s facts; only the first %(stored)s are kept for review.")
                    % {"found": found, "stored": stored},
                )
            return redirect(document)
    limit = settings.DUCHA_MAX_UPLOAD_BYTES
    return render(
        request,
        "extraction/document_new.html",
        {"form": form, "max_bytes": limit, "max_mb": f"{limit / 2**20:.1f}"},
    )


def _review_context(request: HttpRequest, document) -> dict:
    units = list(units_visible_to(request.user))  # the office's own region's areas, not every region's
    return {
        "document": document,
        "units": units,
        "default_unit": request.session.get(SESSION_UNIT),
        "FactStatus": FactStatus,
        "FactKind": FactKind,
    }


@office_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(request.user, pk)
    kind = request.GET.get("kind") if request.GET.get("kind") in FactKind.values else None
    page = Paginator(selectors.document_facts(document, kind), FACTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "extraction/document_detail.html",
        {
            **_review_context(request, document),
            "page": page,
            "rows": selectors.review_rows(list(page.object_list), document.doc_date, request.user),
            "kind": kind,
            "counts": selectors.fact_counts(document),
            "kinds": FactKind.choices,
            "query_string": urlencode({"kind": kind}) if kind else "",
        },
    )


def _review(request: HttpRequest, fact, action: str) -> None:
    """Apply the reviewer's decision; a ValidationError says what was wrong."""
    user = request.user
    if action == "reject":
        services.fact_reject(fact=fact, user=user)
    elif action == "reopen":
        services.fact_reopen(fact=fact, user=user)
    elif fact.kind == FactKind.PROJECT and action.startswith("link-") and action[5:].isdigit():
        project = project_get_for_user(user, int(action[5:]))
        services.project_fact_link(fact=fact, project=project, user=user)
    elif fact.kind == FactKind.PROJECT and action == "create":
        form = ProjectFactForm(request.POST)
        form.fields["unit"].queryset = units_visible_to(user)  # type: ignore[attr-defined]  # no other region's
        if not form.is_valid() or form.cleaned_data["unit"] is None:
            errors = [f"{form.fields[name].label}: {' '.join(e)}" for name, e in form.errors.items()]
            raise ValidationError(errors or [_("Choose the unit the new project belongs to.")])
        data = form.cleaned_data
        request.session[SESSION_UNIT] = data["unit"].pk
        services.project_fact_create(
            fact=fact,
            user=user,
            unit=data["unit"],
            name=data["name"],
            company=data["company"],
            total_investment=data["total_investment"],
            currency=data["currency"],
            annual_revenue=data["annual_revenue"],
            revenue_currency=data["revenue_currency"],
        )
    elif fact.kind == FactKind.INDICATOR and action == "accept":
        form = IndicatorFactForm(request.POST)
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[name].label}: {' '.join(e)}" for name, e in form.errors.items()]
            )
        services.indicator_fact_accept(fact=fact, user=user, **form.cleaned_data)
    elif action == "accept":
        services.fact_accept(fact=fact, user=user)
    else:
        raise ValidationError(_("Unknown action."))


@office_required
@require_POST
def fact_review(request: HttpRequest, pk: int, fact_pk: int) -> HttpResponse:
    document = selectors.document_get_for_user(request.user, pk)
    fact = selectors.fact_get_for_user(request.user, document, fact_pk)
    errors: list[str] = []
    try:
        _review(request, fact, request.POST.get("action", ""))
    except ValidationError as error:
        errors = error.messages
        fact.refresh_from_db()
    if request.htmx:
        fact = selectors.document_facts(document).get(pk=fact.pk)
        row = selectors.review_rows([fact], document.doc_date, request.user)[0]
        return render(
            request,
            "extraction/_fact.html",
            {**_review_context(request, document), "row": row, "errors": errors},
        )
    for message in errors:
        messages.error(request, message)
    return redirect(reverse("extraction:detail", args=[document.pk]) + f"#fact-{fact.pk}")
