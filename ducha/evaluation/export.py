"""An evaluation's results and flags as an .xlsx workbook: one row per unit (place, flag, total and each item's
points), then one row per unit and item with its raw value and how its points were reached."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from ducha.lib.quantities import format_amount
from ducha.lib.xlsx import append_header, column_width, safe_row, sheet_filter, sheet_layout
from ducha.units.models import PeerGroup

from .explain import explain_item
from .models import Evaluation
from .selectors import ResultView


def _number(value):
    return float(value) if value is not None else None


def _group_label(key: str) -> str:
    return str(PeerGroup(key).label) if key in PeerGroup.values else key


def evaluation_xlsx(evaluation: Evaluation, results: list[ResultView]) -> bytes:
    """`results`: the evaluation's results as its page shows them (selectors.evaluation_results)."""
    book = Workbook(write_only=True)
    columns = evaluation.snapshot.get("items", [])
    sheet = book.create_sheet(pgettext("sheet", "Results"))
    header = [
        _("Peer group"),
        _("Place"),
        _("Units in the group"),
        _("Unit"),
        _("Flag"),
        _("Total"),
        *(
            _("%(item)s (weight %(weight)s)")
            % {"item": column["label"], "weight": format_amount(Decimal(column["weight"]))}
            for column in columns
        ),
    ]
    contents = [12, 6, 6, 20, 6, 8, *(8 for _column in columns)]
    sheet_layout(sheet, [column_width(title, width) for title, width in zip(header, contents, strict=True)])
    append_header(sheet, header)
    for view in results:
        result = view.result
        points = {item.key: item.points for item in view.items}
        sheet.append(
            safe_row(
                [
                    _group_label(result.peer_group),
                    result.place,
                    result.group_size,
                    result.unit.label,
                    result.get_flag_display(),
                    _number(result.total),
                    *(_number(points.get(column["key"])) for column in columns),
                ]
            )
        )
    sheet_filter(sheet, columns=len(header), rows=len(results))

    items = book.create_sheet(pgettext("sheet", "Items"))
    header = [
        _("Unit"),
        _("Item"),
        _("Weight"),
        _("Raw value"),
        _("Points"),
        _("How the points were reached"),
    ]
    contents = [20, 24, 6, 14, 8, 60]
    sheet_layout(items, [column_width(title, width) for title, width in zip(header, contents, strict=True)])
    append_header(items, header)
    count = 0
    for view in results:
        for item in view.items:
            items.append(
                safe_row(
                    [
                        view.result.unit.label,
                        item.label,
                        _number(item.weight),
                        _number(item.raw),
                        _number(item.points),
                        explain_item(item),
                    ]
                )
            )
            count += 1
    sheet_filter(items, columns=len(header), rows=count)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
