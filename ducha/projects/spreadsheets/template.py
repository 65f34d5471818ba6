"""The import template workbook."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ducha.lib.xlsx import safe_row

from ..choices import Category, ChainPosition, ConstructionType, Currency, Level, Stage
from .columns import COLUMNS, PLAN_MSGID

# ---------------------------------------------------------------- template


def template_headers(year: int) -> list[str]:
    headers = [column.label for column in COLUMNS]
    plan = _(PLAN_MSGID) % {"year": year}
    return [*headers[:11], plan, *headers[11:]]


def ledger_template_xlsx(*, year: int) -> bytes:
    """The import template: the header row on the first sheet, the accepted values on the second."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("sheet", "Projects")
    sheet.append(template_headers(year))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 16
    sheet.column_dimensions["A"].width = 36
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("How to fill in"))
    notes.append([_("Column"), _("What to write")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 90

    def labels(choices) -> str:
        return "、".join(str(label) for label in choices.labels)

    lines = [
        (
            _("Project name"),
            _("Required. A row with the same unit and project name as a stored project updates it."),
        ),
        (_("Unit"), _("Required. The town, street or park, by its name or short name.")),
        (_("Industry"), _("An industry set up in the system, by name.")),
        (_("Chain position"), labels(ChainPosition)),
        (_("Level"), labels(Level)),
        (_("Category"), labels(Category)),
        (_("New or continuing"), labels(ConstructionType)),
        (_("Stage"), labels(Stage)),
        (
            _("Total investment (10k)"),
            _("Required. A number in 万, or text such as 80亿元, 7.2亿美元, 2500万."),
        ),
        (_("Currency"), labels(Currency)),
        (
            _(PLAN_MSGID) % {"year": year},
            _("The year's planned investment in 万; add a column per year if needed."),
        ),
        (_("National project code"), _("24 characters, e.g. 2020-320482-38-03-512345.")),
        (_("In the official statistics"), _("是 or 否; with 是, give the date it entered the statistics.")),
        (_("Capacities"), _("e.g. 18GWh动力电池；20万套电池系统 (number, unit, product; separated by ；).")),
        (_("Dates"), _("2020-03-15 or an Excel date. Completion and production cannot be before the start.")),
        ("", _("If any row has a problem, nothing is stored. Other columns (序号, 亮灯 …) are ignored.")),
    ]
    for line in lines:
        notes.append(safe_row(line))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
