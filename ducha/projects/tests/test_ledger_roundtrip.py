"""The demo ledger, exported, re-saved by a spreadsheet program (LibreOffice Calc, headless) and imported again,
changes nothing: every row reads as "无变化" (unchanged). Excel and WPS re-save as Calc does: cells left empty
are written as missing, dates as numbers with a date format, the header as shared strings.

The export straight back in is checked as well, so that a failure of the re-saved file points at the re-save."""

import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from django.http import QueryDict
from openpyxl import load_workbook

from ducha.accounts.models import User
from ducha.core.tests.test_demo_rules import TODAY, demo  # noqa: F401  # the demo, loaded once for this module
from ducha.projects.models import Project
from ducha.projects.spreadsheets import ledger_read, ledger_xlsx
from ducha.projects.views import ledger_rows_for

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# Calc itself: a LibreOffice with Writer only (libreoffice-writer-nogui) cannot open a workbook.
HAS_CALC = SOFFICE is not None and (Path(SOFFICE).resolve().parent / "libsclo.so").exists()


@pytest.fixture
def exported(demo) -> bytes:  # noqa: F811
    """The whole demo city's ledger as the city office exports it (the export view's rows and workbook)."""
    _form, period, projects = ledger_rows_for(
        User.objects.get(username="city_office"), QueryDict(), whole=True
    )
    return ledger_xlsx(projects, period)


def resave_with_libreoffice(
    content: bytes, tmp_path: Path, *, to: str = "xlsx:Calc MS Excel 2007 XML"
) -> bytes:
    """`content` opened and saved again by LibreOffice Calc (as .xlsx, as a person re-saving the file does; or
    printed, to="pdf")."""
    source = tmp_path / "in" / "ledger.xlsx"
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(content)
    out = tmp_path / "out"
    profile = (tmp_path / "profile").as_uri()  # its own profile: never the user's, never a running instance's
    assert SOFFICE is not None  # the tests that call this are skipped without it
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return (out / f"ledger.{to.split(':')[0]}").read_bytes()


def _actions(result) -> dict[str, int]:
    found: dict[str, int] = {}
    for row in result.rows:
        found[row.action] = found.get(row.action, 0) + 1
    return found


@pytest.mark.django_db
def test_the_exported_demo_ledger_reimports_unchanged(exported):
    result = ledger_read(BytesIO(exported), today=TODAY)
    assert [str(error) for error in result.errors] == []
    assert _actions(result) == {"unchanged": Project.objects.count()}


@pytest.mark.skipif(not HAS_CALC, reason="LibreOffice Calc is not installed (Debian: libreoffice-calc-nogui)")
@pytest.mark.django_db
def test_the_demo_ledger_resaved_by_libreoffice_reimports_unchanged(exported, tmp_path):
    resaved = resave_with_libreoffice(exported, tmp_path)
    sheet = load_workbook(BytesIO(resaved), read_only=True).active
    sheet.reset_dimensions()  # the cells as stored, rows not padded to the sheet's width
    rows = [len(row) for row in sheet.iter_rows()]
    assert len(rows) == Project.objects.count() + 1  # re-saved, no row lost
    assert min(rows[1:]) < rows[0]  # as Calc saves: empty cells at the end of a row are left out, not written
    result = ledger_read(BytesIO(resaved), today=TODAY)
    assert [str(error) for error in result.errors] == []
    assert _actions(result) == {"unchanged": Project.objects.count()}


@pytest.mark.skipif(
    not HAS_CALC or shutil.which("pdftotext") is None, reason="LibreOffice Calc or pdftotext is not installed"
)
@pytest.mark.django_db
def test_the_demo_ledger_prints_landscape_one_page_wide_with_its_header_on_every_page(exported, tmp_path):
    pdf = tmp_path / "ledger.pdf"
    pdf.write_bytes(resave_with_libreoffice(exported, tmp_path, to="pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    pages = [page for page in text.decode().split("\f") if page.strip()]
    header = [cell.value for cell in load_workbook(BytesIO(exported), read_only=True).active[1]]
    first, last = header[0], header[-1].split()[0]  # the name column, and the last (wrapped) date column
    assert pages and all(first in page and last in page for page in pages)  # the whole width, header repeated
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    width, height = map(
        float, next(line for line in info.splitlines() if line.startswith("Page size")).split()[2:5:2]
    )
    assert width > height  # landscape
