"""The API tokens page: users issue, list and revoke their own tokens; the security administrator sees all."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import ApiTokenForm


def token_page_required(view):
    """Token holders and the security administrator; the sign-in page for visitors, 403 for everyone else."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (selectors.api_token_holder(user) or selectors.api_token_manager(user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@never_cache  # the new key is in the page
@token_page_required
def token_list(request: HttpRequest) -> HttpResponse:
    may_issue = selectors.api_token_holder(request.user)
    form = ApiTokenForm(request.POST or None) if may_issue else None
    new_key = None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                _token, new_key = services.api_token_issue(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
                for field, field_errors in errors.items():
                    form.add_error(field if field in form.fields else None, field_errors)
            else:
                form = ApiTokenForm()
    page = Paginator(selectors.api_tokens_visible_to(request.user), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "new_key": new_key,
        "all_users": selectors.api_token_manager(request.user),
    }
    return render(request, "api/tokens.html", context)


@require_POST
@token_page_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_get_for_user(request.user, pk)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
