import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn

from ducha.cockpit import demo
from ducha.cockpit.models import Bulletin
from ducha.cockpit.services import bulletin_publish
from ducha.lib.periods import Period
from ducha.projects.models import AnnualPlan, Project
from ducha.projects.services import project_lights_for_period

from .conftest import MONTH, YEAR


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _docx_text(content: bytes) -> tuple[str, Document]:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts), doc


def test_bulletin_holds_the_indicator_figure_as_newspapers_write_it(world, office):
    bulletin = bulletin_publish(year=YEAR, month=MONTH, user=office)
    sales = bulletin.content["indicators"]["district"][0]
    assert sales[0] == "工业开票销售收入" and sales[1] == "1425.2亿元" and sales[4] == "+9.63%"


def test_bulletin_docx_contains_the_flags_table_and_the_sales_figure(world, office, client_for):
    bulletin = bulletin_publish(year=YEAR, month=MONTH, user=office)
    response = client_for(office).get(reverse("cockpit:bulletin_docx", args=[bulletin.pk]))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    text, doc = _docx_text(response.content)
    assert "1425.2亿元" in text
    flag_tables = [t for t in doc.tables if t.rows[0].cells[-1].text in ("Flag", "旗帜")]
    assert flag_tables and [r.cells[1].text for r in flag_tables[0].rows[1:]] == [
        "金坛区金科园",
        "金坛华罗庚科技产业园",
    ]


def test_bulletin_docx_names_chinese_fonts_for_body_and_headings(world, office):
    from ducha.cockpit.document import bulletin_docx

    doc = Document(io.BytesIO(bulletin_docx(bulletin_publish(year=YEAR, month=MONTH, user=office).content)))

    def east_asian(style):
        return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    assert east_asian(doc.styles["Normal"]) == "仿宋_GB2312"
    assert east_asian(doc.styles["Heading 1"]) == "黑体"


def _article(response) -> str:
    html = response.content.decode()
    return html[html.index("<article") : html.index("</article>")]


def test_published_bulletin_keeps_its_figures_when_the_ledger_changes(world, office, client_for):
    bulletin = bulletin_publish(year=YEAR, month=MONTH, user=office)
    before = _article(client_for(office).get(bulletin.get_absolute_url()))
    docx_before = _docx_text(
        client_for(office).get(reverse("cockpit:bulletin_docx", args=[bulletin.pk])).content
    )[0]
    AnnualPlan.objects.filter(project=world["cell"]).update(planned_investment=Decimal(999999))
    assert _article(client_for(office).get(bulletin.get_absolute_url())) == before
    assert (
        _docx_text(client_for(office).get(reverse("cockpit:bulletin_docx", args=[bulletin.pk])).content)[0]
        == docx_before
    )
    again = bulletin_publish(year=YEAR, month=MONTH, user=office)
    assert again.issue == 2 and again.content["overview"]["plan"] != bulletin.content["overview"]["plan"]
    assert Bulletin.objects.count() == 2


def test_bulletin_lists_lagging_projects_starts_and_problem_closure(world, office):
    c = bulletin_publish(year=YEAR, month=MONTH, user=office).content
    # Lagging = red by the light rules as of the bulletin's month, whatever the stored (today's) light says.
    lights = project_lights_for_period(projects=list(Project.objects.all()), period=Period(YEAR, MONTH))
    red = {p.name for p in Project.objects.all() if lights[p.pk].colour == "red"}
    assert "贝特瑞正极材料项目" in red
    assert {row[0] for row in c["lagging"]} == red
    assert c["signed_starts"]["total"] == [2, 1, "50.0%"]
    assert c["signed_starts"]["not_started"][0][0] == "贝特瑞正极材料项目"
    assert c["problems"]["total"] == [3, 1, 2, "33.3%"]
    assert [r[1] for r in c["flags"]["rows"]] == ["金坛区金科园", "金坛华罗庚科技产业园"]


def test_printable_page_shows_the_frozen_figures(world, office, client_for):
    bulletin = bulletin_publish(year=YEAR, month=MONTH, user=office)
    html = client_for(office).get(bulletin.get_absolute_url()).content.decode()
    assert "1425.2亿元" in html and 'id="bulletin-flags"' in html and "data-print" in html


def test_demo_loader_keeps_one_issue_per_demo_period(world):
    demo.load(password="x", log=lambda _m: None)
    demo.load(password="x", log=lambda _m: None)
    assert sorted(Bulletin.objects.values_list("year", "month", "issue")) == [(2020, 3, 1), (2020, 11, 1)]


def test_bulletin_docx_opens_in_libreoffice(world, office, tmp_path):
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    from ducha.cockpit.document import bulletin_docx

    source = tmp_path / "bulletin.docx"
    source.write_bytes(bulletin_docx(bulletin_publish(year=YEAR, month=MONTH, user=office).content))
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
    assert (tmp_path / "bulletin.pdf").stat().st_size > 1000
