"""The filtered problems list as an .xlsx workbook (openpyxl, write-only so that large lists stay small in memory)."""

import datetime
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from ducha.lib.xlsx import append_header, safe_row

from .models import Problem
from .rules import is_overdue


def problems_xlsx(problems: Iterable[Problem], *, today: datetime.date) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Problems"))
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["D"].width = 50
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
    append_header(ws, header)
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
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
