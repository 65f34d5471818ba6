import time

from django.core.management.base import BaseCommand

from ducha.projects.rollups import progress_on_stderr, rollups_rebuild


class Command(BaseCommand):
    help = (
        "Stored period figures: 'rebuild' recomputes every project's monthly figures and lights and every "
        "unit's sums (all years with records, or --year), e.g. after changing the exchange rates."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"])
        parser.add_argument("--year", type=int, action="append", help="only this year (may be repeated)")

    def handle(self, *args, action, year=None, **options):
        began = time.monotonic()
        changed = rollups_rebuild(years=year, progress=progress_on_stderr())
        self.stdout.write(f"Rebuilt in {time.monotonic() - began:.1f} s; {changed} stored lights changed.")
