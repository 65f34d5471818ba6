"""Two workers claiming at the same time each get different jobs, and together all of them."""

import threading

import pytest
from django.db import connection

from ducha.accounts.models import Role, User
from ducha.jobs import services
from ducha.jobs.choices import JobKind
from ducha.jobs.models import Job


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_take_the_same_job():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's test database is in memory; its claim is one conditional UPDATE (test_services)"
        )
    user = User.objects.create_user(username="office", password="pw-for-tests-1", role=Role.OFFICE)
    for _ in range(30):
        services.job_enqueue(kind=JobKind.LEDGER_EXPORT, user=user)
    taken: dict[str, list[int]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def work(name):
        from django.db import connections

        start.wait()
        try:
            while (job := services.job_claim()) is not None:
                taken[name].append(job.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(name,)) for name in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = taken["a"] + taken["b"]
    assert sorted(everything) == sorted(Job.objects.values_list("pk", flat=True))  # each once, none left


@pytest.mark.django_db(transaction=True)
def test_progress_inside_a_long_transaction_is_seen_by_the_page_at_once():
    """A PostgreSQL import stores all rows in one transaction; its progress goes through a connection of its own."""
    from django.db import transaction

    if connection.vendor != "postgresql":
        pytest.skip("on SQLite the import stores in short turns, outside one long transaction")
    user = User.objects.create_user(username="office", password="pw-for-tests-1", role=Role.OFFICE)
    job = services.job_enqueue(kind=JobKind.LEDGER_IMPORT, user=user)
    from django.db import connections

    main = connections["default"]
    page = type(main)(dict(main.settings_dict), alias="default")  # the job page's connection
    try:
        with transaction.atomic():
            services.job_progress(job, 5, 8, step="Storing the rows")
            with page.cursor() as cursor:
                cursor.execute(
                    "SELECT progress_done, progress_total, message FROM jobs_job WHERE id = %s", [job.pk]
                )
                assert cursor.fetchone() == (5, 8, "Storing the rows")
    finally:
        page.close()
        services._close_progress_connection()
