from django.core.management.base import BaseCommand

from ducha.lib.periods import Period
from ducha.projects.rollups import rollups_rebuild
from ducha.projects.selectors import current_period


class Command(BaseCommand):
    help = (
        "Recompute the stored figures and lights of the reporting month's year and set every project's light "
        "to that month's (run daily from cron: it moves the lights on when a new reporting month begins)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)
        parser.add_argument("--month", type=int)

    def handle(self, *args, year=None, month=None, **options):
        period = Period(year, month) if year and month else current_period()
        changed = rollups_rebuild(years=[period.year], period=period)
        self.stdout.write(f"{period}: {changed} lights changed")
