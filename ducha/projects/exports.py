"""The ledger as an .xlsx workbook."""

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ducha.lib import schedule
from ducha.lib.xlsx import safe_row


def ledger_xlsx(projects, period) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(pgettext("sheet", "Projects"))
    header = [
        _("Project name"),
        _("Investor company"),
        _("Unit"),
        _("Industry"),
        _("Chain position"),
        _("Level"),
        _("Category"),
        _("New or continuing"),
        _("Stage"),
        _("Total investment (10k)"),
        _("Currency"),
        _("Planned investment %(year)s (10k)") % {"year": period.year},
        _("Completed %(period)s (10k)") % {"period": period},
        _("Completion rate %"),
        _("On-schedule progress %"),
        _("Light"),
        _("Responsible leader"),
        _("Responsible department"),
        _("National project code"),
        _("In the official statistics"),
        _("Date entered the statistics"),
    ]
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)
    schedule_pct = round(float(period.schedule_ratio) * 100, 1)
    for p in projects.iterator(chunk_size=500):
        ratio = schedule.completion_ratio(p.completed_ytd, p.plan_year)
        sheet.append(
            safe_row(
                [
                    p.name,
                    p.company,
                    p.unit.name,
                    p.industry.name if p.industry else "",
                    p.get_chain_position_display(),
                    p.get_level_display(),
                    p.get_category_display(),
                    p.get_construction_type_display(),
                    p.get_stage_display(),
                    float(p.total_investment),
                    p.currency,
                    float(p.plan_year) if p.plan_year is not None else None,
                    float(p.completed_ytd) if p.completed_ytd is not None else None,
                    round(float(ratio) * 100, 1) if ratio is not None else None,
                    schedule_pct,
                    p.get_light_display(),
                    p.responsible_leader,
                    p.responsible_department.name if p.responsible_department else "",
                    p.national_code,
                    _("yes") if p.in_statistics else _("no"),
                    p.statistics_date,
                ]
            )
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
