"""Robot webhooks: the allow-list, the address checks, no redirects, DingTalk signing and what is logged.

Nothing here reaches outside this machine: the refusals are checked by the pure functions (with a stubbed
name look-up where an answer is needed), the deliveries go to a receiver on 127.0.0.1 listed for the test.
"""

import base64
import datetime
import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from ducha.accounts.models import User
from ducha.supervision.models import ReminderLog
from ducha.supervision.webhooks import (
    PUBLIC_ROBOT_HOSTS,
    REASON_MAX_CHARS,
    WebhookError,
    dingtalk_sign,
    dingtalk_signed_query,
    log_target,
    resolved_address_problem,
    webhook_post,
    webhook_url_problem,
)
from ducha.units.admin import UnitAdmin, UnitAdminForm
from ducha.units.models import PeerGroup, Unit, UnitKind

DEFAULT = list(PUBLIC_ROBOT_HOSTS)
GATEWAY = [*DEFAULT, "gateway.example.gov.cn", "http://10.1.2.3:8080"]
WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"
DINGTALK = "https://oapi.dingtalk.com/robot/send?access_token=abc123"


@pytest.fixture(autouse=True)
def in_english():
    """The messages are compared in English (the Chinese catalog is checked in the admin test)."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8000/hook", "loopback"),
        ("https://127.0.0.1/hook", "loopback"),
        ("http://localhost/hook", "loopback"),
        ("https://localhost:8443/hook", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://169.254.169.254/", "link-local"),
        ("http://10.0.0.1/", "private"),
        ("https://192.168.1.10/send", "private"),
        ("https://172.16.0.1/send", "private"),
        ("http://[::1]:8000/hook", "loopback"),
        ("https://[::ffff:127.0.0.1]/hook", "loopback"),
        ("https://[fd00::1]/hook", "private"),
        ("https://[fe80::1]/hook", "link-local"),
        ("https://0.0.0.0/hook", "unspecified"),
        ("https://224.0.0.1/hook", "multicast"),
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", "https"),
        ("http://robots.example.com/send", "not an allowed robot host"),
        ("https://robots.example.com/send", "not an allowed robot host"),
        ("https://qyapi.weixin.qq.com.evil.example/send", "not an allowed robot host"),
        ("https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send", "scheme and port"),
        ("https://user:pw@oapi.dingtalk.com/robot/send", "user name or password"),
        ("ftp://oapi.dingtalk.com/robot/send", "https://"),
        ("file:///etc/passwd", "https://"),
        ("https://oapi.dingtalk.com:99999/robot/send", "not a valid web address"),
    ],
)
def test_addresses_outside_the_allow_list_are_refused(url, expected):
    problem = webhook_url_problem(url, DEFAULT)
    assert problem is not None and expected in problem


@pytest.mark.parametrize(
    "url",
    [
        WECOM,
        DINGTALK,
        "https://QYAPI.weixin.qq.com/cgi-bin/webhook/send?key=x#wecom",
        "https://oapi.dingtalk.com:443/robot/send?access_token=x#dingtalk",
    ],
)
def test_the_wecom_and_dingtalk_robot_hosts_are_allowed_by_default(url):
    assert webhook_url_problem(url, DEFAULT) is None


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://gateway.example.gov.cn/robot/send", True),
        ("https://gateway.example.gov.cn:443/robot/send", True),
        ("http://gateway.example.gov.cn/robot/send", False),  # a bare host allows https only
        ("https://gateway.example.gov.cn:8443/robot/send", False),
        ("http://10.1.2.3:8080/robot/send", True),  # listed with its scheme and port
        ("http://10.1.2.3/robot/send", False),
        ("https://10.1.2.3:8080/robot/send", False),
        ("http://10.1.2.4:8080/robot/send", False),
    ],
)
def test_an_intranet_gateway_is_allowed_exactly_as_listed(url, allowed):
    assert (webhook_url_problem(url, GATEWAY) is None) is allowed


@pytest.mark.parametrize(
    ("host", "addresses", "expected"),
    [
        ("qyapi.weixin.qq.com", ["101.91.40.12"], None),
        ("qyapi.weixin.qq.com", ["101.91.40.12", "10.0.0.7"], "private"),
        ("oapi.dingtalk.com", ["169.254.169.254"], "link-local"),
        ("oapi.dingtalk.com", ["127.0.0.1"], "loopback"),
        ("oapi.dingtalk.com", ["::ffff:192.168.0.1"], "private"),
        ("oapi.dingtalk.com", ["fe80::1"], "link-local"),
        ("gateway.example.gov.cn", ["10.8.0.2"], None),  # listed by the operator: an intranet gateway
        ("other.example.gov.cn", ["10.8.0.2"], "private"),
    ],
)
def test_every_resolved_address_of_a_public_robot_host_must_be_public(host, addresses, expected):
    problem = resolved_address_problem(host, addresses, GATEWAY)
    assert problem is None if expected is None else expected in problem


def fake_resolver(*addresses):
    def resolve(host, port, **kw):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in addresses]

    return resolve


def test_a_robot_host_resolving_to_the_metadata_address_is_refused_before_connecting():
    with pytest.raises(WebhookError, match="169.254.169.254"):
        webhook_post(DINGTALK, {}, allowed_hosts=DEFAULT, resolve=fake_resolver("169.254.169.254"))


def test_a_refused_address_is_checked_again_at_send_time_whatever_was_saved():
    with pytest.raises(WebhookError, match="refused"):
        webhook_post("http://10.0.0.1/", {}, allowed_hosts=DEFAULT, resolve=fake_resolver("10.0.0.1"))


def test_the_dingtalk_sign_matches_a_vector_computed_independently():
    secret, timestamp = "SECtest", 1700000000000
    # printf '1700000000000\nSECtest' | openssl dgst -sha256 -hmac SECtest -binary | base64
    assert dingtalk_sign(secret, timestamp) == "aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g="
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert dingtalk_sign(secret, timestamp) == expected


def test_the_signed_query_appends_the_timestamp_and_the_url_encoded_sign():
    query = dingtalk_signed_query("access_token=abc", "SECtest", 1700000000000)
    assert (
        query
        == "access_token=abc&timestamp=1700000000000&sign=aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g%3D"
    )
    assert parse_qs(query)["sign"] == ["aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g="]


def test_the_logged_target_keeps_no_robot_key():
    target = log_target(WECOM + "#wecom")
    assert target.startswith("https://qyapi.weixin.qq.com/cgi-bin/webhook/send #")
    assert "693a91f6" not in target and log_target(WECOM) != log_target(WECOM.replace("7xxx", "8xxx"))


@pytest.fixture
def receiver():
    """A real HTTP server on 127.0.0.1: records what it receives and answers as `state["answer"]` says."""
    received: list[tuple[str, bytes]] = []
    state: dict = {"status": 200, "body": b'{"errcode":0,"errmsg":"ok"}', "headers": {}}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append((self.path, self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(state["status"])
            for name, value in state["headers"].items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(state["body"])))
            self.end_headers()
            self.wfile.write(state["body"])

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    yield base, received, state
    server.shutdown()
    server.server_close()


def test_a_listed_receiver_gets_the_message_with_the_dingtalk_signature(receiver):
    base, received, _state = receiver
    reason = webhook_post(
        f"{base}/robot/send?access_token=abc#dingtalk",
        {"msgtype": "text", "text": {"content": "住建局: 1 项逾期"}},
        secret="SECtest",
        allowed_hosts=[base],
        now_ms=lambda: 1700000000000,
    )
    assert reason == "HTTP 200 errcode=0 errmsg=ok"
    ((path, body),) = received
    parts = urlsplit(path)
    assert parts.path == "/robot/send"
    assert parse_qs(parts.query) == {
        "access_token": ["abc"],
        "timestamp": ["1700000000000"],
        "sign": ["aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g="],
    }
    assert json.loads(body)["text"]["content"] == "住建局: 1 项逾期"


def test_a_receiver_not_listed_is_never_contacted(receiver):
    base, received, _state = receiver
    with pytest.raises(WebhookError, match="loopback"):
        webhook_post(f"{base}/hook", {}, allowed_hosts=DEFAULT)
    with pytest.raises(WebhookError, match="loopback"):  # the same host on another port is not listed either
        webhook_post(f"{base}/hook", {}, allowed_hosts=["http://127.0.0.1:1"])
    assert received == []


def test_a_redirect_is_not_followed(receiver):
    base, received, state = receiver
    state.update(status=302, headers={"Location": f"{base}/elsewhere"}, body=b"")
    with pytest.raises(WebhookError, match="HTTP 302: redirect not followed"):
        webhook_post(f"{base}/hook", {}, allowed_hosts=[base])
    assert [path for path, _ in received] == ["/hook"]


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (500, b"TOPSECRET stack trace " * 500, "HTTP 500 Internal Server Error"),
        (200, b'{"errcode":310000,"errmsg":"sign not match","extra":"TOPSECRET"}', "errcode=310000"),
        (200, json.dumps({"errcode": 93000, "errmsg": "x" * 3000}).encode(), "errcode=93000"),
    ],
)
def test_a_refusing_robot_leaves_only_the_status_and_a_short_reason(receiver, status, body, reason):
    base, _received, state = receiver
    state.update(status=status, body=body)
    with pytest.raises(WebhookError) as error:
        webhook_post(f"{base}/hook", {}, allowed_hosts=[base])
    assert reason in str(error.value)
    assert "TOPSECRET" not in str(error.value) and len(str(error.value)) <= REASON_MAX_CHARS


def test_the_reminder_log_keeps_only_the_status_and_a_short_reason(receiver, settings, units, make_problem):
    base, received, state = receiver
    settings.DUCHA_WEBHOOK_HOSTS = [*DEFAULT, base]
    units["department"].webhook_url = f"{base}/cgi-bin/webhook/send?key=ROBOTKEY"
    units["department"].save()
    make_problem(deadline=datetime.date(2020, 5, 10))
    state.update(status=500, body=b"TOPSECRET " * 1000)
    call_command("remind", date="2020-05-20", days=3)
    (log,) = ReminderLog.objects.filter(channel="wecom")
    assert (log.status, log.last_error) == ("failed", "HTTP 500 Internal Server Error")
    assert "ROBOTKEY" not in log.target
    assert received and "key=ROBOTKEY" in received[0][0]


def test_the_reminder_log_names_the_refusal_of_an_address_no_longer_allowed(settings, units, make_problem):
    settings.DUCHA_WEBHOOK_HOSTS = DEFAULT
    units["department"].webhook_url = "http://169.254.169.254/latest/meta-data/"
    units["department"].save()  # saved before the rule existed: refused again at send time
    make_problem(deadline=datetime.date(2020, 5, 10))
    call_command("remind", date="2020-05-20", days=3)
    (log,) = ReminderLog.objects.filter(channel="wecom")
    assert log.status == "failed" and log.last_error.startswith("refused:") and "link-local" in log.last_error


def unit(**kw):
    return Unit(name="测试园", kind=UnitKind.PARK, peer_group=PeerGroup.PARKS, **kw)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/hook", "http://169.254.169.254/", "https://hooks.example.com/"]
)
def test_a_unit_cannot_be_saved_with_a_refused_robot_address(db, settings, url):
    settings.DUCHA_WEBHOOK_HOSTS = DEFAULT
    with pytest.raises(ValidationError) as error:
        unit(webhook_url=url).full_clean()
    assert set(error.value.message_dict) == {"webhook_url"}


def test_a_unit_can_be_saved_with_a_dingtalk_robot_and_its_secret(db, settings):
    settings.DUCHA_WEBHOOK_HOSTS = DEFAULT
    unit(webhook_url=DINGTALK, webhook_secret="SEC0123abcd").full_clean()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"webhook_secret": "SEC0123abcd"}, "webhook_secret"),  # no robot to sign for
        ({"webhook_url": DINGTALK, "webhook_secret": "not a secret"}, "webhook_secret"),
    ],
)
def test_a_signing_secret_needs_a_robot_and_the_sec_form(db, fields, field):
    with pytest.raises(ValidationError) as error:
        unit(**fields).full_clean()
    assert field in error.value.message_dict


def form_data(**kw):
    data = {"name": "测试园", "kind": "park", "peer_group": "parks", "order": 0, "webhook_url": DINGTALK}
    return {**data, **kw}


def test_the_admin_form_never_shows_the_secret_and_keeps_it_when_left_empty(db):
    stored = unit(webhook_url=DINGTALK, webhook_secret="SECstored")
    stored.save()
    assert "SECstored" not in str(UnitAdminForm(instance=stored)["webhook_secret"])
    assert 'type="password"' in str(UnitAdminForm(instance=stored)["webhook_secret"])
    form = UnitAdminForm(form_data(webhook_secret=""), instance=stored)
    assert form.is_valid(), form.errors
    assert form.save().webhook_secret == "SECstored"
    form = UnitAdminForm(form_data(webhook_secret="", webhook_secret_clear="on"), instance=stored)
    assert form.is_valid(), form.errors
    assert form.save().webhook_secret == ""


def test_the_admin_form_names_the_webhook_field_when_the_address_is_refused(db):
    form = UnitAdminForm(form_data(webhook_url="http://10.0.0.1/robot"))
    assert not form.is_valid()
    assert "private" in form.errors["webhook_url"][0]


def test_the_secret_stays_out_of_the_audit_trail(db):
    stored = unit(webhook_url=DINGTALK)
    stored.save()
    stored.webhook_secret = "SECnewsecret"
    stored.short_name = "测试"
    stored.save()
    entries = LogEntry.objects.get_for_object(stored)
    assert entries.count() == 2
    assert not any(
        "SECnewsecret" in json.dumps(e.changes) or "webhook_secret" in str(e.changes) for e in entries
    )


def test_the_admin_form_names_the_refusal_next_to_the_webhook_field_and_shows_a_password_box(rf, units):
    """The form the unit admin builds (its widgets and overrides), without the site's access rules."""
    request = rf.get("/admin/units/unit/")
    request.user = User(is_superuser=True, is_staff=True)
    park = units["park"]
    park.webhook_url, park.webhook_secret = DINGTALK, "SECstored"
    park.save()
    form_class = UnitAdmin(Unit, admin.site).get_form(request, park)
    assert 'type="password"' in str(form_class(instance=park)["webhook_secret"])
    assert "SECstored" not in str(form_class(instance=park))
    form = form_class(
        form_data(name=park.name, webhook_url="http://169.254.169.254/latest/meta-data/"), instance=park
    )
    with translation.override("zh-hans"):
        assert not form.is_valid()
        assert "169.254.169.254是链路本地地址" in form.errors["webhook_url"][0]
    park.refresh_from_db()
    assert park.webhook_url == DINGTALK and park.webhook_secret == "SECstored"
