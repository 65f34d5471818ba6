"""`ducha extract FILE... [--date YYYY-MM-DD]`: one JSON object per report, as JSON Lines (SCHEMA.md)."""

import sys

from django.core.management.base import BaseCommand

from ducha.extraction.engine import cli


class Command(BaseCommand):
    help = "Extract projects, indicators, people and events from text reports as JSON Lines."
    requires_system_checks = []  # a pure text tool: it works without a database

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="FILE", help="UTF-8 or GB18030 text files")
        parser.add_argument("--date", help="the reports' date, YYYY-MM-DD (resolves 昨天, 12月18日)")

    def handle(self, *args, paths: list[str], date: str | None, **options) -> None:
        # The engine writes whole lines itself; hand it the raw streams, not Django's wrappers
        # (which add line endings and colours).
        stdout = getattr(self.stdout, "_out", self.stdout)
        stderr = getattr(self.stderr, "_out", self.stderr)
        status = cli.run(paths, date, stdout, stderr)
        stdout.flush()
        if status:
            sys.exit(status)
