"""`ducha import_projects LEDGER.xlsx [--dry-run]`: the web import of a whole ledger, from the command line."""

from django.core.management.base import BaseCommand, CommandError

from ducha.accounts.models import User
from ducha.core.audit import acting_as
from ducha.projects import spreadsheets


class Command(BaseCommand):
    help = (
        "Import a project ledger (.xlsx, the columns of the ledger export or the template). "
        "All rows or none: with any problem, each is printed on stderr and the exit code is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and print the summary, store nothing"
        )
        parser.add_argument(
            "--user", help="username recorded in the audit trail as the author of the changes"
        )

    def handle(self, *args, file, dry_run=False, user=None, **options):
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"no user {user!r}")
        try:
            ledger = spreadsheets.ledger_read(file)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        if not ledger.ok:
            for error in ledger.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(ledger.errors)} problem(s); nothing was stored.", returncode=1)
        summary = (
            f"{len(ledger.rows)} rows: {ledger.created} to create, {ledger.updated} to update, "
            f"{ledger.unchanged} unchanged."
        )
        if ledger.ignored_columns:
            self.stdout.write("Columns not imported: " + ", ".join(ledger.ignored_columns))
        if dry_run:
            self.stdout.write(summary + " Dry run: nothing was stored.")
            return
        with acting_as(actor):
            try:
                stored = spreadsheets.ledger_store(ledger=ledger)
            except spreadsheets.LedgerStoreInterrupted as exc:
                raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(summary + f" Stored {len(stored)} projects.")
