"""The audit trail is append-only in the database itself and hash-chained; `ducha audit verify` finds tampering."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ducha.core.audit_chain import audit_chain_verify, audit_purge
from ducha.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(db):
    park = Unit.objects.create(name="金科园", kind=UnitKind.PARK)
    park.name = "金坛区金科园"
    park.save()
    Unit.objects.create(name="华科园", kind=UnitKind.PARK)
    return list(LogEntry.objects.order_by("pk"))


def test_every_entry_is_sealed_and_the_chain_verifies(entries):
    assert len(entries) == 3
    status = audit_chain_verify()
    assert status.ok and status.checked == 3


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE auditlog_logentry SET object_repr = 'x' WHERE id = %s",
        "DELETE FROM auditlog_logentry WHERE id = %s",
    ],
)
def test_raw_sql_cannot_update_or_delete_an_audit_row(entries, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entries[0].pk])
    assert LogEntry.objects.filter(pk=entries[0].pk, object_repr=entries[0].object_repr).exists()


def test_the_orm_cannot_delete_an_audit_row(entries):
    with pytest.raises(DatabaseError), transaction.atomic():
        entries[1].delete()


def _drop_triggers():
    with connection.cursor() as cursor:
        for table in ("auditlog_logentry", "core_auditseal"):
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            else:
                cursor.execute(f"DROP TRIGGER {table}_no_update")
                cursor.execute(f"DROP TRIGGER {table}_no_delete")


def test_a_row_altered_behind_the_triggers_back_makes_verify_fail_and_name_it(entries):
    _drop_triggers()  # rolled back with the test's transaction
    with connection.cursor() as cursor:
        cursor.execute("UPDATE auditlog_logentry SET object_repr = 'forged' WHERE id = %s", [entries[1].pk])
    status = audit_chain_verify()
    assert not status.ok and status.broken_entry == entries[1].pk
    with pytest.raises(CommandError, match=f"entry {entries[1].pk}"):
        call_command("audit", "verify")


def test_a_row_removed_behind_the_triggers_back_breaks_the_chain_at_the_next_one(entries):
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditseal WHERE entry_id = %s", [entries[1].pk])
        cursor.execute("DELETE FROM auditlog_logentry WHERE id = %s", [entries[1].pk])
    status = audit_chain_verify()
    assert not status.ok and status.broken_entry == entries[2].pk


def test_no_command_empties_the_log(entries):
    with pytest.raises(CommandError, match="append-only"):
        call_command("auditlogflush", "--yes")
    assert LogEntry.objects.count() == 3


def test_purge_keeps_the_retention_period(entries, settings):
    settings.DUCHA_AUDIT_RETENTION_DAYS = 365
    with pytest.raises(ValueError, match="365 days are kept"):
        audit_purge(before=timezone.now() - timedelta(days=30), now=timezone.now())
    settings.DUCHA_AUDIT_RETENTION_DAYS = 90
    with pytest.raises(ValueError, match="at least 180"):
        audit_purge(before=timezone.now() - timedelta(days=400), now=timezone.now())


def test_purge_removes_old_entries_re_anchors_the_chain_and_is_recorded(entries, settings):
    settings.DUCHA_AUDIT_RETENTION_DAYS = 365
    later = timezone.now() + timedelta(days=500)  # as if the entries above were 500 days old
    removed = audit_purge(before=later - timedelta(days=400), now=later)
    assert removed == 3
    remaining = list(LogEntry.objects.all())
    assert [e.additional_data["event"] for e in remaining] == ["audit_purge"]
    assert audit_chain_verify().ok
