"""The filtered problems list as an .xlsx workbook (openpyxl, write-only so that large lists stay small in memory)."""

import datetime
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from ducha.lib.xlsx import append_header, column_width, safe_row, sheet_filter, sheet_layout

from .models import Problem
from .rules import is_overdue


def problems_xlsx(problems: Iterable[Problem], *, today: datetime.date) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Problems"))
    header = [
        _("No."),
        _("Project"),
        _("Unit"),
        _("Problem"),
        pgettext("problem", "Category"),
        _("Lead department"),
        _("Co-departments"),
        _("Responsible leader"),
        _("Round"),
        _("Raised on"),
        _("Deadline"),
        _("Status"),
        _("Overdue"),
        _("Resolved on"),
    ]
    contents = [
        6,
        36,
        14,
        50,
        12,
        18,
        24,
        10,
        20,
        11,
        11,
        8,
        4,
        11,
    ]  # Latin characters (a Chinese one is two)
    sheet_layout(ws, [column_width(title, width) for title, width in zip(header, contents, strict=True)])
    append_header(ws, header)
    count = 0
    for p in problems:
        ws.append(
            safe_row(
                [
                    p.pk,
                    p.project.name,
                    p.project.unit.label,
                    p.description,
                    p.category.name,
                    p.lead_department.label,
                    "、".join(u.label for u in p.co_departments.all()),
                    p.responsible_leader,
                    p.round.title if p.round else "",
                    p.raised_on,
                    p.deadline,
                    p.get_status_display(),
                    _("yes") if is_overdue(status=p.status, deadline=p.deadline, today=today) else "",
                    p.resolved_on,
                ]
            )
        )
        count += 1
    sheet_filter(ws, columns=len(header), rows=count)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
