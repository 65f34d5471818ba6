import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.management import call_command

from ducha.projects.models import AnnualPlan, ProgressReport
from ducha.supervision.models import Notice, ReminderLog

TODAY = datetime.date(2020, 5, 20)


@pytest.fixture
def receiver():
    """A real HTTP server on 127.0.0.1 that records the JSON it receives; `fail` makes it answer 500."""
    received: list[tuple[str, dict]] = []
    state = {"fail": False}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if state["fail"]:
                self.send_response(500)
                self.end_headers()
                return
            received.append((self.path, json.loads(body)))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"errcode":0,"errmsg":"ok"}')

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    yield base, received, state
    server.shutdown()
    server.server_close()


@pytest.fixture
def setup(receiver, settings, units, make_problem, park_project, department_user):
    base, received, state = receiver
    settings.DUCHA_WEBHOOK_HOSTS = [*settings.DUCHA_WEBHOOK_HOSTS, base]  # the receiver on 127.0.0.1
    units["department"].webhook_url = f"{base}/wecom"
    units["department"].email = "zjj@example.cn"
    units["department"].save()
    units["park"].webhook_url = f"{base}/ding#dingtalk"
    units["park"].save()
    make_problem(description="逾期的用地问题", deadline=datetime.date(2020, 5, 10))
    make_problem(description="快到期的资金问题", deadline=datetime.date(2020, 5, 22))
    make_problem(description="还早的问题", deadline=datetime.date(2020, 6, 30))
    AnnualPlan.objects.create(project=park_project, year=2020, planned_investment=50000)
    Notice.objects.all().delete()
    return received, state


def run(**kw):
    call_command("remind", date=TODAY.isoformat(), days=3, **kw)


def test_remind_delivers_the_expected_payloads_to_each_channel(setup):
    received, _state = setup
    run()
    by_path = {path: payload for path, payload in received}
    assert set(by_path) == {"/wecom", "/ding"}
    content = {p["markdown"]["content"] for path, p in received if path == "/wecom"}
    assert any("逾期的用地问题" in c and "1" in c for c in content)
    assert any("快到期的资金问题" in c for c in content)
    assert not any("还早的问题" in c for c in content)
    assert all(p["msgtype"] == "markdown" for path, p in received if path == "/wecom")
    ding = by_path["/ding"]
    assert ding["msgtype"] == "text" and "飞荣达高性能导电导热材料项目" in ding["text"]["content"]
    assert {m.to[0] for m in mail.outbox} == {"zjj@example.cn"}
    assert Notice.objects.filter(kind="overdue", recipient_unit__short_name="住建局").count() == 1
    assert Notice.objects.filter(kind="missing_report", recipient_unit__short_name="金科园").count() == 1


def test_running_twice_in_a_day_sends_nothing_twice(setup):
    received, _state = setup
    run()
    first = (len(received), len(mail.outbox), Notice.objects.count())
    run()
    assert (len(received), len(mail.outbox), Notice.objects.count()) == first
    call_command("remind", date=(TODAY + datetime.timedelta(days=1)).isoformat(), days=3)
    assert len(received) == 2 * first[0]


def test_a_failing_robot_is_logged_retried_next_run_and_does_not_stop_the_others(setup):
    received, state = setup
    state["fail"] = True
    run()
    assert received == []
    failed = ReminderLog.objects.filter(status="failed")
    assert failed.count() == 3 and all("500" in log.last_error for log in failed)
    assert len(mail.outbox) == 2  # e-mail still went out
    state["fail"] = False
    run()
    assert len(received) == 3
    assert not ReminderLog.objects.filter(status="failed").exists()
    assert len(mail.outbox) == 2  # and was not sent again


def test_an_unreachable_robot_does_not_crash_the_run(setup, settings, units):
    settings.DUCHA_WEBHOOK_HOSTS = [*settings.DUCHA_WEBHOOK_HOSTS, "http://127.0.0.1:9"]
    units["department"].webhook_url = "http://127.0.0.1:9/closed"
    units["department"].save()
    run()
    assert ReminderLog.objects.filter(status="failed", channel="wecom").count() == 2


def test_a_filed_report_silences_the_missing_report_reminder(setup, park_project):
    received, _state = setup
    ProgressReport.objects.create(
        project=park_project,
        year=2020,
        month=5,
        investment_month=1,
        investment_ytd=5,
        stage="started",
        status="submitted",
    )
    run()
    assert not Notice.objects.filter(kind="missing_report").exists()
    assert "/ding" not in {path for path, _ in received}
