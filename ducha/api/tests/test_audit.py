"""Writes through the token API are recorded as the token's user, with the client's address."""

import json

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from ducha.api.tests.test_api import bearer
from ducha.projects.models import ProgressReport
from ducha.projects.tests.factories import make_project


def test_an_api_report_submission_is_audited_with_the_user_and_the_ip(client, park_user, units):
    project = make_project(units["park"])
    body = {"year": 2020, "month": 4, "investment_month": "100", "investment_ytd": "100", "stage": "started"}
    response = client.post(
        f"/api/projects/{project.pk}/reports",
        json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR="10.20.30.40",
        **bearer(park_user),
    )
    assert response.status_code == 201
    report = project.reports.get(month=4)
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(ProgressReport), object_pk=str(report.pk)
    )
    assert (entry.action, entry.actor, entry.remote_addr) == (
        LogEntry.Action.CREATE,
        park_user,
        "10.20.30.40",
    )
