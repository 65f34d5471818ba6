"""Downloading a bulletin sends its stored .docx (built at publication), still recorded as an export."""

import io
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import translation
from docx import Document

from ducha.cockpit import document
from ducha.cockpit.models import BulletinDocument
from ducha.cockpit.services import bulletin_publish

from .conftest import MONTH, YEAR


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    return "\n".join(p.text for p in doc.paragraphs)


def test_publishing_stores_the_docx_and_download_sends_it_without_building_it_again(
    world, office, client_for
):
    item = bulletin_publish(year=YEAR, month=MONTH, user=office)
    stored = bytes(BulletinDocument.objects.get(bulletin=item).docx)
    assert "重点项目" in _docx_text(stored)
    with mock.patch.object(document, "bulletin_docx_for", side_effect=AssertionError("built again")) as build:
        response = client_for(office).get(reverse("cockpit:bulletin_docx", args=[item.pk]))
    assert response.status_code == 200 and response.content == stored and not build.called
    assert response["Content-Disposition"] == f'attachment; filename="bulletin-{item.issue_year}-01.docx"'


def test_an_old_bulletin_without_a_stored_docx_still_downloads_and_keeps_it(world, office, client_for):
    item = bulletin_publish(year=YEAR, month=MONTH, user=office)
    BulletinDocument.objects.filter(bulletin=item).delete()
    with mock.patch.object(document, "bulletin_docx_for", wraps=document.bulletin_docx_for) as build:
        first = client_for(office).get(reverse("cockpit:bulletin_docx", args=[item.pk]))
        second = client_for(office).get(reverse("cockpit:bulletin_docx", args=[item.pk]))
    assert first.status_code == second.status_code == 200
    assert build.call_count == 1 and first.content == second.content
    assert bytes(BulletinDocument.objects.get(bulletin=item).docx) == first.content


def test_download_of_the_stored_docx_is_still_recorded_as_an_export(world, office, client_for):
    item = bulletin_publish(year=YEAR, month=MONTH, user=office)
    client_for(office).get(reverse("cockpit:bulletin_docx", args=[item.pk]))
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, additional_data__event="export")
    assert entry.actor == office and f"bulletin-{item.issue_year}-01.docx" in entry.additional_data["file"]
