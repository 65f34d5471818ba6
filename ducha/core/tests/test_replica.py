"""The read replica (DATABASE_REPLICA_URL): read-only pages read from the standby, everything else from the primary.

The first tests check the router's and the middleware's decisions on any database. The last one runs against a
live PostgreSQL streaming standby (.ci/pg_standby.sh: a throwaway primary and a pg_basebackup standby of it); it
runs on the PostgreSQL leg of CI and is skipped where DATABASE_URL is not PostgreSQL or the server binaries are
missing.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.http import HttpResponse, HttpResponseBase
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from ducha.accounts.models import Role, User
from ducha.api.models import ApiToken
from ducha.core import replica
from ducha.core.replica import (
    REPLICA,
    STICKY_COOKIE,
    ReadOnlyRequestMiddleware,
    ReplicaRouter,
    read_only,
)
from ducha.projects.models import Project
from ducha.units.models import PeerGroup, Unit, UnitKind

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def with_replica(monkeypatch) -> Iterator[None]:
    """A "replica" alias as DATABASE_REPLICA_URL makes it (no query reaches it in these tests)."""
    monkeypatch.setattr(replica, "replica_reachable", lambda: True)
    connections.settings[REPLICA] = {**connections.settings["default"], "TEST": {"MIRROR": "default"}}
    try:
        yield
    finally:
        del connections.settings[REPLICA]


def test_without_a_replica_the_router_leaves_every_query_to_django():
    with read_only():
        assert ReplicaRouter().db_for_read(Project) is None
        assert ReplicaRouter().db_for_write(Project) is None


def test_a_read_only_request_reads_business_data_from_the_replica(with_replica):
    with read_only():
        assert router.db_for_read(Project) == REPLICA
        assert router.db_for_read(Unit) == REPLICA


def test_reads_outside_a_read_only_request_stay_on_the_primary(with_replica):
    assert router.db_for_read(Project) == "default"


@pytest.mark.parametrize("model", [Session, User, ApiToken, LogEntry])
def test_sessions_accounts_tokens_and_the_audit_trail_are_read_from_the_primary(with_replica, model):
    with read_only():
        assert router.db_for_read(model) == "default"


def test_every_write_goes_to_the_primary(with_replica):
    with read_only():
        assert router.db_for_write(Session) == "default"
        assert router.db_for_write(Project) == "default"


def test_a_request_that_wrote_business_data_reads_its_own_writes_from_the_primary(with_replica):
    with read_only():
        assert router.db_for_read(Project) == REPLICA
        router.db_for_write(Project)
        assert router.db_for_read(Project) == "default"
        assert router.db_for_read(Unit) == "default"
    with read_only():  # the next request starts afresh
        assert router.db_for_read(Project) == REPLICA


def test_writing_the_session_a_token_or_the_audit_trail_keeps_the_page_on_the_replica(with_replica):
    with read_only():
        for model in (Session, ApiToken, LogEntry):
            router.db_for_write(model)
        assert router.db_for_read(Project) == REPLICA


def test_reads_inside_a_transaction_stay_on_the_primary(with_replica, monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with read_only():
        assert router.db_for_read(Project) == "default"


def test_migrations_never_run_on_the_replica(with_replica):
    assert router.allow_migrate(REPLICA, "projects") is False
    assert router.allow_migrate("default", "projects") is True


def _where_reads_go(request) -> tuple[str, HttpResponseBase]:
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(Project)
        return HttpResponse("ok")

    response = ReadOnlyRequestMiddleware(view)(request)
    return seen["db"], response


@pytest.mark.parametrize(
    "path",
    ["/cockpit/", "/projects/", "/projects/export.xlsx", "/units/3/", "/indicators/", "/api/projects"],
)
def test_the_read_only_pages_read_from_the_replica(with_replica, path):
    assert _where_reads_go(RequestFactory().get(path))[0] == REPLICA
    assert _where_reads_go(RequestFactory().head(path))[0] == REPLICA


@pytest.mark.parametrize("path", ["/supervision/problems/", "/accounts/login/", "/imports/", "/admin/"])
def test_other_pages_read_from_the_primary(with_replica, path):
    assert _where_reads_go(RequestFactory().get(path))[0] == "default"


def test_a_save_reads_from_the_primary_and_its_browser_keeps_reading_there_for_a_while(
    with_replica, settings
):
    settings.DUCHA_REPLICA_STICKY_SECONDS = 10
    db, response = _where_reads_go(RequestFactory().post("/projects/"))
    assert db == "default"
    cookie = response.cookies[STICKY_COOKIE]
    assert cookie["max-age"] == 10
    assert cookie["httponly"]

    after_save = RequestFactory().get("/projects/")
    after_save.COOKIES[STICKY_COOKIE] = cookie.value
    assert _where_reads_go(after_save)[0] == "default"


def test_without_a_replica_the_middleware_changes_nothing():
    db, response = _where_reads_go(RequestFactory().get("/projects/"))
    assert db == "default"
    db, response = _where_reads_go(RequestFactory().post("/projects/"))
    assert STICKY_COOKIE not in response.cookies


def test_when_the_replica_cannot_be_reached_the_pages_read_from_the_primary(
    monkeypatch, django_db_blocker, caplog
):
    monkeypatch.setattr(replica, "_replica_down_until", 0.0)
    connections.settings[REPLICA] = {
        **dj_database_url.parse(f"postgres://ducha@127.0.0.1:{_free_port()}/ducha"),
        "OPTIONS": {"connect_timeout": 3},
    }
    connections.configure_settings(connections.settings)
    try:
        with django_db_blocker.unblock():
            assert _where_reads_go(RequestFactory().get("/projects/"))[0] == "default"
            assert "The read replica cannot be reached" in caplog.text
            caplog.clear()
            assert _where_reads_go(RequestFactory().get("/cockpit/"))[0] == "default"
            assert caplog.text == ""  # not tried again for REPLICA_RETRY_SECONDS
            monkeypatch.setattr(replica, "_replica_down_until", 0.0)
            assert not replica.replica_reachable()  # tried again, still down
    finally:
        del connections[REPLICA]
        del connections.settings[REPLICA]


def test_database_replica_url_adds_the_replica_alias_that_mirrors_the_test_database():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "r = s.DATABASES['replica']; print(json.dumps([r['HOST'], r['PORT'], r['NAME'], r['TEST']['MIRROR'], "
        "s.DATABASE_ROUTERS, s.MIDDLEWARE[0]]))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ducha.settings",
        "DATABASE_REPLICA_URL": "postgres://ducha@10.0.0.12:5433/ducha",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == (
        '["10.0.0.12", 5433, "ducha", "default", ["ducha.core.replica.ReplicaRouter"], '
        '"ducha.core.replica.ReadOnlyRequestMiddleware"]'
    )


# ---- Against a live streaming standby ---------------------------------------------------------------------


def _pg_bin() -> Path | None:
    for candidate in sorted(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name, reverse=True
    ):
        if all((candidate / tool).exists() for tool in ("initdb", "pg_ctl", "pg_basebackup", "psql")):
            return candidate
    return None


def _standby_unavailable() -> str | None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "the live standby test runs when DATABASE_URL is PostgreSQL"
    if _pg_bin() is None:
        return "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a postgres user to run the clusters"
        if shutil.which("runuser") is None:
            return "running as root without runuser"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _databases(**urls: str) -> Iterator[None]:
    """Point the aliases at other servers for the block, then back (closing every connection in between).

    Content types are cached per alias: their ids differ between the servers, so the cache is emptied both ways.
    """
    saved = {alias: connections.settings.get(alias) for alias in urls}
    ContentType.objects.clear_cache()
    for alias in urls:
        if saved[alias] is not None:
            connections[alias].close()
            del connections[alias]
        connections.settings[alias] = {**dj_database_url.parse(urls[alias]), "TEST": {}}
    connections.configure_settings(connections.settings)  # fills in the defaults of the new entries
    try:
        yield
    finally:
        ContentType.objects.clear_cache()
        for alias in urls:
            connections[alias].close()
            del connections[alias]
            if saved[alias] is None:
                del connections.settings[alias]
            else:
                connections.settings[alias] = saved[alias]


def _scalar(alias: str, sql: str, params: tuple = ()) -> object:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _until(check, what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"the standby did not {what} within {seconds} s")
        time.sleep(0.05)


def _replayed() -> None:
    """Wait until the standby has replayed everything the primary wrote so far."""
    lsn = _scalar("default", "SELECT pg_current_wal_lsn()::text")
    _until(lambda: _scalar(REPLICA, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (lsn,)), "catch up")


@pytest.fixture(scope="module")
def live_standby(django_db_blocker) -> Iterator[None]:
    """A primary with the migrated schema as "default" and its streaming standby as "replica"."""
    reason = _standby_unavailable()
    if reason:
        pytest.skip(reason)
    workdir = tempfile.mkdtemp(prefix="ducha-standby-")
    primary, standby = _free_port(), _free_port()

    def script(*args: object) -> list[str]:
        return ["bash", str(REPO / ".ci" / "pg_standby.sh"), *(str(a) for a in args)]

    env = {**os.environ, "PG_BIN": str(_pg_bin())}
    copying = None
    try:
        started = subprocess.run(
            script("start-primary", workdir, primary), env=env, capture_output=True, text=True
        )
        if started.returncode:
            pytest.fail(f"could not start the primary:\n{started.stdout}\n{started.stderr}")
        copying = subprocess.Popen(
            script("start-standby", workdir, primary, standby),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        with (
            django_db_blocker.unblock(),
            _databases(
                default=f"postgres://postgres@127.0.0.1:{primary}/ducha",
                replica=f"postgres://postgres@127.0.0.1:{standby}/ducha",
            ),
        ):
            from django.core.management import call_command

            call_command("migrate", verbosity=0)  # while pg_basebackup copies the standby
            output, _ = copying.communicate(timeout=120)
            if copying.returncode:
                pytest.fail(f"could not start the standby:\n{output}")
            assert _scalar(REPLICA, "SELECT pg_is_in_recovery()") is True
            _replayed()
            yield
    finally:
        if copying is not None and copying.poll() is None:
            copying.kill()
            copying.wait()
        subprocess.run(script("stop", workdir), env=env, check=False, timeout=60)


def test_read_only_pages_read_from_a_live_standby_and_every_write_goes_to_the_primary(live_standby):
    park = Unit.objects.create(
        name="金坛区金科园", short_name="金科园", kind=UnitKind.PARK, peer_group=PeerGroup.PARKS, order=1
    )
    office = User.objects.create_user(username="office", password="pw-for-tests-1", role=Role.OFFICE)
    Project.objects.create(unit=park, name="动力电池一期", total_investment=10000, stage="started")
    _replayed()
    client = Client()
    client.force_login(office)

    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        page = client.get("/projects/")
    assert page.status_code == 200
    assert "动力电池一期" in page.content.decode()
    assert any('"projects_project"' in q["sql"] for q in on_replica.captured_queries)
    assert not any('"projects_project"' in q["sql"] for q in on_primary.captured_queries)
    assert not any('"django_session"' in q["sql"] for q in on_replica.captured_queries)

    # The cockpit reads every business figure from the standby too, its hand-written SQL included.
    with CaptureQueriesContext(connections["default"]) as on_primary:
        assert client.get("/cockpit/").status_code == 200
    business = ("projects_", "units_", "indicators_", "supervision_", "evaluation_", "cockpit_")
    assert [q["sql"] for q in on_primary.captured_queries if any(t in q["sql"] for t in business)] == []

    # With replay paused the standby keeps the old state: the ledger does not show a project stored since.
    _scalar(REPLICA, "SELECT pg_wal_replay_pause()::text")
    _until(lambda: _scalar(REPLICA, "SELECT pg_get_wal_replay_pause_state()") == "paused", "pause")
    Project.objects.create(unit=park, name="正极材料二期", total_investment=5000, stage="started")
    assert "正极材料二期" not in client.get("/projects/").content.decode()

    # The API reads the ledger from the standby too, while its token (issued just now, so on the primary only)
    # and the token's last use are read and written on the primary.
    from ducha.api.services import api_token_issue

    _token, key = api_token_issue(user=office, name="replica", days=1)
    api = client.get("/api/projects", headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 200
    assert [p["name"] for p in api.json()["results"]] == ["动力电池一期"]

    # A GET that writes (the export's audit entry) writes to the primary; a read-only standby would refuse it.
    entries = LogEntry.objects.count()
    export = client.get("/projects/export.xlsx")
    assert export.status_code == 200
    assert LogEntry.objects.count() > entries

    # Signing in (sessions, users) works on the primary while the standby is behind; a save is read back at once.
    fresh = Client()
    fresh.force_login(
        User.objects.create_user(username="office2", password="pw-for-tests-1", role=Role.OFFICE)
    )
    assert fresh.get("/projects/").status_code == 200
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        saved = fresh.post("/i18n/setlang/", {"language": "zh-hans"})
        assert "正极材料二期" in fresh.get("/projects/").content.decode()  # the cookie of the write
    assert STICKY_COOKIE in saved.cookies
    assert on_replica.captured_queries == []

    _scalar(REPLICA, "SELECT pg_wal_replay_resume()::text")
    _replayed()
    assert "正极材料二期" in client.get("/projects/").content.decode()
