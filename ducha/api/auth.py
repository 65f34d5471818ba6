from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from ducha.core.audit import audit_actor_set

from .models import ApiToken, hash_key


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`; the request then acts as the token's user, with that user's scope."""

    def authenticate(self, request, token):
        api_token = (
            ApiToken.objects.select_related("user", "user__unit")
            .filter(key_hash=hash_key(token), revoked=False, user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        audit_actor_set(api_token.user)  # the middleware saw no user: the token names it
        return api_token.user


def business_user(request):
    """The token's user, refused when it may read no business data (auditors)."""
    if request.auth.is_auditor:
        raise HttpError(403, "auditors have no access to business data")
    return request.auth


def office_user(request):
    if not request.auth.is_office:
        raise HttpError(403, "only the office may do this")
    return request.auth
