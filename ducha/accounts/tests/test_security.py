"""Sign-in, sessions, passwords and two-factor to 等保2.0 level 3, as a user meets them."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ducha.accounts import middleware
from ducha.accounts.models import User
from ducha.accounts.services import user_sync_admin_access

PASSWORD = "pw-for-tests-1"


def code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def sign_in(client, username, password=PASSWORD, otp_token="", address="127.0.0.1"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password, "otp_token": otp_token},
        REMOTE_ADDR=address,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# ---- two factors


def test_a_totp_user_gets_no_session_from_any_sign_in_form_without_the_code(client, sysadmin):
    user_sync_admin_access(user=sysadmin)
    device = TOTPDevice.objects.create(user=sysadmin, name="ducha", confirmed=True)
    response = sign_in(client, "sysadmin")
    assert response.status_code == 200 and not signed_in(client)
    response = client.post("/admin/login/", {"username": "sysadmin", "password": PASSWORD})
    assert response.status_code == 302 and response.url.startswith(reverse("login")) and not signed_in(client)
    assert sign_in(client, "sysadmin", otp_token=code(device)).status_code == 302 and signed_in(client)
    assert client.get("/admin/").status_code == 200


def test_a_backup_code_signs_in_once(client, leader):
    TOTPDevice.objects.create(user=leader, name="ducha", confirmed=True)
    static = StaticDevice.objects.create(user=leader, name="backup", confirmed=True)
    static.token_set.create(token="backup42")
    assert sign_in(client, "leader", otp_token="backup42").status_code == 302
    client.logout()
    assert sign_in(client, "leader", otp_token="backup42").status_code == 200 and not signed_in(client)


def test_a_role_that_must_use_two_factors_sets_it_up_before_anything_else(client, settings, office):
    settings.DUCHA_REQUIRE_2FA = ["office"]
    assert sign_in(client, "office").status_code == 302
    response = client.get(reverse("projects:list"))
    assert response.status_code == 302 and response.url == reverse("accounts:two_factor")
    page = client.get(reverse("accounts:two_factor"))
    assert "<svg" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=office).exists()  # looking at the page stores nothing
    key = client.session["ducha_totp_pending_key"]
    unsaved = TOTPDevice(user=office, key=key)
    response = client.post(reverse("accounts:two_factor"), {"token": code(unsaved)})
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    assert TOTPDevice.objects.filter(user=office, confirmed=True).count() == 1
    assert client.get(reverse("projects:list")).status_code == 200


# ---- sessions


@pytest.fixture
def clock(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: now[0])
    return now


def test_a_session_idle_longer_than_the_limit_is_sent_to_the_sign_in_page(client, settings, leader, clock):
    settings.DUCHA_SESSION_IDLE_MINUTES = 1
    client.force_login(leader)
    assert client.get("/").status_code == 200
    clock[0] += 70
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not signed_in(client)
    from auditlog.models import LogEntry

    timeout = LogEntry.objects.get(additional_data__event="session_timeout")
    assert timeout.actor == leader and timeout.remote_addr == "127.0.0.1" and timeout.cid


def test_a_session_with_a_request_every_20_seconds_stays(client, settings, leader, clock):
    settings.DUCHA_SESSION_IDLE_MINUTES = 1
    client.force_login(leader)
    for _step in range(10):
        assert client.get("/").status_code == 200
        clock[0] += 20
    assert signed_in(client)


def test_a_session_ends_at_its_maximum_lifetime_however_busy(client, settings, leader, clock):
    settings.DUCHA_SESSION_MAX_HOURS = 1
    client.force_login(leader)
    for _step in range(7):
        client.get("/")
        clock[0] += 600
    assert client.get("/").status_code == 302 and not signed_in(client)


def test_htmx_requests_of_an_ended_session_redirect_the_whole_page(client, settings, leader, clock):
    settings.DUCHA_SESSION_IDLE_MINUTES = 1
    client.force_login(leader)
    client.get("/")
    clock[0] += 70
    response = client.get(reverse("projects:list"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("login")


# ---- passwords


@pytest.mark.parametrize("weak", ["jintan2020", "ducha123", "short1A", "leader-Pass-1"])
def test_weak_passwords_are_refused_on_the_own_change_page(client, leader, weak):
    client.force_login(leader)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 200 and response.context["form"].errors
    leader.refresh_from_db()
    assert leader.check_password(PASSWORD)


def test_jintan2020_is_refused_by_the_admin_reset_and_the_admin_add_form(client, sysadmin, leader):
    user_sync_admin_access(user=sysadmin)
    client.force_login(sysadmin)
    reset = client.post(
        f"/admin/accounts/user/{leader.pk}/password/",
        {"password1": "jintan2020", "password2": "jintan2020", "usable_password": "true"},
    )
    assert reset.status_code == 200
    add = client.post(
        "/admin/accounts/user/add/",
        {"username": "x1", "password1": "jintan2020", "password2": "jintan2020", "usable_password": "true"},
    )
    assert add.status_code == 200 and not User.objects.filter(username="x1").exists()


def test_the_leader_changes_their_own_password_from_the_menu_and_other_sessions_end(client, leader):
    from django.test import Client

    other = Client()
    other.force_login(leader)
    client.force_login(leader)
    menu = client.get("/").content.decode()
    assert f'href="{reverse("accounts:password_change")}"' in menu
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Shendong-2024-x", "new_password2": "Shendong-2024-x"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session stays
    assert other.get("/").status_code == 302  # the other one has ended
    leader.refresh_from_db()
    assert leader.check_password("Shendong-2024-x") and leader.password_changed_at


def test_a_password_that_must_change_allows_only_the_change_page(client, leader):
    leader.password_must_change = True
    leader.save()
    client.force_login(leader)
    response = client.get(reverse("projects:list"))
    assert response.status_code == 302 and response.url == reverse("accounts:password_change")
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Shendong-2024-x", "new_password2": "Shendong-2024-x"},
    )
    assert client.get(reverse("projects:list")).status_code == 200


def test_an_expired_password_must_be_changed(client, settings, leader):
    from datetime import timedelta

    from django.utils import timezone

    settings.DUCHA_PASSWORD_MAX_AGE_DAYS = 90
    leader.password_changed_at = timezone.now() - timedelta(days=91)
    leader.save()
    client.force_login(leader)
    assert client.get("/").url == reverse("accounts:password_change")


def test_deactivating_a_user_ends_their_sessions(client, leader):
    client.force_login(leader)
    leader.is_active = False
    leader.save()
    assert client.get("/").status_code == 302


# ---- lockout


def test_five_failures_lock_the_user_name_from_every_address(client, leader):
    for _attempt in range(5):
        sign_in(client, "leader", password="wrong", address="10.0.0.1")
    response = sign_in(client, "leader", address="10.0.0.2")
    assert not signed_in(client) and response.status_code in (200, 403, 429)


def test_many_user_names_tried_from_one_address_are_stopped(client, settings, leader):
    settings.DUCHA_LOGIN_IP_FAILURE_LIMIT = 20
    for attempt in range(20):
        sign_in(client, f"guess{attempt}", password="wrong", address="10.0.0.9")
    response = sign_in(client, "leader", address="10.0.0.9")
    assert not signed_in(client)
    assert response.context["form"].non_field_errors().as_data()[0].code == "address_locked"
    assert (
        sign_in(client, "leader", address="10.0.0.10").status_code == 302
    )  # another address is not affected


def test_failed_sign_ins_stay_on_record_after_a_success(client, leader):
    from axes.models import AccessFailureLog

    sign_in(client, "leader", password="wrong")
    sign_in(client, "leader")
    assert AccessFailureLog.objects.filter(username="leader").count() == 1


def test_the_client_address_comes_from_the_proxy_header_only_behind_a_trusted_proxy(client, settings, leader):
    from axes.models import AccessFailureLog

    client.post(reverse("login"), {"username": "leader", "password": "x"}, HTTP_X_FORWARDED_FOR="1.2.3.4")
    settings.DUCHA_TRUSTED_PROXIES = ["127.0.0.1"]
    client.post(reverse("login"), {"username": "leader", "password": "x"}, HTTP_X_FORWARDED_FOR="5.6.7.8")
    addresses = list(AccessFailureLog.objects.order_by("attempt_time").values_list("ip_address", flat=True))
    assert addresses == ["127.0.0.1", "5.6.7.8"]


def test_every_superuser_sign_in_is_recorded_as_an_alert(client, db):
    User.objects.create_superuser("breakglass", password="Break-Glass-1")
    assert sign_in(client, "breakglass", password="Break-Glass-1").status_code == 302
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, additional_data__event="superuser_sign_in")
    assert entry.additional_data["alert"] is True and entry.actor.username == "breakglass"
