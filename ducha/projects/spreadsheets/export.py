"""The ledger as an .xlsx workbook, written with the import's own columns so that it re-imports as it is."""

from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from ducha.lib import schedule
from ducha.lib.xlsx import append_header, safe_row

from .columns import EXPORTED_AFTER_FIGURES, EXPORTED_BEFORE_FIGURES, EXPORTED_STAGE_DATES, PLAN_MSGID

_VALUE: dict[str, Callable[[Any], Any]] = {
    "name": lambda p: p.name,
    "company": lambda p: p.company,
    "unit": lambda p: p.unit.name,
    "industry": lambda p: p.industry.name if p.industry else "",
    "chain_position": lambda p: p.get_chain_position_display(),
    "level": lambda p: p.get_level_display(),
    "category": lambda p: p.get_category_display(),
    "construction_type": lambda p: p.get_construction_type_display(),
    "stage": lambda p: p.get_stage_display(),
    "total_investment": lambda p: float(p.total_investment),
    "currency": lambda p: p.currency,
    "responsible_leader": lambda p: p.responsible_leader,
    "responsible_department": lambda p: p.responsible_department.name if p.responsible_department else "",
    "national_code": lambda p: p.national_code,
    "in_statistics": lambda p: _("yes") if p.in_statistics else _("no"),
    "statistics_date": lambda p: p.statistics_date,
}


def ledger_xlsx(projects, period) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(pgettext("sheet", "Projects"))
    header = [
        *(column.label for column in EXPORTED_BEFORE_FIGURES),
        _(PLAN_MSGID) % {"year": period.year},
        _("Completed %(period)s (10k)") % {"period": period},
        _("Completion rate %"),
        _("On-schedule progress %"),
        _("Light"),
        *(column.label for column in EXPORTED_AFTER_FIGURES),
        *(column.label for column in EXPORTED_STAGE_DATES),
    ]
    append_header(sheet, header)
    schedule_pct = round(float(period.schedule_ratio) * 100, 1)
    for p in projects.prefetch_related("stage_dates").iterator(chunk_size=500):
        dates = {sd.stage: (sd.planned_date, sd.actual_date) for sd in p.stage_dates.all()}
        ratio = schedule.completion_ratio(p.completed_ytd, p.plan_year)
        figures = [
            float(p.plan_year) if p.plan_year is not None else None,
            float(p.completed_ytd) if p.completed_ytd is not None else None,
            round(float(ratio) * 100, 1) if ratio is not None else None,
            schedule_pct,
            p.get_light_display(),
        ]
        sheet.append(
            safe_row(
                [
                    *(_VALUE[column.key](p) for column in EXPORTED_BEFORE_FIGURES),
                    *figures,
                    *(_VALUE[column.key](p) for column in EXPORTED_AFTER_FIGURES),
                    *(
                        dates.get(column.stage, (None, None))[column.key.endswith("_actual")]
                        for column in EXPORTED_STAGE_DATES
                    ),
                ]
            )
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
