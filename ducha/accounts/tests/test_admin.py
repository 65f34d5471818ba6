"""三权分立: which role opens which administration and settings page, and what each administrator may change."""

import pytest
from django.urls import reverse

from ducha.accounts.models import Role, User
from ducha.accounts.services import user_sync_admin_access

PERSONAS = ["office", "leader", "park_user", "department_user", "auditor", "sysadmin", "secadmin"]
# page → the personas that get it (everyone else: a redirect to sign in is not enough — 403 or 404)
MATRIX = {
    "/admin/": {"sysadmin", "secadmin"},
    "/admin/accounts/user/": {"sysadmin", "secadmin"},
    "/admin/units/unit/": {"sysadmin"},
    "/admin/projects/industry/": {"sysadmin"},
    "/admin/projects/milestonetemplate/": {"sysadmin"},
    "/admin/auth/group/": {"secadmin"},
    "/admin/projects/project/": set(),
    "/admin/projects/lightsettings/": set(),
    "/admin/evaluation/scheme/": set(),
    "/admin/indicators/indicator/": set(),
    "/accounts/audit/": {"auditor"},
    "/accounts/audit/logins/": {"auditor"},
    "/projects/settings/lights/": {"office"},
    "/supervision/categories/": {"office"},
    "/supervision/settings/": {"office"},
    "/indicators/definitions/": {"office"},
    "/evaluation/schemes/": {"office"},
    "/accounts/password/": set(PERSONAS),
    "/accounts/two-factor/": set(PERSONAS),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_role_opens_only_its_own_administration_and_settings_pages(persona, request, client):
    user = request.getfixturevalue(persona)
    user_sync_admin_access(user=user)
    client.force_login(user)
    opened = {url for url in MATRIX if client.get(url).status_code == 200}
    expected = {url for url, personas in MATRIX.items() if persona in personas}
    assert opened == expected


def test_the_admin_site_has_no_sign_in_form_of_its_own(client, db):
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_system_admin_creates_an_account_that_has_no_role_until_the_security_admin_gives_one(
    client, sysadmin, secadmin, units
):
    user_sync_admin_access(user=sysadmin)
    client.force_login(sysadmin)
    response = client.post(
        "/admin/accounts/user/add/",
        {"username": "newpark", "password1": "Xk29-strong-pass", "password2": "Xk29-strong-pass",
         "usable_password": "true", "unit": units["park"].pk, "display_name": "新人"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="newpark")
    assert (created.role, created.is_staff, created.password_must_change) == (Role.PENDING, False, True)
    # the system admin cannot give a role: the field is read-only for them
    page = client.get(f"/admin/accounts/user/{created.pk}/change/").content.decode()
    assert 'name="role"' not in page
    user_sync_admin_access(user=secadmin)
    client.force_login(secadmin)
    page = client.get(f"/admin/accounts/user/{created.pk}/change/").content.decode()
    assert 'name="role"' in page and 'name="is_superuser"' not in page


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin"])
def test_no_administrator_can_make_a_superuser(persona, request, client, leader):
    user = request.getfixturevalue(persona)
    user_sync_admin_access(user=user)
    client.force_login(user)
    page = client.get(f"/admin/accounts/user/{leader.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page


def test_the_security_admin_cannot_raise_their_own_rights_or_reset_passwords(client, secadmin, leader):
    user_sync_admin_access(user=secadmin)
    client.force_login(secadmin)
    own = client.get(f"/admin/accounts/user/{secadmin.pk}/change/").content.decode()
    assert 'name="role"' not in own and 'name="groups"' not in own
    assert client.get(f"/admin/accounts/user/{leader.pk}/password/").status_code == 403


def test_the_system_admin_cannot_touch_the_other_administrators(client, sysadmin, auditor, secadmin):
    user_sync_admin_access(user=sysadmin)
    client.force_login(sysadmin)
    for other in (auditor, secadmin):
        assert client.get(f"/admin/accounts/user/{other.pk}/password/").status_code in (403, 404, 302)
        assert client.get(f"/admin/accounts/user/{other.pk}/change/").status_code != 200


def test_an_admin_password_reset_makes_the_next_sign_in_change_it(client, sysadmin, leader):
    user_sync_admin_access(user=sysadmin)
    client.force_login(sysadmin)
    response = client.post(
        f"/admin/accounts/user/{leader.pk}/password/",
        {"password1": "Reset-2024-pass", "password2": "Reset-2024-pass", "usable_password": "true"},
    )
    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.password_must_change and leader.check_password("Reset-2024-pass")
