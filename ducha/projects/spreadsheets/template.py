"""The import template workbook."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ducha.lib.xlsx import append_header, column_width, list_validation, safe_row, sheet_layout

from ..choices import Category, ChainPosition, ConstructionType, Currency, Level, Stage
from .columns import BOOL_FIELDS, CHOICES, COLUMNS, DATE_FIELDS, PLAN_MSGID

TEMPLATE_ROWS = 5000  # the rows the drop-down lists and date checks cover

# ---------------------------------------------------------------- template


def template_headers(year: int) -> list[str]:
    headers = [column.label for column in COLUMNS]
    plan = _(PLAN_MSGID) % {"year": year}
    return [*headers[:11], plan, *headers[11:]]


def ledger_template_xlsx(*, year: int) -> bytes:
    """The import template: the header row on the first sheet, with drop-down lists and date checks on its
    columns; how to fill it in on the second; the lists' values on a third, hidden."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("sheet", "Projects")
    headers = template_headers(year)
    wide = {"name": 36, "company": 28, "description": 40, "capacities": 30, "national_code": 26}
    widths = [
        column_width(header, wide.get(key, 10))
        for header, key in zip(headers, _template_columns(), strict=True)
    ]
    sheet_layout(sheet, widths, paper="A3")
    append_header(sheet, headers)
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
    _drop_downs(workbook, sheet)  # its hidden list sheet comes last
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _template_columns() -> list[str]:
    """The template's column keys, in template_headers' order ("plan" for the year's planned investment)."""
    keys = [column.key for column in COLUMNS]
    return [*keys[:11], "plan", *keys[11:]]


def _drop_downs(workbook, sheet) -> None:
    """Drop-down lists on the template's columns of fixed values (stages, levels, categories, new/continuing …)
    and of the units, departments and industries set up in the system, their values kept on a hidden sheet; a
    date check on the date columns."""
    from openpyxl.worksheet.datavalidation import DataValidation

    from ducha.units.models import Unit

    from ..models import Industry

    lists = workbook.create_sheet(pgettext("sheet", "Lists"))
    lists.sheet_state = "hidden"
    areas = Unit.objects.exclude(kind__in=("department", "county")).order_by("order", "name")
    values: dict[str, list[str]] = {
        **{key: [str(label) for label in choices.labels] for key, choices in CHOICES.items()},
        **{key: [_("yes"), _("no")] for key in BOOL_FIELDS},
        "unit": list(areas.values_list("name", flat=True)),
        "responsible_department": list(
            Unit.objects.departments().order_by("order", "name").values_list("name", flat=True)
        ),
        "industry": list(Industry.objects.order_by("order", "name").values_list("name", flat=True)),
    }
    stored = {"unit", "responsible_department", "industry"}  # also accepted: short names, names set up later
    # A date between 1990 and 2100; text such as 2020.3.15 is also read, so Excel only warns.
    dates = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(1990,1,1)",
        formula2="DATE(2100,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        error=_("Dates: 2020-03-15 or an Excel date."),
    )
    for position, key in enumerate(_template_columns(), start=1):
        letter = sheet.cell(row=1, column=position).column_letter
        if key in values:
            strict = key not in stored
            list_validation(sheet, position, values[key], lists=lists, rows=TEMPLATE_ROWS, strict=strict)
        elif key in DATE_FIELDS or key.endswith(("_planned", "_actual")):
            dates.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
    sheet.add_data_validation(dates)
