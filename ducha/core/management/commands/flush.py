"""Django's `flush` empties every table; the audit trail's triggers let it do so only through this command
(it opens them for the one statement batch). Test databases are flushed between transactional tests."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS

from ducha.core.audit_chain import _purge_allowed


class Command(FlushCommand):
    def handle(self, **options):
        with _purge_allowed(options.get("database") or DEFAULT_DB_ALIAS):
            return super().handle(**options)
