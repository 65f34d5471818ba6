"""Ten submissions of the same month at once: one report, no error (PostgreSQL, real concurrent connections)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from ducha.projects.models import ProgressReport
from ducha.projects.services import progress_report_submit
from ducha.projects.tests.factories import make_project


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent connections need PostgreSQL")
def test_ten_parallel_submissions_of_one_month_store_one_report_without_errors(park_user, units):
    project = make_project(units["park"])
    errors, barrier = [], threading.Barrier(10)

    def submit(i):
        try:
            barrier.wait()
            progress_report_submit(
                project=project, user=park_user, year=2020, month=4,
                investment_month=Decimal(i), investment_ytd=Decimal(100 + i), stage="started",
            )  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - any error is the failure this test looks for
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ProgressReport.objects.filter(project=project, year=2020, month=4).count() == 1
