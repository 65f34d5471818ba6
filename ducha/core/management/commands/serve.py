"""`ducha serve [--host] [--port] [--workers] [--no-worker]`: migrate, then serve with gunicorn (static files by
WhiteNoise) and run one background-job worker (`ducha worker`) beside it."""

import contextlib
import socket
import subprocess
import sys
from collections.abc import Iterator

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


def ensure_port_free(host: str, port: int) -> None:
    """Fail at once, before loading or migrating anything, when another program already listens on host:port."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(
            socket.SOL_SOCKET, socket.SO_REUSEADDR, 1
        )  # as gunicorn binds: TIME_WAIT is no conflict
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                _("Port %(port)s on %(host)s is already in use; choose another one with --port.")
                % {"port": port, "host": host}
            ) from exc


@contextlib.contextmanager
def job_worker() -> Iterator[subprocess.Popen]:
    """`ducha worker` as a child process for as long as the block runs (it inherits the environment: data
    directory, database, DUCHA_TODAY), so that large exports and imports finish without another command."""
    worker = subprocess.Popen([sys.executable, "-m", "ducha.cli", "worker"])
    try:
        yield worker
    finally:
        worker.terminate()  # the worker marks a job it was running as stopped, then exits
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def run_gunicorn(host: str, port: int, workers: int, *, job_worker_too: bool = True) -> None:
    """Serve until stopped; with `job_worker_too`, one background-job worker runs beside the web workers."""
    from gunicorn.app.base import BaseApplication

    from ducha.wsgi import application

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", 4)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)

        def load(self):
            return application

    with job_worker() if job_worker_too else contextlib.nullcontext():
        Server().run()


class Command(BaseCommand):
    help = "Serve ducha over HTTP."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-migrate", action="store_true", help="Do not apply migrations first.")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start a background-job worker (run `ducha worker` yourself).",
        )

    def handle(self, *args, host, port, workers, no_migrate, no_worker, **options):
        ensure_port_free(host, port)
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"ducha serving at http://{host}:{port}/")
        run_gunicorn(host, port, workers, job_worker_too=not no_worker)
