"""The database itself refuses UPDATE and DELETE on the audit trail (auditlog's entries and their seals).

DELETE goes through only while a row exists in core_auditpurgemark: inside `ducha audit purge` (old entries
past the retention period) and when a test database is flushed. Entries recorded before this migration are
sealed here, in their order.
"""

from django.db import migrations

TABLES = ("auditlog_logentry", "core_auditseal")
MESSAGE = "the audit trail is append-only"


def create_mark_table(apps, schema_editor):
    schema_editor.execute("CREATE TABLE core_auditpurgemark (id integer PRIMARY KEY)")


def create_triggers(apps, schema_editor):
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run(
            "CREATE OR REPLACE FUNCTION ducha_audit_append_only() RETURNS trigger AS $$ BEGIN "
            "IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM core_auditpurgemark) THEN RETURN OLD; END IF; "
            f"RAISE EXCEPTION '{MESSAGE}'; END $$ LANGUAGE plpgsql"
        )
        for table in TABLES:
            run(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ducha_audit_append_only()"
            )
    else:
        for table in TABLES:
            run(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
            run(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                f"WHEN NOT EXISTS (SELECT 1 FROM core_auditpurgemark) BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )


def drop_triggers(apps, schema_editor):
    run = schema_editor.execute
    for table in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            run(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            run(f"DROP TRIGGER IF EXISTS {table}_no_update")
            run(f"DROP TRIGGER IF EXISTS {table}_no_delete")


def seal_existing_entries(apps, schema_editor):
    from ducha.core.audit_chain import GENESIS, chain_hash, entry_content

    LogEntry = apps.get_model("auditlog", "LogEntry")
    AuditSeal = apps.get_model("core", "AuditSeal")
    AuditChain = apps.get_model("core", "AuditChain")
    AuditChain.objects.get_or_create(pk=1)
    previous = GENESIS
    for entry in LogEntry.objects.order_by("pk").iterator(chunk_size=2000):
        sealed = chain_hash(previous, entry_content(entry))
        AuditSeal.objects.create(entry_id=entry.pk, previous_hash=previous, hash=sealed)
        previous = sealed


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_audit_chain_and_seals"),
        ("auditlog", "__latest__"),
    ]

    operations = [
        migrations.RunPython(create_mark_table, migrations.RunPython.noop),
        migrations.RunPython(seal_existing_entries, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
