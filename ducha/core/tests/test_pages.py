from django.test import override_settings


@override_settings(DEBUG=False)
def test_not_found_page_is_friendly_and_chinese(client_for, park_user):
    response = client_for(park_user).get("/projects/999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_health_check(client, db):
    assert client.get("/healthz").content == b"ok"
