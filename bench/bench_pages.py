"""Server time and query count of the ledger pages on the Jintan demo data.

    DUCHA_DATA_DIR=/tmp/ducha-bench .venv/bin/python bench/bench_pages.py [--runs 20]

Loads the demo into that data directory first if it is empty. Times are measured around
Django's test client (the full middleware stack and template rendering, no network).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DUCHA_DATA_DIR", "/tmp/ducha-bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
os.environ.setdefault("DUCHA_DEMO_PASSWORD", "bench-password-1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402

settings.ALLOWED_HOSTS.append("testserver")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    from ducha.accounts.models import User
    from ducha.projects.models import Project

    call_command("migrate", verbosity=0)
    if not Project.objects.exists():
        call_command("demo", load_only=True, stdout=open(os.devnull, "w"))
    office = User.objects.get(username="office")
    park = User.objects.get(username="jinkeyuan")
    project = Project.objects.get(name="蜂巢能源动力电池项目")
    pages = [
        ("ledger, page 1 (office)", office, "/projects/"),
        ("ledger, sorted by completion", office, "/projects/?sort=ratio"),
        ("ledger, keyword filter", office, "/projects/?q=%E8%9C%82%E5%B7%A2"),
        ("ledger (park user)", park, "/projects/"),
        ("project page", office, f"/projects/{project.pk}/"),
        ("units", office, "/units/"),
        ("monthly reports", office, "/projects/reports/"),
        ("ledger export .xlsx", office, "/projects/export.xlsx"),
    ]
    print(f"{Project.objects.count()} projects, database {connection.vendor}, {args.runs} runs each")
    print(f"{'page':32} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    settings.DEBUG = True  # so that connection.queries records the queries
    for label, user, url in pages:
        client = Client()
        client.force_login(user)
        client.get(url)  # warm caches and templates
        times = []
        for _ in range(args.runs):
            reset_queries()
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        queries = len(connection.queries)
        times.sort()
        p90 = times[int(len(times) * 0.9) - 1]
        print(f"{label:32} {statistics.median(times):10.1f} {p90:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
