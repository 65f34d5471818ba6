"""The indicator table as an .xlsx workbook: one row per unit (the district first, when the page shows it) and
indicator, with the figures its cells show: value, same period last year, 同比, net increase, target,
completion, the gap to 序时 and the places. Values are in the indicator's base unit (元, 家 …), as stored."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from ducha.lib.periods import Period
from ducha.lib.xlsx import append_header, column_width, safe_row, sheet_filter, sheet_layout

from .choices import MEASURE_SUFFIX
from .selectors import Cell, IndicatorTable, Row


def _number(value):
    return float(value) if value is not None else None


def reported_cells(table: IndicatorTable, *, with_district: bool) -> list[tuple[Row, Cell]]:
    """The export's rows: each unit's reported indicators, the district's first when the page shows it."""
    rows: list[Row] = [table.district, *table.rows] if with_district else table.rows
    return [(row, cell) for row in rows for cell in row.cells if cell.reported]


def indicator_table_xlsx(table: IndicatorTable, *, with_district: bool) -> bytes:
    """`table`: the rows the page shows (selectors.indicator_table_whole); `with_district`: its district row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(pgettext("sheet", "Indicators"))
    header = [
        _("Period"),
        _("Unit"),
        _("Indicator"),
        _("Value"),
        _("Measured in"),
        _("Same period last year"),
        _("YoY growth %"),
        _("Net increase"),
        _("Annual target"),
        _("Completion %"),
        _("Against 序时 (points)"),
        _("Place in the peer group"),
        _("Place in the district"),
    ]
    contents = [12, 20, 24, 16, 6, 16, 8, 16, 16, 8, 8, 6, 6]
    sheet_layout(sheet, [column_width(title, width) for title, width in zip(header, contents, strict=True)])
    append_header(sheet, header)
    period = Period(table.year, table.month).label
    district = _("Whole district")
    cells = reported_cells(table, with_district=with_district)
    for row, cell in cells:
        derived = cell.derived
        sheet.append(
            safe_row(
                [
                    period,
                    row.unit.name if row.unit else district,
                    cell.indicator.name,
                    _number(derived.value),
                    MEASURE_SUFFIX.get(cell.indicator.measure, ""),
                    _number(derived.last_year),
                    _number(derived.growth),
                    _number(derived.increase),
                    _number(derived.target),
                    _number(derived.completion),
                    _number(derived.gap),
                    cell.rank_peer,
                    cell.rank_district,
                ]
            )
        )
    sheet_filter(sheet, columns=len(header), rows=len(cells))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
