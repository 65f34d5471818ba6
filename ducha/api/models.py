import hashlib
import os
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The longest a token may live; a new one is issued for longer use.
MAX_TOKEN_DAYS = 365


def default_token_days() -> int:
    """Days a new token lasts unless its issuer chooses: DUCHA_API_TOKEN_DAYS (default 90), at most a year."""
    days = getattr(settings, "DUCHA_API_TOKEN_DAYS", None) or os.environ.get("DUCHA_API_TOKEN_DAYS") or 90
    return max(1, min(int(days), MAX_TOKEN_DAYS))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for integrations. Only its hash is stored; it acts with its user's access.

    A token lasts until `expires_at` or until it is revoked; a read-only token may only read (GET, HEAD, OPTIONS).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    read_only = models.BooleanField(_("read-only"), default=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_issue",
                violation_error_message=_("A token must expire after it is issued."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.name}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.revoked and not self.is_expired

    @classmethod
    def issue(
        cls, *, user, name: str, days: int | None = None, read_only: bool = False
    ) -> tuple["ApiToken", str]:
        """Store a new token and return it with its key, which exists nowhere else.

        This is the bare row; pages and commands go through `services.api_token_issue`, which also checks who
        may hold a token and how long it may last.
        """
        key = "dch_" + secrets.token_urlsafe(32)
        expires_at = timezone.now() + timedelta(days=days or default_token_days())
        token = cls(user=user, name=name, key_hash=hash_key(key), expires_at=expires_at, read_only=read_only)
        token.full_clean()
        token.save()
        return token, key
