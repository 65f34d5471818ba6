"""The audit trail's seal: every django-auditlog entry is chained to the one before it by a SHA-256 hash.

The entries themselves are auditlog's; the database refuses UPDATE and DELETE on them and on their seals
(triggers created by migration 0002), and `ducha audit verify` recomputes the chain.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditChain(models.Model):
    """The single row that orders the seals (it is locked while a seal is written) and holds the anchor:
    the hash the first remaining seal follows after old entries were purged."""

    anchor_hash = models.CharField(max_length=64, default="0" * 64)
    purged_before = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit trail")
        verbose_name_plural = _("audit trail")

    def __str__(self) -> str:
        return str(_("audit trail"))


class AuditSeal(models.Model):
    """entry's hash = SHA-256(previous seal's hash + the entry's content)."""

    entry = models.OneToOneField(
        "auditlog.LogEntry", on_delete=models.PROTECT, related_name="seal", db_constraint=True
    )
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.entry_id}:{self.hash[:12]}"


class AuditPurgeMark(models.Model):
    """While a row exists (inside `audit_purge`'s transaction, or a test database's flush) the triggers let
    DELETE through. Unmanaged, so that `flush` never empties it by accident."""

    class Meta:
        managed = False
        db_table = "core_auditpurgemark"

    def __str__(self) -> str:
        return f"purge mark {self.pk}"
