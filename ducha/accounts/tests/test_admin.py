from ducha.accounts.models import Role, User
from ducha.accounts.services import user_sync_admin_access


def test_office_admin_manages_users_and_units_in_the_admin_site(client, office):
    user_sync_admin_access(user=office)
    client.force_login(office)
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/units/unit/").status_code == 200
    assert client.get("/admin/projects/milestonetemplate/").status_code == 200
    # Business records are changed through ducha's own pages, not the admin site.
    assert client.get("/admin/projects/project/").status_code == 403


def test_office_creates_a_park_user_in_the_admin(client, office, units):
    user_sync_admin_access(user=office)
    client.force_login(office)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newpark",
            "password1": "Xk29-strong-pass",
            "password2": "Xk29-strong-pass",
            "usable_password": "true",
            "role": Role.UNIT,
            "unit": units["park"].pk,
            "display_name": "新人",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="newpark")
    assert created.role == Role.UNIT and created.unit == units["park"] and not created.is_staff


def test_other_roles_cannot_open_the_admin_site(client, park_user, leader):
    for user in (park_user, leader):
        user_sync_admin_access(user=user)
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response.url
