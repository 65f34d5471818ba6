"""A city at scale (issue 14 §6): the cockpit, indicator table and ledger of the given users, medians of 7
requests through Django's test client, on the database that DATABASE_URL / DUCHA_DATA_DIR point at.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf_bench DUCHA_TODAY=2020-12-20 DUCHA_REQUIRE_2FA= \\
        ALLOWED_HOSTS=testserver .venv/bin/python bench/bench_city.py city_office office wujin_office
"""

import os
import statistics
import sys
import time

PAGES = ("/cockpit/", "/indicators/", "/projects/")
PERIOD = "?year=2020&month=11"
RUNS = 7


def main(usernames: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from ducha.accounts.models import User

    setup_test_environment()
    for username in usernames:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for path in PAGES:
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                response = client.get(path + PERIOD)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (username, path, response.status_code)
            print(f"{username} {path} {statistics.median(times):.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:] or ["city_office", "office"])
