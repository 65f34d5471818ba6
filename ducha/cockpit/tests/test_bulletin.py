import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from ducha.cockpit import bulletin, demo
from ducha.cockpit.models import Bulletin
from ducha.cockpit.services import bulletin_publish
from ducha.lib.periods import Period
from ducha.projects.models import AnnualPlan, Project, StageDate
from ducha.projects.rules import stage_as_of
from ducha.projects.services import project_lights_for_period

from .conftest import MONTH, YEAR


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def _docx_text(content: bytes):
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts), doc


def test_bulletin_writes_the_indicator_figure_in_the_unit_of_its_row(world, office):
    bulletin = bulletin_publish(year=YEAR, month=MONTH, user=office)
    sales = bulletin.content["indicators"]["district"][0]
    assert sales == ["工业开票销售收入", "亿元", "1425.2", "—", "—", "+9.63"]


def test_bulletin_docx_contains_the_flags_table_and_the_sales_figure(world, office, client_for):
    bulletin = bulletin_publish(year=YEAR, month=MONTH, user=office)
    response = client_for(office).get(reverse("cockpit:bulletin_docx", args=[bulletin.pk]))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    text, doc = _docx_text(response.content)
    assert "1425.2" in text and "计量单位" in text
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
    plan = AnnualPlan.objects.get(project=world["cell"])
    plan.planned_investment = Decimal(999999)
    plan.save()  # the ledger changes (and its stored figures with it)
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
    assert {row[0] for row in c["lagging"]["rows"]} == red
    assert c["signed_starts"]["total"] == [2, 1, "50.0%"]
    assert c["signed_starts"]["not_started"][0][2] == "2020年5月1日"
    assert c["signed_starts"]["not_started"][0][0] == "贝特瑞正极材料项目"
    assert c["problems"]["total"] == [3, 1, 2, "33.3%"]
    assert [r[1] for r in c["flags"]["rows"]] == ["金坛区金科园", "金坛华罗庚科技产业园"]


def test_printable_page_shows_the_frozen_figures(world, office, client_for):
    bulletin = bulletin_publish(year=YEAR, month=MONTH, user=office)
    html = client_for(office).get(bulletin.get_absolute_url()).content.decode()
    assert "1425.2" in html and 'id="bulletin-flags"' in html and "data-print" in html
    assert "重点项目督查通报" in html and "第1期" in html and "抄送：" in html


def test_demo_loader_keeps_one_issue_per_demo_period(world):
    demo.load(password="x", log=lambda _m: None)
    demo.load(password="x", log=lambda _m: None)
    assert sorted(Bulletin.objects.values_list("year", "month", "issue_year", "issue", "issued_on")) == [
        (2020, 3, 2020, 1, datetime.date(2020, 4, 10)),
        (2020, 11, 2020, 2, datetime.date(2020, 12, 8)),
    ]


# ---------------------------------------------------------------- issue numbers and the date of issue


def test_issue_numbers_count_the_bulletins_of_the_year_of_issue_and_are_never_reused(world, office):
    def publish(month, day):
        return bulletin_publish(year=YEAR, month=month, user=office, issued_on=day)

    first = publish(3, datetime.date(2020, 4, 8))
    second = publish(MONTH, datetime.date(2020, 12, 5))
    # The year's last bulletin, issued in January, opens the next year's numbering.
    next_year = bulletin_publish(year=YEAR, month=12, user=office, issued_on=datetime.date(2021, 1, 10))
    assert [(b.issue_year, b.issue) for b in (first, second, next_year)] == [(2020, 1), (2020, 2), (2021, 1)]
    second.delete()
    assert publish(MONTH, datetime.date(2020, 12, 20)).issue == 3


def test_a_bulletin_cannot_be_issued_before_its_period_has_ended(world, office):
    with pytest.raises(ValidationError) as caught:
        bulletin_publish(year=YEAR, month=MONTH, user=office, issued_on=datetime.date(2020, 11, 30))
    assert "2020年12月1日" in str(caught.value)
    assert not Bulletin.objects.exists()


def test_the_form_defaults_to_the_current_reporting_month_issued_on_the_business_date(
    office, client_for, settings
):
    settings.DUCHA_TODAY = "2020-12-08"
    form = client_for(office).get(reverse("cockpit:bulletin_list")).context["form"]
    assert Period(form.initial["year"], form.initial["month"]) == Period.current() == Period(2020, 11)
    assert form.initial["issued_on"] == datetime.date(2020, 12, 8)
    assert form.initial["copies"] == settings.DUCHA_BULLETIN_COPIES


def test_office_publishes_with_a_date_of_issue_and_its_own_closing_lines(world, office, client_for):
    response = client_for(office).post(
        reverse("cockpit:bulletin_list"),
        {
            "year": YEAR,
            "month": MONTH,
            "issued_on": "2020-12-05",
            "recipients": "各园区管委会",
            "copies": "市重点办",
        },
    )
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == bulletin.get_absolute_url()
    assert (bulletin.issued_on, bulletin.recipients, bulletin.copies) == (
        datetime.date(2020, 12, 5),
        "各园区管委会",
        "市重点办",
    )
    page = client_for(office).get(reverse("cockpit:bulletin_list")).content.decode()
    assert "2020年第1期" in page and "2020年12月5日" in page


# ---------------------------------------------------------------- the document


def _published_docx(office, **kwargs):
    from ducha.cockpit.document import bulletin_docx_for

    bulletin = bulletin_publish(
        year=YEAR, month=MONTH, user=office, issued_on=datetime.date(2020, 12, 5), **kwargs
    )
    return Document(io.BytesIO(bulletin_docx_for(bulletin)))


def test_docx_has_the_masthead_issue_number_issuer_and_a_date_without_zero_padding(world, office, settings):
    settings.DUCHA_BULLETIN_ISSUER = "金坛区重点项目推进办公室"
    doc = _published_docx(office)
    texts = [p.text for p in doc.paragraphs]
    masthead = doc.paragraphs[0]
    assert masthead.text == settings.DUCHA_BULLETIN_MASTHEAD
    assert masthead.runs[0].font.color.rgb is not None and str(masthead.runs[0].font.color.rgb) == "E60012"
    assert "第1期" in texts
    assert "金坛区重点项目推进办公室\t2020年12月5日" in texts
    # The red rule under the issuer's line (版头中的分隔线).
    border = doc.paragraphs[2]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == "E60012"


def test_docx_numbers_its_pages_with_a_page_field_in_the_footers(world, office):
    doc = _published_docx(office)
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        xml = footer.paragraphs[0]._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")


def test_docx_ends_with_the_closing_block(world, office):
    doc = _published_docx(office, recipients="各镇人民政府", copies="区委办，区政府办")
    closing = doc.tables[-1]
    lines = [
        row.cells[0].text
        if row.cells[0].text == row.cells[-1].text
        else f"{row.cells[0].text}|{row.cells[1].text}"
        for row in closing.rows
    ]
    assert lines == [
        "主送：各镇人民政府。",
        "抄送：区委办，区政府办。",
        f"{settings_issuer()}|2020年12月5日印发",
    ]


def settings_issuer() -> str:
    from django.conf import settings

    return settings.DUCHA_BULLETIN_ISSUER


def test_docx_tables_keep_rows_whole_and_repeat_their_header_row(world, office):
    doc = _published_docx(office)
    for table in doc.tables[:-1]:
        rows = table.rows
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
        assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])


def test_lagging_table_states_one_money_unit_and_gives_names_the_wide_columns(world, office):
    doc = _published_docx(office)
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "项目" and len(t.columns) == 6)
    header = [c.text for c in table.rows[0].cells]
    assert header[2] == "年度计划（万元）" and header[3] == "已完成（万元）" and header[4] == "完成率（%）"
    plans = {r.cells[0].text: r.cells[2].text for r in table.rows[1:]}
    assert plans["贝特瑞正极材料项目"] == "40,000" and plans["城南实验学校新建项目"] == "8,000"
    assert all(not set(plan) & set("亿万元%") for plan in plans.values())
    widths = [c.width for c in table.columns]
    assert widths[0] > widths[4] and widths[5] > widths[4]
    assert abs(sum(widths) - Cm(15.6)) < Cm(0.1)


def test_a_foreign_currency_project_is_converted_to_yuan_in_the_money_columns(world, office, settings):
    settings.DUCHA_EXCHANGE_RATES = {"USD": Decimal(7)}
    lagging = bulletin.collect(Period(YEAR, MONTH))["lagging"]
    sk = next(r for r in lagging["rows"] if r[0] == "SK新能源汽车电池隔膜项目")  # red as of November
    assert sk[2] == "140,000" and lagging["converted"]  # 2亿美元 at 7


# ---------------------------------------------------------------- counts as of the period


@pytest.mark.parametrize(
    ("current", "dates", "day", "expected"),
    [
        (
            "completed",
            {"started": datetime.date(2020, 3, 1), "completed": datetime.date(2020, 9, 15)},
            datetime.date(2020, 6, 30),
            "started",
        ),
        (
            "completed",
            {"started": datetime.date(2020, 3, 1), "completed": datetime.date(2020, 6, 30)},
            datetime.date(2020, 6, 30),
            "completed",
        ),
        ("completed", {"started": datetime.date(2020, 3, 1)}, datetime.date(2020, 6, 30), "completed"),
        (
            "full_production",
            {"production": datetime.date(2020, 8, 1)},
            datetime.date(2020, 6, 30),
            "completed",
        ),
        (
            "started",
            {"signed": datetime.date(2020, 7, 1), "started": datetime.date(2020, 8, 1)},
            datetime.date(2020, 6, 30),
            "planning",
        ),
        ("signed", {"started": datetime.date(2020, 3, 1)}, datetime.date(2020, 6, 30), "signed"),
        ("planning", {}, datetime.date(2020, 6, 30), "planning"),
    ],
)
def test_stage_as_of_a_day(current, dates, day, expected):
    assert stage_as_of(current, dates, day) == expected


def test_half_year_bulletin_counts_a_september_completion_as_started(world, office):
    StageDate.objects.create(project=world["sk"], stage="completed", actual_date=datetime.date(2020, 9, 15))
    june = dict(bulletin.collect(Period(YEAR, 6))["overview"]["by_stage"])
    november = bulletin.collect(Period(YEAR, MONTH))["overview"]
    assert june["竣工"] == 0 and june["开工"] == 2  # 蜂巢能源 and SK, which was completed only in September
    assert dict(november["by_stage"])["竣工"] == 1
    assert bulletin.collect(Period(YEAR, 6))["overview"]["completed_or_producing"] == 1  # the school
    assert november["completed_or_producing"] == 2
