"""The audit pages run the same queries for a few and for many recorded changes and sign-ins."""

import datetime

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessLog
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ducha.projects.tests.factories import make_plan, make_project
from ducha.units.models import PeerGroup, Unit, UnitKind


def _queries(client, url, data=None) -> int:
    client.get(url, data)  # warm up the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data).status_code == 200
    return len(ctx.captured_queries)


def _changes(actor, units, n, *, start=0):
    """n recorded changes of several kinds: a project created, renamed and moved, and its plan."""
    with set_actor(actor):
        for i in range(start, start + n):
            project = make_project(units["park"], f"审计项目{i}", responsible_department=units["department"])
            project.name = f"审计项目{i}（更名）"
            project.unit = units["other_park"]
            project.light = "red"
            project.save()
            make_plan(project, amount=100 + i)


@pytest.mark.parametrize("persona", ["auditor"])
def test_audit_trail_query_count_does_not_grow_with_entries(persona, request, office, units, client_for):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("accounts:audit")
    _changes(office, units, 1)
    few = _queries(client, url)
    _changes(None, units, 1, start=1)
    _changes(office, units, 4, start=2)
    Unit.objects.create(name="审计镇", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS)
    assert LogEntry.objects.count() >= 25
    many = _queries(client, url)
    assert many == few, f"{few} queries for a few entries, {many} for a page of them"


def test_audit_search_query_count_does_not_grow_with_matches(auditor, office, units, client_for):
    client = client_for(auditor)
    url = reverse("accounts:audit")
    _changes(office, units, 1)
    few = _queries(client, url, {"q": "审计项目"})
    _changes(office, units, 12, start=1)
    many = _queries(client, url, {"q": "审计项目"})
    assert many == few, f"{few} queries for 1 matching project, {many} for 13"


def _sign_ins(n, *, start=0):
    now = timezone.now()
    common = {"user_agent": "Mozilla/5.0", "http_accept": "text/html", "path_info": "/accounts/login/"}
    AccessLog.objects.bulk_create(
        AccessLog(
            username=f"user{i}",
            ip_address=f"10.0.0.{i}",
            attempt_time=now - datetime.timedelta(hours=i),
            logout_time=now if i % 2 else None,
            **common,
        )
        for i in range(start, start + n)
    )
    AccessAttempt.objects.bulk_create(
        AccessAttempt(
            username=f"guess{i}",
            ip_address=f"10.0.1.{i}",
            attempt_time=now - datetime.timedelta(hours=i),
            get_data="",
            post_data="username=guess",
            failures_since_start=i + 1,
            **common,
        )
        for i in range(start, start + n)
    )


@pytest.mark.parametrize("persona", ["auditor"])
def test_sign_in_trail_query_count_does_not_grow_with_sign_ins(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("accounts:logins")
    _sign_ins(2)
    few = _queries(client, url)
    _sign_ins(12, start=2)
    response = client.get(url)
    assert len(response.context["page"].object_list) == AccessLog.objects.count() > 14  # + this sign-in
    assert len(response.context["failures"]) == 14
    many = _queries(client, url)
    assert many == few, f"{few} queries for 2 sign-ins and 2 failures, {many} for 14 and 14"
