"""Reads of the API app: who may hold tokens, and the tokens a user may see."""

from django.db.models import QuerySet
from django.http import Http404

from .models import ApiToken


def api_token_holder(user) -> bool:
    """Only users who work with business data may hold a token: the API serves nothing else."""
    business = getattr(
        user, "is_business_user", None
    )  # accounts is gaining it with the separated admin roles
    if business is None:
        return user.is_active and not user.is_auditor
    return user.is_active and business


def api_token_manager(user) -> bool:
    """The security administrator sees and revokes everyone's tokens."""
    return getattr(user, "is_security_admin", False)


def api_tokens_visible_to(user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first; every user's for the security administrator."""
    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-pk")
    if api_token_manager(user):
        return tokens
    return tokens.filter(user=user)


def api_token_get_for_user(user, pk) -> ApiToken:
    """A token `user` may revoke; anyone else's, like a missing one, is 404."""
    token = api_tokens_visible_to(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if token is None:
        raise Http404
    return token
