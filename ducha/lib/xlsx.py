"""Helpers for the .xlsx exports and templates: safe cells, a bold header, and sheets that read and print well.

`sheet_layout` (before the first row) and `sheet_filter` (after the last) work on openpyxl's write-only sheets
too, so a streamed export keeps its speed: widths, the frozen header, the page setup and the print titles are
written ahead of the rows, the auto-filter after them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

# A cell starting with one of these is read by Excel as a formula (CSV/formula injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Column widths in Excel's units (about one Latin character): never narrower or wider than these.
MIN_WIDTH, MAX_WIDTH = 6.0, 60.0


def safe_cell(value):
    """Text typed by users goes into a workbook as text, never as a formula that runs when the file opens.

    Numbers, dates and None pass unchanged; a string that Excel would read as a formula is prefixed with a
    single quote, Excel's own mark for "this is text".
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]


def text_width(text: str) -> int:
    """How wide `text` shows in a cell, in Latin characters: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in str(text))


def column_width(header: str, content: float = 0) -> float:
    """A column's width: room for the widest expected content (`content`, in Latin characters) and for the
    header, which wraps onto two lines when it is longer than its content."""
    header_width = text_width(header)
    wanted = max(content, header_width / 2 if header_width > content * 2 else header_width) + 2
    return min(max(wanted, MIN_WIDTH), MAX_WIDTH)


def append_header(sheet, titles) -> None:
    """The bold header row (wrapped, centred) of a sheet, write-only or not."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    font, alignment = Font(bold=True), Alignment(wrap_text=True, vertical="center", horizontal="center")
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=safe_cell(title))
        cell.font, cell.alignment = font, alignment
        cells.append(cell)
    sheet.append(cells)


def sheet_layout(sheet, widths: Sequence[float], *, paper: str = "A4", header_rows: int = 1) -> None:
    """Column widths, the header rows frozen and repeated on every printed page, landscape and one page wide.

    On a write-only sheet call it before the first row is appended (the widths and the frozen pane are written
    ahead of the rows).
    """
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header_rows + 1}"
    sheet.print_title_rows = f"1:{header_rows}"
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = {"A4": 9, "A3": 8}[paper]
    setup.fitToWidth, setup.fitToHeight = 1, 0  # one page wide, as many pages long as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True


def sheet_filter(sheet, *, columns: int, rows: int, header_rows: int = 1) -> None:
    """The auto-filter over the header and `rows` data rows (write-only sheets: after the last row)."""
    from openpyxl.utils import get_column_letter

    if columns:
        sheet.auto_filter.ref = f"A{header_rows}:{get_column_letter(columns)}{header_rows + max(rows, 1)}"


def list_validation(
    sheet, column: int, values: Sequence[str], *, lists, rows: int = 2000, strict: bool = True
):
    """A drop-down of `values` on rows 2…`rows` of `column` (1-based), the values kept in a column of the
    `lists` sheet (hidden; Excel limits a list typed into the rule itself to 255 characters).

    `strict`: anything else is refused; otherwise Excel warns and lets it be (names typed as a short name).
    """
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    if not values:
        return None
    letter = get_column_letter(lists.max_column + 1 if lists.cell(row=1, column=1).value is not None else 1)
    for row, value in enumerate(values, start=1):
        lists[f"{letter}{row}"] = safe_cell(value)
    source = f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${len(values)}"
    validation = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showDropDown=False,  # False shows the arrow (the attribute's name says the opposite)
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
    )
    target = get_column_letter(column)
    validation.add(f"{target}2:{target}{rows}")
    sheet.add_data_validation(validation)
    return validation
