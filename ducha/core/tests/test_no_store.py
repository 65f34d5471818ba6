"""Nothing a signed-in user receives is stored by the browser or a proxy; static files keep their caching."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from ducha.projects.tests.factories import make_project
from ducha.supervision.models import Attachment, SupervisionRound
from ducha.supervision.services import visit_add


def assert_not_stored(response):
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_a_page_for_a_signed_in_user_is_not_stored(client_for, office):
    assert_not_stored(client_for(office).get("/projects/"))


def test_an_htmx_partial_is_not_stored(client_for, office):
    response = client_for(office).get("/projects/", headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()
    assert_not_stored(response)


def test_an_export_download_is_not_stored(client_for, office):
    response = client_for(office).get("/projects/export.xlsx")
    assert response["Content-Disposition"].startswith("attachment")
    assert_not_stored(response)


def test_an_attachment_is_not_stored(client_for, office, units, settings, tmp_path):
    settings.DUCHA_PRIVATE_ROOT = tmp_path / "private"
    rnd = SupervisionRound.objects.create(title="集中督查", year=2020, date=datetime.date(2020, 5, 6))
    photo = SimpleUploadedFile("厂房.jpg", b"\xff\xd8\xff\xe0" + b"0" * 100)
    visit_add(user=office, round=rnd, project=make_project(units["park"]), files=[photo])
    response = client_for(office).get(f"/supervision/attachments/{Attachment.objects.get().pk}/")
    assert_not_stored(response)
    assert "private" in response["Cache-Control"]


def test_static_files_keep_their_caching_for_a_signed_in_user(client_for, office):
    response = client_for(office).get("/static/ducha/ducha.css")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=60, public"
    assert "Pragma" not in response
