"""django-auditlog's `auditlogflush` empties the audit trail; in ducha the trail is append-only."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Refuses: the audit trail is append-only. Old entries go with `ducha audit purge --before DATE`."

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="*")
        parser.add_argument("-y", "--yes", action="store_true")
        parser.add_argument("-b", "--before-date")

    def handle(self, *args, **options):
        raise CommandError(
            "The audit trail is append-only and cannot be emptied. Entries older than the retention period "
            "(DUCHA_AUDIT_RETENTION_DAYS) are removed with `ducha audit purge --before YYYY-MM-DD`."
        )
