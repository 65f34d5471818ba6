"""Returned reports are visible (issue 12 §2): the unit is told in-app, by e-mail and through its group robot,
and the reason, the reviewer and the time show on the report, the unit's list and the batch page until the
report is corrected and submitted again."""

import datetime

import pytest
from django.core import mail

from ducha.projects import services
from ducha.projects.models import ProgressReport
from ducha.supervision import notify
from ducha.supervision.models import Notice, ReminderLog

from .factories import make_plan, make_project, make_report

REASON = "本月投资与入库数据不一致"


@pytest.fixture
def returned(client_for, office, park_user, units, monkeypatch, django_capture_on_commit_callbacks):
    """The office returns the park's April report through the review page."""
    office.display_name = "王督查"
    office.save()
    park_user.email = "jky@example.cn"
    park_user.save()
    units["park"].webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    units["park"].save()
    robot_posts = []
    monkeypatch.setattr(notify, "webhook_post", lambda url, payload, secret="": robot_posts.append(payload))
    project = make_project(units["park"], "蜂巢能源动力电池项目")
    make_plan(project)
    report = make_report(project, 4, 600, month_amount=100, status="submitted")
    client = client_for(office)
    form = client.get(f"/projects/reports/{report.pk}/review/").context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/projects/reports/{report.pk}/review/", {**data, "comment": REASON, "return": "1"}
        )
    assert response.status_code == 302
    # a fixed review time, to check that pages show it in local time (Asia/Shanghai, UTC+8) to the minute
    ProgressReport.objects.filter(pk=report.pk).update(
        reviewed_at=datetime.datetime(2020, 5, 6, 2, 30, tzinfo=datetime.UTC)
    )
    report.refresh_from_db()
    client.logout()
    return report, robot_posts


def test_returning_a_report_tells_the_unit_in_app_by_mail_and_through_its_robot(returned, units):
    report, robot_posts = returned
    notice = Notice.objects.get(recipient_unit=units["park"])
    assert REASON in notice.text and "王督查" in notice.text and "蜂巢能源动力电池项目" in notice.text
    assert notice.link == f"/projects/{report.project_id}/reports/new/?year=2020&month=4"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jky@example.cn"]
    assert REASON in mail.outbox[0].body and "http://testserver/projects/" in mail.outbox[0].body
    assert len(robot_posts) == 1 and REASON in str(robot_posts[0])
    assert set(ReminderLog.objects.values_list("channel", "status")) == {
        ("in_app", "sent"),
        ("email", "sent"),
        ("wecom", "sent"),
    }


def test_the_unit_sees_the_reason_the_reviewer_and_the_local_time_on_its_pages(
    returned, client_for, park_user
):
    report, _posts = returned
    client = client_for(park_user)
    pages = {
        "list": client.get("/projects/reports/?year=2020&month=4"),
        "batch": client.get("/projects/reports/batch/?year=2020&month=4"),
        "report": client.get(f"/projects/{report.project_id}/reports/new/?year=2020&month=4"),
        "project": client.get(f"/projects/{report.project_id}/"),
    }
    for name, page in pages.items():
        text = page.content.decode()
        assert REASON in text and "王督查" in text and "2020-05-06 10:30" in text, name


def test_the_note_goes_once_the_report_is_corrected_and_submitted_again(returned, client_for, park_user):
    report, _posts = returned
    client = client_for(park_user)
    url = f"/projects/{report.project_id}/reports/new/?year=2020&month=4"
    form = client.get(url).context["form"]
    assert form.initial["investment_ytd"] == 600  # the returned figures open for correction
    data = {name: form.initial.get(name) for name in form.fields}
    data.update({"investment_ytd": "650", "investment_month": "150", "narrative": "", "problems": ""})
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.investment_ytd == 650
    for page in ("/projects/reports/?year=2020&month=4", "/projects/reports/batch/?year=2020&month=4"):
        assert REASON not in client.get(page).content.decode()


def test_accepting_a_report_sends_nothing(office, park_user, units, django_capture_on_commit_callbacks):
    report = make_report(make_project(units["park"]), 4, 600, status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_report_review(report=report, user=office, approve=True)
    assert not Notice.objects.exists() and not mail.outbox


def test_a_failing_robot_does_not_undo_the_return_or_stop_the_in_app_notice(
    office, units, monkeypatch, django_capture_on_commit_callbacks
):
    units["park"].webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    units["park"].save()

    def down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(notify, "webhook_post", down)
    report = make_report(make_project(units["park"]), 4, 600, status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_report_review(report=report, user=office, approve=False, comment=REASON)
    assert ProgressReport.objects.get(pk=report.pk).status == "returned"
    assert Notice.objects.filter(recipient_unit=units["park"]).exists()
    assert ReminderLog.objects.get(channel="wecom").status == "failed"
