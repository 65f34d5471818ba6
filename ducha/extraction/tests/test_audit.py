"""Accepting an extracted project leaves audit entries for the project and each capacity, naming the reviewer."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ducha.extraction.choices import FactKind
from ducha.projects.models import Capacity, Project

from .conftest import fact_of


def test_an_accepted_extracted_project_and_its_capacities_are_audited_with_the_user_and_the_ip(
    client_for, office, units, document
):
    fact = fact_of(document, FactKind.PROJECT, "蜂巢能源动力电池项目")
    assert fact.payload["capacities"], "the report names the project's capacities"
    response = client_for(office).post(
        reverse("extraction:fact_review", args=[document.pk, fact.pk]),
        {
            "action": "create",
            "unit": units["park"].pk,
            "name": "蜂巢能源动力电池项目",
            "company": "",
            "total_investment": "800000",
            "currency": "CNY",
            "annual_revenue": "",
            "revenue_currency": "CNY",
        },
        HTTP_HX_REQUEST="true",
        REMOTE_ADDR="10.20.30.41",
    )
    assert response.status_code == 200
    project = Project.objects.get(name="蜂巢能源动力电池项目")
    capacities = list(project.capacities.all())
    assert len(capacities) == len(fact.payload["capacities"])
    entries = LogEntry.objects.filter(action=LogEntry.Action.CREATE)
    project_entry = entries.get(
        content_type=ContentType.objects.get_for_model(Project), object_pk=str(project.pk)
    )
    capacity_entries = entries.filter(
        content_type=ContentType.objects.get_for_model(Capacity),
        object_pk__in=[str(c.pk) for c in capacities],
    )
    assert capacity_entries.count() == len(capacities)
    for entry in [project_entry, *capacity_entries]:
        assert (entry.actor, entry.remote_addr) == (office, "10.20.30.41")
