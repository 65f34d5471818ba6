"""The bulletin as a Word document, built only from the frozen content (so it is reproducible).

Styled as offices circulate them: A4, 仿宋_GB2312 body, 黑体 headings, 方正小标宋/宋体 title,
tables in 宋体 with a shaded header row and a repeated header on every page.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
FLAG_COLOURS = {
    "red": RGBColor(0xC6, 0x28, 0x28),
    "blue": RGBColor(0x15, 0x65, 0xC0),
    "yellow": RGBColor(0xB8, 0x86, 0x0B),
}


def _fonts(run_or_style, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set the Latin and the East Asian font: Word picks w:eastAsia for Chinese characters."""
    font = run_or_style.font
    font.name = LATIN_FONT
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)


def _document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, 16)  # 三号
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for name in ("Heading 1", "Heading 2"):
        style = doc.styles[name]
        _fonts(style, HEADING_FONT, 16, bold=False)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(0)
    return doc


def _paragraph(doc, text: str, *, indent: bool = True) -> None:
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)  # two characters
    _fonts(p.add_run(text), BODY_FONT)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _table(
    doc, header: list[str], rows: list[list], *, flag_column: int | None = None, flags: list | None = None
):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    trpr = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
    repeat.set(qn("w:val"), "true")
    trpr.append(repeat)
    for cell, text in zip(head.cells, header, strict=True):
        _shade(cell, "D9D9D9")
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(p.add_run(str(text)), HEADING_FONT, 10.5)
    for i, row in enumerate(rows):
        cells = table.add_row().cells
        for j, (cell, value) in enumerate(zip(cells, row, strict=False)):
            p = cell.paragraphs[0]
            p.paragraph_format.line_spacing = 1.0
            if j > 0 and isinstance(value, int | float) or (isinstance(value, str) and value[:1].isdigit()):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(str(value))
            _fonts(run, TABLE_FONT, 10.5)
            if flag_column is not None and j == flag_column and flags and flags[i] in FLAG_COLOURS:
                run.font.color.rgb = FLAG_COLOURS[flags[i]]
                run.font.bold = True
    doc.add_paragraph()
    return table


def bulletin_docx(content: dict, *, generated_on: str = "") -> bytes:
    """The .docx bytes of a bulletin's frozen `content` (see bulletin.collect)."""
    doc = _document()
    o = content["overview"]
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(title.add_run(content["title"]), TITLE_FONT, 22)  # 二号
    if generated_on:
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(sub.add_run(generated_on), BODY_FONT, 14)

    doc.add_heading(_("1. Overall progress of the key projects"), level=1)
    _paragraph(
        doc,
        _(
            "%(period)s: %(n)s key projects with a total investment of %(total)s; annual planned investment "
            "%(plan)s, completed %(done)s, i.e. %(ratio)s of the plan against on-schedule progress of %(schedule)s "
            "(%(points)s points). %(finished)s projects are completed or in production."
        )
        % {
            "period": content["period"]["label"],
            "n": o["projects"],
            "total": o["total_investment"],
            "plan": o["plan"],
            "done": o["completed"],
            "ratio": o["completion"],
            "schedule": o["schedule"],
            "points": o["points_behind"],
            "finished": o["completed_or_producing"],
        },
    )
    _table(
        doc, [_("Stage"), *[s for s, _n in o["by_stage"]]], [[_("Projects"), *[n for _s, n in o["by_stage"]]]]
    )
    _table(doc, [_("Light"), *[s for s, _n in o["lights"]]], [[_("Projects"), *[n for _s, n in o["lights"]]]])

    ind = content["indicators"]
    doc.add_heading(_("2. Main indicators"), level=1)
    if ind["district"]:
        _table(
            doc,
            [_("Indicator"), _("Value"), _("Annual target"), _("Completion"), _("Year on year")],
            ind["district"],
        )
    else:
        _paragraph(doc, _("No indicator values were reported for this period."))
    if ind["units"] and ind["ranked"]:
        _paragraph(
            doc, _("Units: value, year-on-year growth and (place within the peer group)."), indent=False
        )
        _table(doc, [_("Unit"), _("Peer group"), *ind["ranked"]], ind["units"])

    s = content["signed_starts"]
    doc.add_heading(_("3. Start of signed projects"), level=1)
    _paragraph(
        doc,
        _(
            "%(planned)s new projects were planned to start by the end of the period; %(started)s have started (start rate %(rate)s)."
        )
        % {"planned": s["total"][0], "started": s["total"][1], "rate": s["total"][2]},
    )
    if s["rows"]:
        _table(doc, [_("Unit"), _("Planned to start"), _("Started"), _("Start rate")], s["rows"])
    if s["not_started"]:
        _paragraph(doc, _("Projects not yet started:"), indent=False)
        _table(doc, [_("Project"), _("Unit"), _("Planned start"), _("Stage")], s["not_started"])

    doc.add_heading(_("4. Lagging projects"), level=1)
    if content["lagging"]:
        _table(
            doc,
            [_("Project"), _("Unit"), _("Annual plan"), _("Completed"), _("Completion"), _("Reasons")],
            content["lagging"],
        )
    else:
        _paragraph(doc, _("No project carries a red light."))

    p = content["problems"]
    doc.add_heading(_("5. Problem closure by department"), level=1)
    if p["rows"]:
        _paragraph(
            doc,
            _(
                "%(raised)s problems raised this year, %(closed)s closed, %(overdue)s overdue; closure rate %(rate)s."
            )
            % dict(zip(("raised", "closed", "overdue", "rate"), p["total"], strict=True)),
        )
        _table(
            doc,
            [
                _("Department"),
                _("Raised"),
                _("Closed"),
                _("Overdue"),
                _("Closure rate"),
                _("Average days to close"),
            ],
            p["rows"],
        )
    else:
        _paragraph(doc, _("No problems were raised this year."))

    f = content["flags"]
    doc.add_heading(_("6. Evaluation flags"), level=1)
    if f["rows"]:
        _paragraph(doc, _("Published evaluation of %(period)s.") % {"period": f["period"]})
        _table(
            doc,
            [_("Peer group"), _("Unit"), _("Score"), _("Place"), _("Flag")],
            [r[:5] for r in f["rows"]],
            flag_column=4,
            flags=[r[5] for r in f["rows"]],
        )
    else:
        _paragraph(doc, _("No evaluation has been published for this year yet."))

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
