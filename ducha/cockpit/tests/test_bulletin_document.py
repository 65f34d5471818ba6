"""The bulletin's .docx is built once, when the bulletin is published, and downloads send the stored file."""

import io
from unittest import mock

import pytest
from django.utils import translation
from docx import Document

from ducha.cockpit import document
from ducha.cockpit.models import BulletinDocument
from ducha.cockpit.services import bulletin_document, bulletin_publish

from .conftest import MONTH, YEAR


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    return "\n".join(p.text for p in doc.paragraphs)


def test_publishing_stores_the_docx_and_the_service_sends_it_without_building_it_again(world, office):
    item = bulletin_publish(year=YEAR, month=MONTH, user=office)
    stored = bytes(BulletinDocument.objects.get(bulletin=item).docx)
    assert "重点项目" in _docx_text(stored)
    with mock.patch.object(document, "bulletin_docx_for", side_effect=AssertionError("built again")) as build:
        assert bulletin_document(item) == stored
    assert not build.called


def test_an_old_bulletin_without_a_stored_docx_gets_one_built_once(world, office):
    item = bulletin_publish(year=YEAR, month=MONTH, user=office)
    BulletinDocument.objects.filter(bulletin=item).delete()
    with mock.patch.object(document, "bulletin_docx_for", wraps=document.bulletin_docx_for) as build:
        first, second = bulletin_document(item), bulletin_document(item)
    assert build.call_count == 1 and first == second and "重点项目" in _docx_text(first)
    assert bytes(BulletinDocument.objects.get(bulletin=item).docx) == first
