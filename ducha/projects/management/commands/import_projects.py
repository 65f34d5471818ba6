"""`ducha import_projects LEDGER.xlsx [--dry-run]`: the web import of a whole ledger, from the command line.

Progress (rows checked, then rows stored) goes to stderr every 5 %, so that a 100,000-row ledger does not look
stuck; the summary goes to stdout.
"""

from collections.abc import Callable

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
            ledger = spreadsheets.ledger_read(file, progress=self._progress("Checked"))
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
                stored = spreadsheets.ledger_store(ledger=ledger, progress=self._progress("Stored"))
            except spreadsheets.LedgerStoreInterrupted as exc:
                raise CommandError(str(exc), returncode=1) from exc
        self.stdout.write(summary + f" Stored {len(stored)} projects.")

    def _progress(self, verb: str) -> Callable[[int, int], None]:
        """A progress callback printing "Checked 5,000/100,000 rows (5%)" each time another 5 % is done."""
        shown = -1

        def report(done: int, total: int) -> None:
            nonlocal shown
            step = done * 20 // total if total else 20
            if step > shown:
                shown = step
                percent = done * 100 // total if total else 100
                self.stderr.write(f"{verb} {done:,}/{total:,} rows ({percent}%)")

        return report
