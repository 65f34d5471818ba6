"""Hostile Office files are refused before any parser opens them, quickly and without inflating them."""

import io
import time
import tracemalloc
import zipfile

import pytest

from ducha.lib.office_files import UnsafeOfficeFile, check_office_file
from ducha.projects import spreadsheets

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'.encode() for i in range(1, 10)
    )
    + b"]><w:document>&lol9;</w:document>"
)


def _zip(members: dict[str, bytes]) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    out.seek(0)
    return out


def test_a_zip_bomb_is_refused_within_two_seconds_and_100_mb():
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"0" * (400 * 2**20)})
    assert len(bomb.getvalue()) < 2 * 2**20  # the upload itself is small
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(UnsafeOfficeFile, match="解压后"):
        check_office_file(bomb)
    elapsed, peak = time.monotonic() - started, tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 2 and peak < 100 * 2**20


def test_a_highly_compressed_part_is_refused():
    with pytest.raises(UnsafeOfficeFile, match="压缩比"):
        check_office_file(_zip({"xl/sharedStrings.xml": b"A" * (50 * 2**20)}))


def test_billion_laughs_in_a_docx_is_refused():
    with pytest.raises(UnsafeOfficeFile, match="XML实体"):
        check_office_file(_zip({"word/document.xml": BILLION_LAUGHS}))


def test_the_ledger_import_names_the_reason_and_stores_nothing(db):
    bomb = _zip({"xl/worksheets/sheet1.xml": b"0" * (400 * 2**20)})
    result = spreadsheets.ledger_read(bomb)
    assert not result.ok and "解压后" in str(result.errors[0].message)


def test_a_real_workbook_passes_and_is_left_at_its_start(db):
    from ducha.projects.spreadsheets import ledger_template_xlsx

    book = io.BytesIO(ledger_template_xlsx(year=2020))
    check_office_file(book)
    assert book.tell() == 0
