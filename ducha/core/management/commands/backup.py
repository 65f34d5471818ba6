"""`ducha backup DIR`: the database, the attachments and the secret key, with a SHA-256 manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ducha.core.backup import BackupError, backup_create, size_label, summary_lines


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump), the attachments and the secret key into "
        "DIR, a new or empty directory, with MANIFEST.json listing every file's size and SHA-256."
    )
    requires_system_checks: list[str] = []  # a backup must not wait for a configuration warning

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", help="where to write the backup (created 0700; must be new or empty)"
        )

    def handle(self, *args, directory, **options):
        target = Path(directory).absolute()
        try:
            manifest = backup_create(target, now=timezone.now())
        except (BackupError, OSError) as exc:
            raise CommandError(f"backup failed: {exc}") from exc
        self.stdout.write(
            f"Backup of ducha {manifest.ducha_version} ({manifest.engine}, {manifest.created}) in {target}:"
        )
        for line in summary_lines(manifest):
            self.stdout.write(line)
        self.stdout.write(
            f"{len(manifest.files)} files, {size_label(manifest.size)}, listed with their SHA-256 in MANIFEST.json. "
            "It holds the secret key: keep it encrypted or access-controlled."
        )
