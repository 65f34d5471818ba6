"""What the audit trail records besides model changes, each with time, actor, address and result."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from ducha.projects.tests.factories import make_project


def events(name):
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__event=name)


def test_sign_in_success_failure_and_sign_out_are_recorded(client, leader):
    client.post(reverse("login"), {"username": "leader", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    client.post(
        reverse("login"), {"username": "leader", "password": "pw-for-tests-1"}, REMOTE_ADDR="10.1.1.1"
    )
    client.post(reverse("logout"), REMOTE_ADDR="10.1.1.1")
    failed = events("sign_in_failed").get()
    assert failed.additional_data["username"] == "leader" and failed.remote_addr == "10.1.1.1"
    assert events("sign_in").get().actor == leader
    assert events("sign_out").get().actor == leader


def test_an_export_is_recorded_with_who_what_and_how_many_rows(client_for, office, units):
    make_project(units["park"], "甲")
    make_project(units["park"], "乙")
    response = client_for(office).get(
        "/projects/export.xlsx", {"unit": units["park"].pk}, REMOTE_ADDR="10.1.1.2"
    )
    assert response.status_code == 200
    entry = events("export").get()
    assert (entry.actor, entry.remote_addr, entry.additional_data["rows"]) == (office, "10.1.1.2", 2)
    assert (
        entry.additional_data["path"] == "/projects/export.xlsx" and "unit=" in entry.additional_data["query"]
    )


def test_a_refused_protected_object_is_recorded(client_for, outsider, units):
    project = make_project(units["park"])
    assert client_for(outsider).get(f"/projects/{project.pk}/").status_code == 404
    entry = events("denied").get()
    assert entry.actor == outsider and entry.additional_data["status"] == 404


def test_reading_and_exporting_the_audit_trail_are_recorded_and_filters_work(
    client_for, auditor, office, leader
):
    client = client_for(auditor)
    page = client.get(reverse("accounts:audit"), {"event": "sign_in"})
    assert page.status_code == 200 and 'id="chain-status"' in page.content.decode()
    assert all(e.additional_data["event"] == "sign_in" for e in page.context["page"])
    assert events("audit_read").filter(actor=auditor).exists()
    export = client.get(reverse("accounts:audit_export"), {"user": "auditor"})
    assert export.status_code == 200
    assert (
        events("export")
        .filter(actor=auditor, additional_data__path=reverse("accounts:audit_export"))
        .exists()
    )


@pytest.mark.parametrize("persona", ["office", "leader", "sysadmin", "secadmin"])
def test_only_the_audit_administrator_reads_the_trail(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("accounts:audit")).status_code == 403
    assert client.get(reverse("accounts:audit_export")).status_code == 403
