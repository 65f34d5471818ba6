"""`ducha worker [--once] [--poll SECONDS]`: run the queued background jobs (large exports and imports).

`ducha serve` starts one beside the web server; run it yourself (systemd, or cron with --once) when the web
server is gunicorn started directly. Several workers may run at once: each job is claimed by one of them.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from ducha.jobs.services import job_claim, job_run, jobs_abandoned_fail, jobs_results_expire

EXPIRE_EVERY_SECONDS = 3600


def _interrupt(signum, frame):
    raise KeyboardInterrupt  # SIGTERM ends the worker as Ctrl-C does: the running job is marked as stopped


class Command(BaseCommand):
    help = "Run the queued background jobs (large exports and imports)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the jobs queued now, then stop.")
        parser.add_argument("--poll", type=float, default=2.0, help="Seconds between looks at the queue.")

    def handle(self, *args, once, poll, **options):
        previous = signal.signal(signal.SIGTERM, _interrupt)
        expired_at = 0.0
        jobs_abandoned_fail()  # a worker killed before this one (same host) left its job "running"
        try:
            while True:
                if time.monotonic() - expired_at > EXPIRE_EVERY_SECONDS:
                    jobs_results_expire()
                    expired_at = time.monotonic()
                if not connection.in_atomic_block:  # (a test's transaction must stay open)
                    close_old_connections()  # a worker runs for days: drop a connection the database closed
                job = job_claim()
                if job is None:
                    if once:
                        return
                    time.sleep(poll)
                    continue
                self.stdout.write(f"job {job.pk} {job.kind} started")
                job_run(job)
                self.stdout.write(f"job {job.pk} {job.kind} {job.state}")
        except KeyboardInterrupt:
            self.stdout.write("worker stopped")
        finally:
            signal.signal(signal.SIGTERM, previous)
