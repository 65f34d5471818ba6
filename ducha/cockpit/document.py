"""The bulletin as a Word document, built only from the frozen content (so it is reproducible).

Laid out as GB/T 9704-2012 (党政机关公文格式) lays out an office document, where python-docx can do it simply:
A4 with the standard margins, a red masthead (版头) with the issue number (期号), the issuing office and the date
above a red line, 仿宋_GB2312 三号 body, 黑体 headings, 小标宋 title, page numbers "— 1 —" in 四号 宋体 at the
outer edge (right on odd pages, left on even ones), and the closing block (版记) with 主送, 抄送 and the
印发 line between black rules. Tables fit their columns to the content (names wide, figures narrow), never split
a row across pages and repeat their header row on every page.
"""

from __future__ import annotations

import copy
import io
import math
import re
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Row

from .bulletin import Table, chinese_date, tables

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xE6, 0x00, 0x12)
FLAG_COLOURS = {
    "red": RGBColor(0xC6, 0x28, 0x28),
    "blue": RGBColor(0x15, 0x65, 0xC0),
    "yellow": RGBColor(0xB8, 0x86, 0x0B),
}
PAGE_WIDTH, LEFT_MARGIN, RIGHT_MARGIN = Cm(21.0), Cm(2.8), Cm(2.6)
TEXT_WIDTH_PT = (PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN) / 12700  # 版心 156 mm, in points
TABLE_FONT_SIZE = 10.5  # 五号
SMALL_TABLE_FONT_SIZE = 9  # 小五, for wide tables
CELL_PADDING_PT = 13  # Word's and LibreOffice's default cell margins (2 × 0.19 cm) and a little air
FOURTH = 14  # 四号, the 版记 and page number size; one character of it is the indent GB/T 9704 asks for


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
    section.page_height, section.page_width = Cm(29.7), PAGE_WIDTH
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = LEFT_MARGIN, RIGHT_MARGIN
    section.footer_distance = Cm(2.4)  # the page number's rule 7 mm below the 版心
    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, 16)  # 三号
    normal.paragraph_format.line_spacing = Pt(28)  # 22 lines a page
    normal.paragraph_format.space_after = Pt(0)
    for name in ("Heading 1", "Heading 2"):
        style = doc.styles[name]
        _fonts(style, HEADING_FONT, 16, bold=False)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.first_line_indent = Pt(32)
        style.paragraph_format.keep_with_next = True
    return doc


def _paragraph(doc, text: str, *, indent: bool = True):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)  # two characters
    _fonts(p.add_run(text), BODY_FONT)
    return p


def _border(element, edges: dict[str, tuple[int, str]], tag: str) -> None:
    """w:pBdr / w:tblBorders: edge → (width in eighths of a point, colour); width 0 = no line."""
    borders = OxmlElement(tag)
    for edge, (size, colour) in edges.items():
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single" if size else "nil")
        if size:
            line.set(qn("w:sz"), str(size))
            line.set(qn("w:space"), "1" if tag == "w:pBdr" else "0")
            line.set(qn("w:color"), colour)
        borders.append(line)
    element.append(borders)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _row_flags(row, *, header: bool) -> None:
    """Never split the row across pages; repeat a header row at the top of every page."""
    trpr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    trpr.append(cant_split)
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        trpr.append(repeat)


# ---------------------------------------------------------------- column widths


def text_width(text: str) -> float:
    """Width of a one-line text in ems of its font: Chinese characters one em, Latin letters and digits half."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.5 for ch in str(text))


def _table_height(lengths: list[list[float]], chars: dict[int, float]) -> tuple[int, int]:
    """Lines the table's rows take with `chars` characters a line in the text columns (and lines over all cells)."""
    height = total = 0
    for row in lengths:
        lines = [math.ceil(row[j] / chars[j]) if row[j] else 1 for j in chars]
        height += max(lines, default=1)
        total += sum(lines)
    return height, total


def column_widths(table: Table, total: float = TEXT_WIDTH_PT, size: float = TABLE_FONT_SIZE) -> list[float]:
    """Column widths in points that fit the content: figures get the width of their longest figure (they never
    wrap); names and reasons share the rest so that the rows take as few lines as possible; headers may wrap onto
    two lines.

    The widths add up to `total` (the 版心) unless figures alone need more, when every column shrinks alike."""
    n = len(table.header)
    natural, minimum = [], []
    for j in range(n):
        longest = max((text_width(row[j]) for row in table.rows if j < len(row)), default=0)
        head = math.ceil(text_width(table.header[j]) / 2)  # a header may wrap onto two lines
        if j in table.numeric:
            width = max(longest, head, 2)  # a figure never wraps
            natural.append(width)
            minimum.append(width)
        else:
            natural.append(max(longest, head, 2))
            minimum.append(max(min(longest, 6), head, 2))  # a name keeps at least six characters a line
    pts = lambda ems: [e * size + CELL_PADDING_PT for e in ems]  # noqa: E731
    natural_pt, minimum_pt = pts(natural), pts(minimum)
    if total <= 0:  # only asked how narrow the table can get
        return minimum_pt
    if sum(natural_pt) <= total:
        spare = total - sum(natural_pt)
        weight = sum(natural_pt)
        return [w + spare * w / weight for w in natural_pt]
    flexible = [j for j in range(n) if j not in table.numeric]
    room = total - sum(minimum_pt[j] for j in range(n) if j in table.numeric)
    if not flexible or room < sum(minimum_pt[j] for j in flexible):
        factor = total / sum(minimum_pt)
        return [w * factor for w in minimum_pt]
    # Grow the text columns from their minimum one character at a time, each time where it saves the most lines.
    lengths = [[text_width(row[j]) if j < len(row) else 0 for j in range(n)] for row in table.rows]
    chars = {j: float(minimum[j]) for j in flexible}
    left = (room - sum(minimum_pt[j] for j in flexible)) / size
    while left >= 1:
        best = None
        for j in flexible:
            if chars[j] >= natural[j]:
                continue
            trial = {**chars, j: chars[j] + 1}
            score = _table_height(lengths, trial)
            if best is None or score < best[0]:
                best = (score, j)
        if best is None:
            break
        chars[best[1]] += 1
        left -= 1
    widths = [natural_pt[j] if j in table.numeric else chars[j] * size + CELL_PADDING_PT for j in range(n)]
    spare = total - sum(widths)
    return [w + spare * w / sum(widths) for w in widths]


def table_font_size(table: Table) -> float:
    """五号, or 小五 for a table whose figures would not fit on one line each in 五号."""
    minimum = column_widths(table, total=0)
    return TABLE_FONT_SIZE if sum(minimum) <= TEXT_WIDTH_PT else SMALL_TABLE_FONT_SIZE


def _table(doc, table: Table):
    size = table_font_size(table)
    widths = column_widths(table, size=size)
    t = doc.add_table(rows=1, cols=len(table.header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    t._tbl.tblPr.append(layout)
    for column, width in zip(t.columns, widths, strict=True):
        column.width = Pt(width)
    head = t.rows[0]
    _row_flags(head, header=True)
    for j, (cell, text) in enumerate(zip(head.cells, table.header, strict=True)):
        cell.width = Pt(widths[j])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _shade(cell, "D9D9D9")
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = 1.0
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(2)
        _fonts(p.add_run(str(text)), HEADING_FONT, size)
    # Every body row is laid out alike: python-docx lays out one (about 1 ms a cell), the others are copies of
    # it with their own texts, so that a table of 400 units takes milliseconds, not a second.
    prototype = _body_row(t, table, widths, size, ["0"] * len(table.header))
    t._tbl.remove(prototype._tr)
    for i, values in enumerate(table.rows):
        texts = [str(value) for value in values]
        if len(texts) == len(table.header) and not any(_SPECIAL.search(text) for text in texts):
            tr = copy.deepcopy(prototype._tr)
            for element, text in zip(tr.iter(qn("w:t")), texts, strict=True):
                element.text = text
            t._tbl.append(tr)
            row = _Row(tr, t)
        else:  # a short row or a text with tabs or line breaks: python-docx writes it
            row = _body_row(t, table, widths, size, texts)
        if table.flags and table.flags[i] in FLAG_COLOURS and len(texts) == len(table.header):
            run = row.cells[-1].paragraphs[0].runs[0]
            run.font.color.rgb = FLAG_COLOURS[table.flags[i]]
            run.font.bold = True
    if table.more:
        _paragraph(doc, table.more_line, indent=False)  # 另有N个项目未列出
    doc.add_paragraph()
    return t


_SPECIAL = re.compile(r"[\t\n\r]")  # texts python-docx turns into several elements (w:tab, w:br)


def _body_row(t, table: Table, widths: list[float], size: float, texts: list[str]) -> _Row:
    row = t.add_row()
    _row_flags(row, header=False)
    for j, (cell, text) in enumerate(zip(row.cells, texts, strict=False)):
        cell.width = Pt(widths[j])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.paragraph_format.line_spacing = 1.0
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(1.5)
        if j in table.numeric:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(p.add_run(text), TABLE_FONT, size)
    return row


# ---------------------------------------------------------------- 版头, page numbers, 版记


def _masthead(doc, *, masthead: str, issue: int | None, issuer: str, issued_on: date | None) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = 1.0
    p.paragraph_format.space_after = Pt(12)
    run = p.add_run(masthead)
    _fonts(run, TITLE_FONT, 36)
    run.font.color.rgb = RED
    if issue:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(p.add_run(pgettext("bulletin", "No. %(n)s") % {"n": issue}), BODY_FONT)
    # The issuing office at the left, the date at the right, the red rule 4 mm below (版头中的分隔线).
    p = doc.add_paragraph()
    p.paragraph_format.tab_stops.add_tab_stop(Pt(TEXT_WIDTH_PT), WD_TAB_ALIGNMENT.RIGHT)
    p.paragraph_format.space_after = Pt(16)
    _fonts(p.add_run(f"{issuer}\t{chinese_date(issued_on) if issued_on else ''}"), BODY_FONT)
    _border(p._p.get_or_add_pPr(), {"bottom": (18, "E60012")}, "w:pBdr")


def _page_number(paragraph) -> None:
    """— PAGE —: the number as a field, so that Word and LibreOffice fill it in on every page."""
    _fonts(paragraph.add_run("— "), TABLE_FONT, FOURTH)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        _fonts(run, TABLE_FONT, FOURTH)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    _fonts(paragraph.add_run(" —"), TABLE_FONT, FOURTH)


def _page_numbers(doc) -> None:
    """Odd pages at the right, even pages at the left, one character in from the edge of the 版心."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(FOURTH)
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(FOURTH)
    _page_number(even)


def _sentence(names: str) -> str:
    """抄送机关间用逗号隔开，最后一个后标句号."""
    names = names.strip().rstrip("。.，,;；")
    return f"{names}。" if names else ""


def _closing_block(doc, *, recipients: str, copies: str, issuer: str, issued_on: date | None) -> None:
    """版记: 主送 and 抄送 lines and the 印发 line between a heavy rule above and below and thin rules between."""
    lines = []
    if recipients.strip():
        lines.append((_("To: "), _sentence(recipients)))
    if copies.strip():
        lines.append((_("Copies to: "), _sentence(copies)))
    doc.add_paragraph()
    t = doc.add_table(rows=len(lines) + 1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for column in t.columns:
        column.width = Pt(TEXT_WIDTH_PT / 2)
    heavy, thin = (8, "000000"), (4, "000000")
    _border(
        t._tbl.tblPr,
        {
            "top": heavy,
            "left": (0, ""),
            "bottom": heavy,
            "right": (0, ""),
            "insideH": thin,
            "insideV": (0, ""),
        },
        "w:tblBorders",
    )
    for row, (label, names) in zip(t.rows, lines, strict=False):
        _row_flags(row, header=False)
        p = row.cells[0].merge(row.cells[1]).paragraphs[0]
        _closing_line(p)
        p.paragraph_format.keep_with_next = True  # the 版记 stays on one page
        # Wrapped names line up after the colon.
        p.paragraph_format.left_indent = Pt(FOURTH * (1 + text_width(label)))
        p.paragraph_format.first_line_indent = Pt(-FOURTH * text_width(label))
        p.paragraph_format.right_indent = Pt(FOURTH)
        _fonts(p.add_run(label + names), BODY_FONT, FOURTH)
    # The 印发 line: the issuing office one character in from the left, the date one character in from the right.
    last = t.rows[-1]
    _row_flags(last, header=False)
    office, day = last.cells[0].paragraphs[0], last.cells[1].paragraphs[0]
    _closing_line(office)
    office.paragraph_format.left_indent = Pt(FOURTH)
    _fonts(office.add_run(issuer), BODY_FONT, FOURTH)
    _closing_line(day)
    day.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    day.paragraph_format.right_indent = Pt(FOURTH)
    issued = pgettext("printed and issued", "Issued %(date)s") % {
        "date": chinese_date(issued_on) if issued_on else ""
    }
    _fonts(day.add_run(issued), BODY_FONT, FOURTH)


def _closing_line(p) -> None:
    p.paragraph_format.line_spacing = 1.0
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(4)


# ---------------------------------------------------------------- the document


def bulletin_docx(
    content: dict,
    *,
    masthead: str = "",
    issue: int | None = None,
    issuer: str = "",
    issued_on: date | None = None,
    recipients: str = "",
    copies: str = "",
) -> bytes:
    """The .docx bytes of a bulletin's frozen `content` (see bulletin.collect) with its 版头 and 版记."""
    doc = _document()
    _page_numbers(doc)
    if masthead:
        _masthead(doc, masthead=masthead, issue=issue, issuer=issuer, issued_on=issued_on)
    o = content["overview"]
    t = tables(content)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(14)
    _fonts(title.add_run(content["title"]), TITLE_FONT, 22)  # 二号

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
    _table(doc, t["stages"])
    _table(doc, t["lights"])

    ind = content["indicators"]
    doc.add_heading(_("2. Main indicators"), level=1)
    if ind["district"]:
        _table(doc, t["indicators"])
    else:
        _paragraph(doc, _("No indicator values were reported for this period."))
    if ind["units"] and ind["ranked"]:
        _paragraph(
            doc, _("Units: value, year-on-year growth and (place within the peer group)."), indent=False
        )
        _table(doc, t["units"])

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
        _table(doc, t["starts"])
    if s["not_started"]:
        _paragraph(doc, _("Projects not yet started:"), indent=False)
        _table(doc, t["not_started"])

    doc.add_heading(_("4. Lagging projects"), level=1)
    if t["lagging"].rows:
        _table(doc, t["lagging"])
        if isinstance(content["lagging"], dict) and content["lagging"].get("converted"):
            _paragraph(doc, _("Projects in other currencies are converted to yuan at the configured rates."))
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
        _table(doc, t["problems"])
    else:
        _paragraph(doc, _("No problems were raised this year."))

    f = content["flags"]
    doc.add_heading(_("6. Evaluation flags"), level=1)
    if f["rows"]:
        _paragraph(doc, _("Published evaluation of %(period)s.") % {"period": f["period"]})
        _table(doc, t["flags"])
    else:
        _paragraph(doc, _("No evaluation has been published for this year yet."))

    if issuer:
        _closing_block(doc, recipients=recipients, copies=copies, issuer=issuer, issued_on=issued_on)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def bulletin_docx_for(bulletin) -> bytes:
    """The .docx of a published bulletin, with its 期号, issuer, date of issue and 版记 lines."""
    return bulletin_docx(
        bulletin.content,
        masthead=bulletin.masthead,
        issue=bulletin.issue,
        issuer=bulletin.issuer,
        issued_on=bulletin.issued_on,
        recipients=bulletin.recipients,
        copies=bulletin.copies,
    )
