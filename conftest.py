"""Personas shared by every app's tests: office, leader, park user, department user, outsider, and the three
administrators (auditor, sysadmin, secadmin)."""

import contextlib
import os
from io import StringIO

import pytest
from hypothesis import settings as hypothesis_settings

from ducha.accounts.models import Role, User
from ducha.units.models import PeerGroup, Unit, UnitKind

# CI runs the property tests with a fixed seed, so that a red build can be reproduced; locally they explore.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _no_required_two_factor(settings):
    """Production requires a one-time code from the office and the administrators; tests of that turn it on."""
    settings.DUCHA_REQUIRE_2FA = []


@pytest.fixture
def units(db):
    make = Unit.objects.create
    return {
        "town": make(name="金城镇", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS, order=1),
        "street": make(name="东城街道", kind=UnitKind.STREET, peer_group=PeerGroup.TOWNS_STREETS, order=2),
        "park": make(
            name="金坛区金科园", short_name="金科园", kind=UnitKind.PARK, peer_group=PeerGroup.PARKS, order=3
        ),
        "other_park": make(
            name="金坛华罗庚科技产业园",
            short_name="华科园",
            kind=UnitKind.PARK,
            peer_group=PeerGroup.PARKS,
            order=4,
        ),
        "department": make(
            name="区住建局",
            short_name="住建局",
            kind=UnitKind.DEPARTMENT,
            peer_group=PeerGroup.DEPARTMENTS,
            order=5,
        ),
        "other_department": make(
            name="区自然资源局",
            short_name="自然资源局",
            kind=UnitKind.DEPARTMENT,
            peer_group=PeerGroup.DEPARTMENTS,
            order=6,
        ),
    }


def _user(username, role, unit=None):
    return User.objects.create_user(username=username, password="pw-for-tests-1", role=role, unit=unit)


@pytest.fixture
def office(units):
    return _user("office", Role.OFFICE)


@pytest.fixture
def leader(units):
    return _user("leader", Role.LEADER)


@pytest.fixture
def park_user(units):
    return _user("jinkeyuan", Role.UNIT, units["park"])


@pytest.fixture
def outsider(units):
    """Staff of another park: must never see the park user's data."""
    return _user("huakeyuan", Role.UNIT, units["other_park"])


@pytest.fixture
def department_user(units):
    return _user("zhujianju", Role.DEPARTMENT, units["department"])


@pytest.fixture
def other_department_user(units):
    return _user("ziranziyuan", Role.DEPARTMENT, units["other_department"])


@pytest.fixture
def auditor(units):
    return _user("auditor", Role.AUDITOR)


@pytest.fixture
def sysadmin(units):
    return _user("sysadmin", Role.SYSADMIN)


@pytest.fixture
def secadmin(units):
    return _user("secadmin", Role.SECADMIN)


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page(live_server, transactional_db, monkeypatch):
    """A Playwright page in Debian's Chromium against the live test server; skipped without Chromium."""
    import shutil
    import threading

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    if connection.vendor == "sqlite":
        # The in-memory test database is one connection that the live server's request threads share: a page's
        # parallel fetches (the map's outlines and points) could begin a transaction inside another's. The
        # server answers one request at a time, as a file database's own connections would not need.
        one_at_a_time = threading.Lock()
        answer = WSGIHandler.__call__

        def serialised(self, environ, start_response):
            with one_at_a_time:
                return answer(self, environ, start_response)

        monkeypatch.setattr(WSGIHandler, "__call__", serialised)

    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test are still plain sync calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        yield page
        context.close()
        browser.close()


@pytest.fixture
def sign_in_browser():
    """sign_in_browser(page, username) signs in through the real login form."""

    def sign_in(page, username, password="pw-for-tests-1"):
        page.goto(page.base_url + "/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

    return sign_in


DEMO_PASSWORD = "demo-password-1"


@contextlib.contextmanager
def loaded_demo(django_db_blocker, *, password: str = DEMO_PASSWORD, on_business_date: bool = True):
    """The demo as `ducha demo --load-only` loads it (on its business date unless told), inside a transaction
    rolled back afterwards: for module-scoped fixtures that load it once for many tests."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    from ducha.cli import DEMO_TODAY

    old = os.environ.get("DUCHA_DEMO_PASSWORD")
    os.environ["DUCHA_DEMO_PASSWORD"] = password
    date = override_settings(DUCHA_TODAY=DEMO_TODAY) if on_business_date else contextlib.nullcontext()
    with django_db_blocker.unblock(), date, transaction.atomic():
        try:
            call_command("demo", load_only=True, stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            if old is None:
                os.environ.pop("DUCHA_DEMO_PASSWORD")
            else:
                os.environ["DUCHA_DEMO_PASSWORD"] = old


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo loaded once for a module's tests, on its business date, rolled back afterwards."""
    with loaded_demo(django_db_blocker):
        yield
