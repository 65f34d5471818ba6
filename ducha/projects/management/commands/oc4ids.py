import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ducha.projects import oc4ids_export
from ducha.projects.models import Project
from ducha.regions.models import Region
from ducha.units.models import Unit


class Command(BaseCommand):
    help = (
        "Open data in the Open Contracting for Infrastructure Data Standard (OC4IDS 0.9): 'export FILE' writes "
        "every project (or those of --region CODE and the divisions below it) as one project package ('-' for "
        "standard output); 'validate FILE' reviews a package with libcoveoc4ids against the vendored schema, "
        "offline (installed with the test extras), and fails when the schema finds errors."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="write the project package")
        export.add_argument("file", help="where to write the JSON ('-': standard output)")
        export.add_argument("--region", help="only this division's projects (its code, e.g. 320413)")
        export.add_argument(
            "--uri",
            default="",
            help="the package's URI, where it will be published (default: the file's file: URI)",
        )
        validate = actions.add_parser("validate", help="review a package with libcoveoc4ids, offline")
        validate.add_argument("file")

    def handle(self, *args, action, **options):
        if action == "export":
            self.export(options["file"], region_code=options.get("region"), uri=options.get("uri") or "")
        else:
            self.validate(options["file"])

    def export(self, file: str, *, region_code: str | None, uri: str) -> None:
        projects = Project.objects.all()
        if region_code:
            region = Region.objects.filter(code=region_code).first()
            if region is None:
                raise CommandError(f"No region has the code {region_code!r} (ducha regions lists them).")
            projects = projects.filter(unit__in=Unit.objects.within(region).values("pk"))
        uri = uri or (Path(file).resolve().as_uri() if file != "-" else "file:///dev/stdout")
        if file == "-":
            oc4ids_export.write_package(projects, _Raw(self.stdout), uri=uri)
            return
        try:
            with open(file, "w", encoding="utf-8") as out:
                count = oc4ids_export.write_package(projects, out, uri=uri)
        except OSError as e:
            raise CommandError(f"Cannot write {file}: {e.strerror}") from None
        self.stdout.write(f"Wrote {count} projects to {file}.")

    def validate(self, file: str) -> None:
        from ducha.projects.oc4ids_validation import oc4ids_review, review_summary

        try:
            with open(file, encoding="utf-8") as f:
                package = json.load(f)
        except OSError as e:
            raise CommandError(f"Cannot read {file}: {e.strerror}") from None
        except ValueError as e:
            raise CommandError(f"{file} is not JSON: {e}") from None
        try:
            summary = review_summary(oc4ids_review(package))
        except ImportError:
            raise CommandError("libcoveoc4ids is not installed: pip install 'ducha[test]'.") from None
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=1))
        if summary["error_count"]:
            raise CommandError(f"{summary['error_count']} schema errors.")


class _Raw:
    """Standard output written as given (OutputWrapper ends every write with a newline)."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")
