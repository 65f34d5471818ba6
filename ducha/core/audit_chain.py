"""The audit trail's hash chain: sealing each entry as it is written, verifying, and purging old entries.

Pure parts (`entry_content`, `chain_hash`) say what is hashed; the rest reads and writes the database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import connections, transaction

GENESIS = "0" * 64


def entry_content(entry) -> str:
    """Everything an auditor reads of an entry, as canonical JSON — the same whether the entry was just created
    (values as the code set them) or read back from the database (values as stored)."""
    return json.dumps(
        {
            "id": entry.pk,
            "timestamp": entry.timestamp.astimezone(UTC).isoformat(timespec="microseconds"),
            "action": entry.action,
            "content_type": entry.content_type_id,
            "object_pk": str(entry.object_pk),
            "object_repr": entry.object_repr,
            "changes": _as_stored(entry.changes),
            "changes_text": entry.changes_text,
            "actor": entry.actor_id,
            "actor_email": entry.actor_email,
            "remote_addr": entry.remote_addr,
            "cid": entry.cid,
            "additional_data": _as_stored(entry.additional_data),
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def _as_stored(value):
    if isinstance(value, str):  # a JSON field written as text
        try:
            value = json.loads(value)
        except ValueError:
            return value
    return json.loads(json.dumps(value, default=str))


def chain_hash(previous_hash: str, content: str) -> str:
    return hashlib.sha256((previous_hash + content).encode()).hexdigest()


def _chain():
    from .models import AuditChain

    chain = AuditChain.objects.select_for_update().filter(pk=1).first()
    return chain or AuditChain.objects.create(pk=1)


def audit_seal(sender, instance, created, **kwargs) -> None:
    """post_save of a LogEntry: chain it to the last seal, in the same transaction as the change it records."""
    if not created:
        return
    from .models import AuditSeal

    with transaction.atomic():
        chain = _chain()  # locked: seals are written one at a time, in the chain's order
        last = AuditSeal.objects.order_by("-pk").values_list("hash", flat=True).first()
        previous = last or chain.anchor_hash
        AuditSeal.objects.create(
            entry=instance, previous_hash=previous, hash=chain_hash(previous, entry_content(instance))
        )


@dataclass(frozen=True)
class ChainStatus:
    ok: bool
    checked: int
    broken_entry: int | None = None
    reason: str = ""


def audit_chain_verify() -> ChainStatus:
    """Recompute every seal from its entry; the first entry whose content, order or seal does not match."""
    from auditlog.models import LogEntry

    from .models import AuditChain, AuditSeal

    chain = AuditChain.objects.filter(pk=1).first()
    previous = chain.anchor_hash if chain else GENESIS
    checked = 0
    seals = AuditSeal.objects.order_by("pk").values_list("entry_id", "previous_hash", "hash")
    entries = LogEntry.objects.in_bulk([e for e, _p, _h in seals]) if seals else {}
    for entry_id, previous_hash, sealed in seals.iterator(chunk_size=2000):
        entry = entries.get(entry_id)
        if entry is None:
            return ChainStatus(False, checked, entry_id, "entry missing")
        if previous_hash != previous:
            return ChainStatus(
                False, checked, entry_id, "chain broken before this entry (an entry was removed)"
            )
        if chain_hash(previous, entry_content(entry)) != sealed:
            return ChainStatus(False, checked, entry_id, "entry changed after it was recorded")
        previous = sealed
        checked += 1
    unsealed = LogEntry.objects.filter(seal__isnull=True).order_by("pk").values_list("pk", flat=True).first()
    if unsealed is not None:
        return ChainStatus(False, checked, unsealed, "entry without a seal")
    return ChainStatus(True, checked)


def retention_days() -> int:
    days = settings.DUCHA_AUDIT_RETENTION_DAYS
    if days < 180:
        raise ValueError("DUCHA_AUDIT_RETENTION_DAYS must be at least 180 (网络安全法 Art. 21: six months)")
    return days


@transaction.atomic
def audit_purge(*, before: datetime, now: datetime) -> int:
    """Remove entries older than `before` (which must be older than the retention period) and their seals,
    re-anchor the chain on the first remaining seal, and record the purge. Returns the number removed."""
    from datetime import timedelta

    from auditlog.models import LogEntry

    from .models import AuditSeal

    if before > now - timedelta(days=retention_days()):
        raise ValueError(f"entries of the last {retention_days()} days are kept")
    chain = _chain()
    old = AuditSeal.objects.filter(entry__timestamp__lt=before).order_by("pk")
    last_old = old.last()
    if last_old is None:
        return 0
    # Only a prefix of the chain may go: seals are in time order, so everything up to the last old one.
    doomed = AuditSeal.objects.filter(pk__lte=last_old.pk)
    entry_ids = list(doomed.values_list("entry_id", flat=True))
    with _purge_allowed():
        doomed.delete()
        LogEntry.objects.filter(pk__in=entry_ids).delete()
        LogEntry.objects.filter(seal__isnull=True, timestamp__lt=before).delete()
    chain.anchor_hash, chain.purged_before = last_old.hash, before
    chain.save()
    from .audit import audit_event

    audit_event("audit_purge", before=before.isoformat(), removed=len(entry_ids))
    return len(entry_ids)


class _purge_allowed:
    """The triggers let DELETE through only while this marker row exists."""

    def __init__(self, using: str = "default"):
        self.using = using

    def __enter__(self):
        with connections[self.using].cursor() as cursor:
            cursor.execute("INSERT INTO core_auditpurgemark (id) VALUES (1)")

    def __exit__(self, *exc):
        with connections[self.using].cursor() as cursor:
            cursor.execute("DELETE FROM core_auditpurgemark WHERE id = 1")
        return False
