"""Lost updates on monthly reports (issue 11 §5): a stale report form, review or batch line gets the conflict
with both values and overwrites nothing; the same month sent twice never fails."""

from decimal import Decimal

import pytest
from django.test import Client

from ducha.accounts.models import Role, User
from ducha.projects import services
from ducha.projects.models import ProgressReport

from .factories import make_plan, make_project, make_report


def _report_data(ytd, version, month_amount="100", narrative="主体施工"):
    return {
        "year": "2020",
        "month": "4",
        "investment_month": month_amount,
        "investment_ytd": ytd,
        "stage": "started",
        "narrative": narrative,
        "problems": "",
        "version": version,
    }


@pytest.fixture
def colleague(units):
    return User.objects.create_user(
        "jinkeyuan2", password="pw-for-tests-1", role=Role.UNIT, unit=units["park"]
    )


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_second_of_two_report_forms_gets_the_conflict_page_and_the_first_report_stays(
    park_user, colleague, units
):
    project = make_project(units["park"])
    url = f"/projects/{project.pk}/reports/new/?year=2020&month=4"
    first, second = _signed_in(park_user), _signed_in(colleague)
    version = first.get(url).context["form"].initial["version"]
    assert version == services.NO_REPORT_YET == second.get(url).context["form"].initial["version"]
    assert first.post(url, _report_data("600", version)).status_code == 302
    response = second.post(url, _report_data("777", version))
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="conflict"' in page and "600" in page and "777" in page
    report = ProgressReport.objects.get(project=project, year=2020, month=4)
    assert report.investment_ytd == 600 and report.submitted_by == park_user and report.version == 1
    # opened again, the form shows the stored report at its version and refiles it
    form = second.get(url).context["form"]
    assert form.initial["version"] == 1 and form.initial["investment_ytd"] == 600
    assert second.post(url, _report_data("777", 1)).status_code == 302
    report.refresh_from_db()
    assert report.investment_ytd == 777 and report.version == 2


def test_the_same_report_sent_twice_is_stored_once_without_an_error(client_for, park_user, units):
    project = make_project(units["park"])
    client = client_for(park_user)
    url = f"/projects/{project.pk}/reports/new/?year=2020&month=4"
    assert client.post(url, _report_data("600", 0)).status_code == 302
    assert client.post(url, _report_data("600", 0)).status_code == 302  # a double click
    assert ProgressReport.objects.get(project=project, year=2020, month=4).version == 1


def test_a_returned_report_refiled_from_an_old_form_gets_the_conflict_with_the_reason(
    client_for, park_user, office, units
):
    project = make_project(units["park"])
    report = make_report(project, 4, 600, month_amount=100, status="submitted")
    services.progress_report_review(report=report, user=office, approve=False, comment="累计数与台账不符")
    response = client_for(park_user).post(
        f"/projects/{project.pk}/reports/new/?year=2020&month=4", _report_data("600", 1)
    )
    assert response.status_code == 409
    assert "累计数与台账不符" in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).status == "returned"


def test_a_month_inserted_by_someone_else_meanwhile_answers_409_not_500(
    client_for, park_user, units, monkeypatch
):
    """The insert race (no row to lock yet) ends in the conflict page, never in a server error."""
    project = make_project(units["park"])
    make_report(project, 4, 500, month_amount=100, status="submitted")
    # the lookup before the insert misses the stored report, as it would in a race
    monkeypatch.setattr(ProgressReport.objects, "select_for_update", lambda: ProgressReport.objects.none())
    response = client_for(park_user).post(
        f"/projects/{project.pk}/reports/new/?year=2020&month=4", _report_data("600", 0)
    )
    assert response.status_code == 409
    assert ProgressReport.objects.get(project=project, year=2020, month=4).investment_ytd == 500


def test_without_a_version_the_api_path_refiles_the_month(park_user, units):
    project = make_project(units["park"])
    for ytd in (500, 600):
        services.progress_report_submit(
            project=project, user=park_user, year=2020, month=4,
            investment_month=Decimal(100), investment_ytd=Decimal(ytd), stage="started",
        )  # fmt: skip
    report = ProgressReport.objects.get(project=project, year=2020, month=4)
    assert report.investment_ytd == 600 and report.version == 2


def test_a_review_of_a_report_refiled_meanwhile_gets_the_conflict_and_accepts_nothing(
    client_for, office, park_user, units
):
    project = make_project(units["park"])
    report = make_report(project, 4, 600, month_amount=100, status="submitted")
    client = client_for(office)
    url = f"/projects/reports/{report.pk}/review/"
    form = client.get(url).context["form"]
    seen = {name: form[name].value() for name in form.fields}
    services.progress_report_submit(  # the unit corrects the figure while the office reads the old one
        project=project, user=park_user, year=2020, month=4, investment_month=Decimal(100),
        investment_ytd=Decimal(650), stage="started", expected_version=report.version,
    )  # fmt: skip
    response = client.post(url, {**{k: v for k, v in seen.items() if v is not None}, "approve": "1"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "650" in page and "600" in page
    report.refresh_from_db()
    assert report.status == "submitted" and report.reviewed_by is None and report.investment_ytd == 650
    # reviewed from the current version, it is accepted
    form = client.get(url).context["form"]
    fresh = {name: form[name].value() for name in form.fields}
    assert (
        client.post(url, {**{k: v for k, v in fresh.items() if v is not None}, "approve": "1"}).status_code
        == 302
    )
    report.refresh_from_db()
    assert report.status == "reviewed" and report.version == 3


def test_a_batch_line_changed_meanwhile_is_refused_with_both_values_and_the_others_are_stored(
    client_for, park_user, colleague, units
):
    a, b = make_project(units["park"], "甲项目"), make_project(units["park"], "乙项目")
    for p in (a, b):
        make_plan(p)
    client = client_for(park_user)
    url = "/projects/reports/batch/?year=2020&month=4"
    lines = client.get(url).context["lines"]
    data = {"rows-TOTAL_FORMS": "2", "rows-INITIAL_FORMS": "2"}
    for i, (project, form, _prev, _report) in enumerate(lines):
        data.update({f"rows-{i}-project": project.pk, f"rows-{i}-version": form["version"].value()})
        data.update({f"rows-{i}-investment_month": "100", f"rows-{i}-stage": "started"})
    services.progress_report_submit(  # a colleague files 甲 meanwhile
        project=a, user=colleague, year=2020, month=4, investment_month=Decimal(300),
        investment_ytd=Decimal(300), stage="started",
    )  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert ProgressReport.objects.get(project=a, month=4).investment_month == 300  # the colleague's stays
    assert ProgressReport.objects.get(project=b, month=4).investment_month == 100
    refused = [form for project, form, _p, _r in response.context["lines"] if form and form.errors]
    assert len(refused) == 1 and "300" in str(refused[0].non_field_errors())
    shown = [str(m) for m in response.context["messages"]]
    assert any("甲项目" in m for m in shown) and any("1" in m for m in shown)
