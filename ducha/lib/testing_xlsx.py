"""What the tests check of every .xlsx export: a sheet that reads and prints well (see ducha.lib.xlsx)."""

from __future__ import annotations

from io import BytesIO


def assert_printable_sheet(content: bytes, *, rows: int, sheet: int = 0):
    """The sheet of `content` (an .xlsx file) has a width for every column, its header row frozen, repeated on
    every printed page and filtered, and prints landscape one page wide; `rows` data rows under the header.
    Returns the sheet (openpyxl, read fully) for further checks."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(BytesIO(content))
    ws = book.worksheets[sheet]
    header = [cell.value for cell in ws[1]]
    last = get_column_letter(len(header))
    assert all(header), header
    assert ws.max_row == rows + 1
    assert ws.freeze_panes == "A2"
    assert ws.print_title_rows == "$1:$1"
    assert ws.auto_filter.ref == f"A1:{last}{max(rows, 1) + 1}"
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    widths = [ws.column_dimensions[get_column_letter(i)].width for i in range(1, len(header) + 1)]
    assert all(width and width >= 6 for width in widths), widths
    assert all(cell.font.bold for cell in ws[1])
    return ws
