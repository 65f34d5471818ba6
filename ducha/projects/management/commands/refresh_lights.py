from django.core.management.base import BaseCommand

from ducha.lib.periods import Period
from ducha.projects.selectors import current_period
from ducha.projects.services import projects_refresh_lights


class Command(BaseCommand):
    help = "Recompute every project's light for the current reporting month (run daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)
        parser.add_argument("--month", type=int)

    def handle(self, *args, year=None, month=None, **options):
        period = Period(year, month) if year and month else current_period()
        changed = projects_refresh_lights(period=period)
        self.stdout.write(f"{period}: {changed} lights changed")
