"""The change log reads as people write: action names, object names instead of ids, 是/否, local minutes."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from ducha.core.audit import acting_as, audit_change_rows, audit_event_label, audit_names_prefetch
from ducha.projects.models import Project
from ducha.projects.services import project_save
from ducha.projects.tests.factories import make_project


def _entries(project):
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Project), object_pk=str(project.pk)
        )
        .select_related("content_type")
        .order_by("timestamp", "pk")
    )


def test_a_change_names_the_department_says_yes_and_no_and_the_action(
    units, office, django_assert_num_queries
):
    project = make_project(units["park"], "蜂巢能源动力电池项目")
    project.responsible_department = units["department"]
    project.foreign_funded = True
    with acting_as(office):
        project_save(project=project)
    entries = _entries(project)
    with translation.override("zh-hans"):
        with django_assert_num_queries(1):  # one query for the units named, whatever the number of entries
            audit_names_prefetch(entries)
        rows = {label: (old, new) for label, old, new in audit_change_rows(entries[-1])}
        assert [audit_event_label(e) for e in entries] == ["新建", "修改"]
        department = str(Project._meta.get_field("responsible_department").verbose_name)
        foreign = str(Project._meta.get_field("foreign_funded").verbose_name)
    assert rows[department] == ("—", str(units["department"]))
    assert rows[foreign] == ("否", "是")


def test_an_id_whose_object_is_gone_is_shown_as_a_number(units):
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(Project),
        action=LogEntry.Action.UPDATE,
        changes={
            "responsible_department": ["None", "987654"],
            "updated_at": ["None", "2020-12-01 03:04:05.123456"],
        },
    )
    audit_names_prefetch([entry])
    with translation.override("zh-hans"):
        rows = {label: new for label, _old, new in audit_change_rows(entry)}
    assert "#987654" in rows.values()
    assert "2020-12-01 11:04" in rows.values()  # stored in UTC, shown in Beijing time to the minute


def test_every_entry_a_request_writes_carries_its_request_id(client, units, office):
    client.force_login(office)
    response = client.get("/projects/export.xlsx", HTTP_X_REQUEST_ID="proxy-req-00000001")
    assert response["X-Request-ID"] == "proxy-req-00000001"
    export = LogEntry.objects.filter(additional_data__event="export").latest("pk")
    assert export.cid == "proxy-req-00000001"
    other = client.get("/projects/export.xlsx", HTTP_X_REQUEST_ID="bad id with spaces")
    assert other["X-Request-ID"] != "bad id with spaces" and len(other["X-Request-ID"]) == 32
    assert LogEntry.objects.filter(additional_data__event="export").latest("pk").cid == other["X-Request-ID"]


def test_the_other_side_of_a_relation_is_left_out(units):
    from ducha.accounts.models import User

    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(User),
        action=LogEntry.Action.UPDATE,
        changes={"logentry": ["None", "auditlog.LogEntry.None"], "is_active": ["True", "False"]},
    )
    with translation.override("zh-hans"):
        rows = {label: (old, new) for label, old, new in audit_change_rows(entry)}
    assert list(rows.values()) == [("是", "否")]  # the other side of a relation is left out
