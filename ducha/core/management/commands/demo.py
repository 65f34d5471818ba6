"""`ducha demo [--port] [--host] [--load-only] [--data-dir DIR]`: the Jintan demo, loaded idempotently, then served."""

import os
import secrets

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from ducha.core.demo import load_demo

from .serve import ensure_port_free, run_gunicorn


class Command(BaseCommand):
    help = "Load the Jintan demo dataset (idempotent) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--load-only", action="store_true", help="Load the data and stop.")
        parser.add_argument(
            "--data-dir", help="Data directory (read by the ducha command before settings load)."
        )

    def handle(self, *args, host, port, load_only, **options):
        if not load_only:
            ensure_port_free(host, port)
        password = os.environ.get("DUCHA_DEMO_PASSWORD") or self._stored_password()
        call_command("migrate", interactive=False, verbosity=0)
        load_demo(password=password, log=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded into {settings.DATABASES['default']['NAME']}")
        )
        self.stdout.write(
            f"Sign in as office, leader, jinkeyuan, zhujianju, auditor, sysadmin or secadmin (金坛区), "
            f"city_office or city_leader (常州市), wujin_office or liyang_office with the password: {password}"
        )
        if not load_only:
            self.stdout.write(f"Open http://{host}:{port}/")
            run_gunicorn(host, port, workers=2)

    def _stored_password(self) -> str:
        """A generated password, kept in the data directory so that a second run prints the same one."""
        path = settings.DATA_DIR / "demo_password"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(9))
            path.chmod(0o600)
        return path.read_text().strip()
