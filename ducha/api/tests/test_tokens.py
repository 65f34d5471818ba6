"""API tokens: expiry, the read-only scope, the tokens page, the audit trail of issuing and revoking, the
`api_token` command, and the API documentation behind sign-in with its assets served by the app."""

import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ducha.accounts.models import Role, User
from ducha.api.models import ApiToken, hash_key
from ducha.api.services import api_token_issue, api_token_revoke
from ducha.projects.tests.factories import make_project

TOKENS_URL = "/accounts/tokens/"


def _security_admin():
    if "secadmin" not in Role.values:
        pytest.skip("the security administrator role (secadmin) does not exist yet")
    return User.objects.create_user(username="secadmin-tokens", password="pw-for-tests-1", role="secadmin")


def _bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _report_body() -> str:
    body = {"year": 2020, "month": 4, "investment_month": "100", "investment_ytd": "100", "stage": "started"}
    return json.dumps(body)


def _entries(token: ApiToken):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ApiToken), object_pk=str(token.pk)
    ).order_by("timestamp", "pk")


# --- authentication ---------------------------------------------------------------------------------------


def test_an_expired_token_is_refused(client, park_user):
    token, key = api_token_issue(user=park_user, name="old", days=30)
    assert client.get("/api/projects", **_bearer(key)).status_code == 200
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=now - timedelta(days=31), expires_at=now - timedelta(seconds=1)
    )
    assert client.get("/api/projects", **_bearer(key)).status_code == 401


def test_a_revoked_token_is_refused(client, park_user):
    token, key = api_token_issue(user=park_user, name="old", days=30)
    api_token_revoke(token=token, by=park_user)
    assert client.get("/api/projects", **_bearer(key)).status_code == 401


def test_a_read_only_token_reads_but_cannot_submit_a_report(client, park_user, units):
    project = make_project(units["park"])
    _token, key = api_token_issue(user=park_user, name="dashboard", days=30, read_only=True)
    assert client.get(f"/api/projects/{project.pk}", **_bearer(key)).status_code == 200
    assert client.get("/api/projects", **_bearer(key)).status_code == 200
    response = client.post(
        f"/api/projects/{project.pk}/reports", _report_body(), content_type="application/json", **_bearer(key)
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["error"]["message"]
    assert not project.reports.exists()


def test_a_read_and_write_token_submits_a_report(client, park_user, units):
    project = make_project(units["park"])
    _token, key = api_token_issue(user=park_user, name="sync", days=30, read_only=False)
    response = client.post(
        f"/api/projects/{project.pk}/reports", _report_body(), content_type="application/json", **_bearer(key)
    )
    assert response.status_code == 201


def test_a_token_lasts_the_configured_days_by_default(park_user, monkeypatch):
    monkeypatch.setenv("DUCHA_API_TOKEN_DAYS", "30")
    token, _key = api_token_issue(user=park_user, name="default")
    assert token.expires_at - token.created_at == pytest.approx(timedelta(days=30), abs=timedelta(seconds=5))
    monkeypatch.delenv("DUCHA_API_TOKEN_DAYS")
    token, _key = api_token_issue(user=park_user, name="default")
    assert token.expires_at - token.created_at == pytest.approx(timedelta(days=90), abs=timedelta(seconds=5))


@pytest.mark.parametrize("days", [0, -1, 366])
def test_a_token_lasts_from_one_day_to_a_year(park_user, days):
    with pytest.raises(ValidationError) as exc:
        api_token_issue(user=park_user, name="too long", days=days)
    assert "days" in exc.value.message_dict
    assert not ApiToken.objects.exists()


def test_the_auditor_may_not_hold_a_token(auditor):
    with pytest.raises(ValidationError):
        api_token_issue(user=auditor, name="audit", days=30)
    assert not ApiToken.objects.exists()


# --- the tokens page ----------------------------------------------------------------------------------------


def test_the_page_lists_only_the_users_own_tokens(client_for, park_user, outsider):
    api_token_issue(user=park_user, name="金科园数据平台", days=30)
    api_token_issue(user=outsider, name="华科园数据平台", days=30)
    response = client_for(park_user).get(TOKENS_URL)
    assert response.status_code == 200
    assert "金科园数据平台" in response.text
    assert "华科园数据平台" not in response.text


def test_the_page_shows_read_only_expired_and_revoked_tokens_as_such(client_for, park_user):
    api_token_issue(user=park_user, name="reader", days=30, read_only=True)
    expired, _key = api_token_issue(user=park_user, name="expired", days=30)
    now = timezone.now()
    ApiToken.objects.filter(pk=expired.pk).update(
        created_at=now - timedelta(days=40), expires_at=now - timedelta(days=10)
    )
    revoked, _key = api_token_issue(user=park_user, name="revoked", days=30)
    api_token_revoke(token=revoked, by=park_user)
    tokens = {t.name: t for t in client_for(park_user).get(TOKENS_URL).context["page"]}
    assert tokens["reader"].read_only and tokens["reader"].is_active
    assert tokens["expired"].is_expired and not tokens["expired"].is_active
    assert tokens["revoked"].revoked and not tokens["revoked"].is_active


def test_visitors_are_sent_to_the_sign_in_page(client, db):
    response = client.get(TOKENS_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_auditor_is_offered_no_tokens(client_for, auditor):
    client = client_for(auditor)
    assert client.get(TOKENS_URL).status_code == 403
    assert client.post(TOKENS_URL, {"name": "x", "days": 30}).status_code == 403
    assert not ApiToken.objects.exists()


def test_the_user_menu_links_to_the_tokens_page_for_business_users_only(client_for, park_user, auditor):
    assert f'href="{TOKENS_URL}"' in client_for(park_user).get(TOKENS_URL).text
    assert f'href="{TOKENS_URL}"' not in client_for(auditor).get("/accounts/two-factor/").text


def test_issuing_shows_the_key_once_and_stores_only_its_hash(client_for, park_user):
    client = client_for(park_user)
    response = client.post(TOKENS_URL, {"name": "区数据平台", "days": 30, "read_only": "on"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["new_key"]
    assert key.startswith("dch_") and key in response.text
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.read_only) == (park_user, "区数据平台", True)
    assert token.key_hash == hash_key(key)
    assert key not in {str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields}
    assert token.expires_at - token.created_at == pytest.approx(timedelta(days=30), abs=timedelta(seconds=5))
    assert key not in client.get(TOKENS_URL).text
    assert client.get("/api/projects", **_bearer(key)).status_code == 200


@pytest.mark.parametrize("days", ["0", "366", ""])
def test_issuing_refuses_a_lifetime_outside_one_day_to_a_year(client_for, park_user, days):
    response = client_for(park_user).post(TOKENS_URL, {"name": "x", "days": days})
    assert response.status_code == 200
    assert response.context["form"].errors["days"]
    assert response.context["new_key"] is None
    assert not ApiToken.objects.exists()


def test_a_user_revokes_their_own_token(client_for, park_user):
    token, key = api_token_issue(user=park_user, name="old", days=30)
    client = client_for(park_user)
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302 and response.url == TOKENS_URL
    token.refresh_from_db()
    assert token.revoked
    client.logout()
    assert client.get("/api/projects", **_bearer(key)).status_code == 401


def test_revoking_needs_a_post(client_for, park_user):
    token, _key = api_token_issue(user=park_user, name="old", days=30)
    assert client_for(park_user).get(reverse("api_tokens:revoke", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert not token.revoked


def test_revoking_another_users_token_is_404(client_for, park_user, outsider, office):
    token, _key = api_token_issue(user=park_user, name="金科园", days=30)
    for user in (outsider, office):  # the office, too, manages only its own tokens
        assert client_for(user).post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert not token.revoked


def test_the_security_admin_sees_and_revokes_every_token(client_for, park_user, outsider):
    security_admin = _security_admin()
    mine, _key = api_token_issue(user=park_user, name="金科园数据平台", days=30)
    api_token_issue(user=outsider, name="华科园数据平台", days=30)
    client = client_for(security_admin)
    response = client.get(TOKENS_URL)
    assert response.status_code == 200
    assert "金科园数据平台" in response.text and "华科园数据平台" in response.text
    assert f'href="{TOKENS_URL}"' in response.text
    assert response.context["form"] is None  # the security administrator holds no business token
    assert client.post(TOKENS_URL, {"name": "mine", "days": 30}).status_code == 403
    assert client.post(reverse("api_tokens:revoke", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.revoked
    (entry,) = _entries(mine).filter(action=LogEntry.Action.UPDATE)
    assert entry.actor == security_admin


# --- the audit trail ----------------------------------------------------------------------------------------


def test_issuing_and_revoking_are_recorded_with_the_user_and_the_address(client_for, park_user):
    client = client_for(park_user)
    response = client.post(TOKENS_URL, {"name": "区数据平台", "days": 30}, REMOTE_ADDR="10.1.2.3")
    key = response.context["new_key"]
    token = ApiToken.objects.get()
    client.post(reverse("api_tokens:revoke", args=[token.pk]), REMOTE_ADDR="10.4.5.6")
    created, revoked = _entries(token)
    assert (created.action, created.actor, created.remote_addr) == (
        LogEntry.Action.CREATE,
        park_user,
        "10.1.2.3",
    )
    assert (revoked.action, revoked.actor, revoked.remote_addr) == (
        LogEntry.Action.UPDATE,
        park_user,
        "10.4.5.6",
    )
    assert set(revoked.changes_dict) == {"revoked"}
    assert "key_hash" not in created.changes_dict and "last_used_at" not in created.changes_dict
    assert key not in json.dumps(created.changes_dict) and token.key_hash not in json.dumps(
        created.changes_dict
    )


def test_using_a_token_records_nothing(client, park_user):
    token, key = api_token_issue(user=park_user, name="sync", days=30)
    before = _entries(token).count()
    assert client.get("/api/projects", **_bearer(key)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert _entries(token).count() == before


# --- the api_token command ----------------------------------------------------------------------------------


def test_the_api_token_command_issues_a_read_only_token_for_some_days(park_user):
    out = StringIO()
    call_command(
        "api_token", park_user.username, "--name", "nightly", "--days", "7", "--read-only", stdout=out
    )
    key = out.getvalue().strip()
    token = ApiToken.objects.get(key_hash=hash_key(key))
    assert (token.user, token.name, token.read_only) == (park_user, "nightly", True)
    assert token.expires_at - token.created_at == pytest.approx(timedelta(days=7), abs=timedelta(seconds=5))
    assert _entries(token).filter(action=LogEntry.Action.CREATE).exists()


def test_the_api_token_command_issues_read_and_write_tokens_for_the_default_days(park_user):
    out = StringIO()
    call_command("api_token", park_user.username, stdout=out)
    token = ApiToken.objects.get(key_hash=hash_key(out.getvalue().strip()))
    assert not token.read_only
    assert token.expires_at - token.created_at == pytest.approx(timedelta(days=90), abs=timedelta(seconds=5))


@pytest.mark.parametrize("args", [["--days", "400"], ["--days", "0"]])
def test_the_api_token_command_refuses_a_lifetime_outside_one_day_to_a_year(park_user, args):
    with pytest.raises(CommandError):
        call_command("api_token", park_user.username, *args, stdout=StringIO())
    assert not ApiToken.objects.exists()


def test_the_api_token_command_refuses_the_auditor(auditor):
    with pytest.raises(CommandError):
        call_command("api_token", auditor.username, stdout=StringIO())


# --- the API documentation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/docs", "/api/openapi.json"])
def test_the_api_documentation_refuses_visitors(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_api_documentation_refuses_the_auditor(client_for, auditor):
    assert client_for(auditor).get("/api/docs").status_code == 403


def test_the_api_documentation_loads_swagger_ui_from_the_app(client_for, park_user):
    client = client_for(park_user)
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.text
    foreign = [
        u for u in re.findall(r"(?:https?:)?//[^\s\"'<>)]+", html) if not u.startswith("http://testserver/")
    ]
    assert foreign == []
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//")
        assert client.get(asset).status_code == 200, asset
    assert (
        '"validatorUrl": null' in html
    )  # Swagger UI would otherwise send the document to validator.swagger.io


# --- query counts -------------------------------------------------------------------------------------------


def _page_queries(client) -> int:
    client.get(TOKENS_URL)  # warm up the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(TOKENS_URL).status_code == 200
    return len(ctx.captured_queries)


def test_token_page_query_count_does_not_grow_with_tokens(client_for, park_user):
    client = client_for(park_user)
    api_token_issue(user=park_user, name="token 0", days=30)
    few = _page_queries(client)
    for i in range(1, 15):
        api_token_issue(user=park_user, name=f"token {i}", days=30, read_only=i % 2 == 0)
    many = _page_queries(client)
    assert many == few, f"{few} queries for 1 token, {many} for 15"


def test_security_admin_token_page_query_count_does_not_grow_with_users(client_for, park_user):
    security_admin = _security_admin()
    client = client_for(security_admin)
    api_token_issue(user=park_user, name="token 0", days=30)
    few = _page_queries(client)
    for i in range(12):
        user = User.objects.create_user(username=f"user{i}", password="pw-for-tests-1", role=Role.LEADER)
        api_token_issue(user=user, name=f"token {i}", days=30)
    many = _page_queries(client)
    assert many == few, f"{few} queries for 1 token, {many} for 13 tokens of 13 users"
