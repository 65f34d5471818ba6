from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from ducha.core.audit import audit_actor_set

from .models import ApiToken, hash_key

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <key>`; the request then acts as the token's user, with that user's scope.

    Unknown, revoked and expired tokens get 401; a read-only token gets 403 for anything but a read.
    """

    def authenticate(self, request, token):
        now = timezone.now()
        api_token = (
            ApiToken.objects.select_related("user", "user__unit")
            .filter(key_hash=hash_key(token), revoked=False, expires_at__gt=now, user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        if api_token.read_only and request.method not in READ_METHODS:
            raise HttpError(403, "this token is read-only: it may only make GET, HEAD and OPTIONS requests")
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        audit_actor_set(api_token.user)  # the middleware saw no user: the token names it
        return api_token.user


def business_user(request):
    """The token's user, refused when it may read no business data (auditors)."""
    if not request.auth.is_business_user:
        raise HttpError(403, "this account has no access to business data")
    return request.auth


def office_user(request):
    if not request.auth.is_office:
        raise HttpError(403, "only the office may do this")
    return request.auth
