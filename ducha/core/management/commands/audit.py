"""`ducha audit verify` checks the hash chain; `ducha audit purge --before DATE` removes entries past retention."""

from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ducha.core.audit import acting_as
from ducha.core.audit_chain import audit_chain_verify, audit_purge


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain, or purge entries older than the retention period."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Recompute every seal; exit 1 naming the first broken entry.")
        purge = sub.add_parser(
            "purge", help="Remove entries older than DATE (past DUCHA_AUDIT_RETENTION_DAYS)."
        )
        purge.add_argument("--before", required=True, help="YYYY-MM-DD")
        purge.add_argument("--actor", help="User name recorded as having run the purge.")

    def handle(self, *args, action, **options):
        if action == "verify":
            status = audit_chain_verify()
            if not status.ok:
                raise CommandError(f"audit trail broken at entry {status.broken_entry}: {status.reason}")
            self.stdout.write(f"audit trail intact: {status.checked} entries verified")
            return
        try:
            day = date.fromisoformat(options["before"])
        except ValueError as exc:
            raise CommandError("--before takes a date, YYYY-MM-DD") from exc
        before = timezone.make_aware(datetime.combine(day, time.min))
        actor = None
        if options.get("actor"):
            from ducha.accounts.models import User

            actor = User.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"no user {options['actor']!r}")
        try:
            with acting_as(actor):
                removed = audit_purge(before=before, now=timezone.now())
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"removed {removed} entries recorded before {day}; the chain is re-anchored")
