"""Writes of the API app: issuing and revoking tokens. Both are recorded in the audit trail."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ducha.core.audit import acting_as

from .models import MAX_TOKEN_DAYS, ApiToken, default_token_days
from .selectors import api_token_holder


@transaction.atomic
def api_token_issue(
    *, user, name: str, days: int | None = None, read_only: bool = False
) -> tuple[ApiToken, str]:
    """A new token for `user`, valid for `days` (DUCHA_API_TOKEN_DAYS when not given, at most a year).

    Returns the token and its key; the key is shown once and only its hash is kept.
    """
    if not api_token_holder(user):
        raise ValidationError(_("This account works with no business data and may not hold an API token."))
    days = default_token_days() if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError({"days": _("A token lasts from 1 to %(max)d days.") % {"max": MAX_TOKEN_DAYS}})
    return ApiToken.issue(user=user, name=name.strip(), days=days, read_only=read_only)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke `token` for good, recorded as `by`'s doing; revoking a revoked token changes nothing."""
    if token.revoked:
        return token
    token.revoked = True
    with acting_as(by):
        token.save(update_fields=["revoked"])
    return token
