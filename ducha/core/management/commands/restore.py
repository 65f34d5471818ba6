"""`ducha restore DIR [--force]`: replace the database, the attachments and the secret key with a backup's."""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ducha.core.backup import BackupError, backup_restore, restore_check, restore_targets, summary_lines


class Command(BaseCommand):
    help = (
        "Restore a backup made by `ducha backup`: checks every file against MANIFEST.json, then replaces the "
        "database, the attachments and the secret key. Stop ducha first."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a backup directory written by `ducha backup`")
        parser.add_argument("--force", action="store_true", help="replace the current data without asking")

    def handle(self, *args, directory, force, **options):
        source = Path(directory).absolute()
        try:
            manifest = restore_check(source)  # a damaged or foreign backup is refused before anything else
            targets = restore_targets()
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backup of ducha {manifest.ducha_version} ({manifest.engine}, {manifest.created}) in {source}:"
        )
        for line in summary_lines(manifest):
            self.stdout.write(line)
        replaced = "\n".join(f"  {what}: {where}" for what, where in targets.items())
        if not force:
            if not sys.stdin.isatty():
                raise CommandError(
                    "restore replaces the current data, so it asks first, and there is no terminal to ask on: "
                    "nothing was changed. Pass --force to restore."
                )
            self.stdout.write(f"This replaces, with the backup's:\n{replaced}\nStop ducha before going on.")
            if input("Type yes to restore: ").strip().lower() != "yes":
                raise CommandError("restore cancelled, nothing was changed")
        try:
            backup_restore(source)
        except (BackupError, OSError) as exc:
            raise CommandError(f"restore failed: {exc}") from exc
        self.stdout.write(f"Restored:\n{replaced}")
        if os.environ.get("SECRET_KEY"):
            self.stdout.write(
                "SECRET_KEY is set in the environment and wins over the file: set it to the restored key "
                f"({targets['secret key']})."
            )
        self.stdout.write(
            "Run `ducha migrate` if this ducha is newer than the backup's, then start ducha again."
        )
