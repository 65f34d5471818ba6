"""Helpers for the .xlsx exports."""

# A cell starting with one of these is read by Excel as a formula (CSV/formula injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def append_header(sheet, titles) -> None:
    """The bold header row of a write-only sheet."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=safe_cell(title))
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)
