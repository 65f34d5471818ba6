"""Benchmark: render the cockpit (and the chain map) through Django's test client; print the median
server time and the number of queries.

    DUCHA_DATA_DIR=/tmp/cockpit-data .venv/bin/python bench/bench_cockpit.py      # the demo (ducha demo first)
    DUCHA_DATA_DIR=/tmp/bench-data  .venv/bin/python bench/bench_cockpit.py      # after bench/generate_data.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from ducha.accounts.models import Role, User  # noqa: E402
from ducha.projects.models import ProgressReport, Project  # noqa: E402


def measure(client: Client, url: str, runs: int) -> tuple[float, int, int]:
    client.get(url, HTTP_HOST="localhost")  # warm up templates and caches
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, HTTP_HOST="localhost")
            times.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    return statistics.median(times), queries, response.status_code


def main(runs: int = 15) -> None:
    call_command("migrate", verbosity=0)  # the data dir may predate the latest migrations
    client = Client()
    for role in (Role.OFFICE, Role.UNIT):
        user = User.objects.filter(role=role).order_by("pk").first()
        if user is None:
            continue
        client.force_login(user)
        print(
            f"{Project.objects.count()} projects, {ProgressReport.objects.count()} reports; as {role} ({user.username})"
        )
        for url in ("/", "/cockpit/chains/"):
            median, queries, status = measure(client, url, runs)
            print(f"  {url:<18} median {median:7.1f} ms  {queries:3d} queries  (HTTP {status}, {runs} runs)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
