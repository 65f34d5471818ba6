"""The 2020 1-11月 bulletin of the Jintan demo as the office circulates it: the .docx rendered by LibreOffice to PDF
(skipped when LibreOffice or poppler's pdftotext/pdfinfo are missing; CI installs both)."""

import io
import re
import shutil
import subprocess

import pytest
from django.utils import translation
from docx import Document

from ducha.cockpit.document import bulletin_docx_for
from ducha.cockpit.models import Bulletin
from ducha.core.demo import load_demo

FIGURE = re.compile(r"^(—|[+-]?[\d,]+(\.\d+)?(\(\d+\))?)$")


@pytest.fixture
def demo_bulletin(db, settings):
    settings.DUCHA_TODAY = "2020-12-10"  # the demo's business date
    with translation.override("zh-hans"):
        load_demo(password="demo-password-1", log=lambda _line: None)
        bulletin = Bulletin.objects.get(year=2020, month=11)
        return bulletin, bulletin_docx_for(bulletin)


def _pdf(docx: bytes, tmp_path) -> tuple[int, str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        pytest.skip("poppler-utils (pdftotext, pdfinfo) is not installed")
    source = tmp_path / "bulletin.docx"
    source.write_bytes(docx)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "bulletin.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert found, info
    pages = int(found.group(1))
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True)
    return pages, text.stdout


def test_demo_bulletin_renders_as_a_numbered_paged_office_document(demo_bulletin, tmp_path):
    bulletin, docx = demo_bulletin
    pages, text = _pdf(docx, tmp_path)
    # Six A4 pages at 三号 with 22 lines a page; more would mean rows or tables blowing up.
    assert 4 <= pages <= 8
    assert bulletin.masthead in text and f"第{bulletin.issue}期" in text
    assert bulletin.issuer in text and "2020年12月8日印发" in re.sub(r"\s+", "", text)
    # Every page carries its number as GB/T 9704 writes it, the last one included.
    numbers = [int(n) for n in re.findall(r"—\s*(\d+)\s*—", text)]
    assert numbers == list(range(1, pages + 1))
    flat = re.sub(r"\s+", "", text)  # wrapped headers read as one line
    for header in ("年度计划（万元）", "已完成（万元）", "完成率（%）", "开工率（%）", "办结率（%）"):
        assert header in flat
    assert "主送：" in flat and "抄送：" in flat


def test_demo_bulletin_columns_hold_one_unit_named_in_their_header(demo_bulletin):
    _bulletin, docx = demo_bulletin
    doc = Document(io.BytesIO(docx))
    checked = 0
    for table in doc.tables[:-1]:  # the last one is the closing block
        header = [c.text for c in table.rows[0].cells]
        for j, title in enumerate(header):
            if re.search(r"（(万元|亿元|%|个|件|天|分)）$", title):
                cells = [row.cells[j].text for row in table.rows[1:]]
                assert all(FIGURE.match(c) for c in cells), (title, cells)
                checked += 1
        # No column mixes 万元 and 亿元 written into its cells.
        for j in range(len(header)):
            cells = " ".join(row.cells[j].text for row in table.rows[1:])
            assert not ("万元" in cells and "亿元" in cells)
    assert checked >= 10
