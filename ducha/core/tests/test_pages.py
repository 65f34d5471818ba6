from django.test import override_settings


@override_settings(DEBUG=False)
def test_not_found_page_is_friendly_and_chinese(client_for, park_user):
    response = client_for(park_user).get("/projects/999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_health_check(client, db):
    assert client.get("/healthz").content == b"ok"


def test_english_is_available_through_the_language_switch(client_for, office):
    client = client_for(office)
    assert "项目台账" in client.get("/projects/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/projects/"})
    body = client.get("/projects/").content.decode()
    assert "Project ledger" in body and "项目台账" not in body
