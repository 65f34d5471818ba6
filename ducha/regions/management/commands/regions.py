from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ducha.regions.models import Region
from ducha.regions.services import county_units, regions_load


class Command(BaseCommand):
    help = "Load the national divisions shipped with ducha: `regions load --within 320400` loads 常州市 and below."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="store a division, its ancestors and everything below it")
        load.add_argument(
            "--within", required=True, help="national code, e.g. 320400 (常州市) or 320000 (江苏省)"
        )
        counties = sub.add_parser(
            "counties",
            help="make the district offices below a city units of it (evaluated and flagged by it)",
        )
        counties.add_argument("--within", required=True, help="the city's (or province's) code, e.g. 320400")
        listing = sub.add_parser("list", help="print the stored divisions under a code")
        listing.add_argument("--within", default="", help="national code; all stored divisions when left out")

    def handle(self, *args, action, within, **options):
        if action == "load":
            try:
                regions_load(within, log=self.stdout.write)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            return
        if action == "counties":
            top = Region.objects.filter(code=within).first()
            if top is None:
                raise CommandError(f"{within}: not stored; run `ducha regions load --within {within}` first")
            for unit in county_units(top):
                self.stdout.write(f"{unit.region.code}\t{unit.name}")
            return
        regions = Region.objects.all()
        if within:
            top = Region.objects.filter(code=within).first()
            if top is None:
                raise CommandError(f"{within}: not stored; run `ducha regions load --within {within}` first")
            regions = regions.within(top)
        for region in regions:
            self.stdout.write(f"{region.code}\t{region.get_level_display()}\t{region.name}")
