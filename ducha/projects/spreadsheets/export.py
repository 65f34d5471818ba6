"""The ledger as an .xlsx workbook, written with the import's own columns so that it re-imports as it is.

At province scale (100,000 projects) the rows are read as plain tuples (`values_list`), never as model
instances: choices become their labels through dictionaries built once, related names come from joined
columns, and the stage dates of all exported projects from one more query.
"""

from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from ducha.lib import schedule
from ducha.lib.xlsx import append_header, column_width, safe_row, sheet_filter, sheet_layout

from ..models import Project, StageDate
from .columns import (
    EXPORTED_AFTER_FIGURES,
    EXPORTED_BEFORE_FIGURES,
    EXPORTED_STAGE_DATES,
    PLAN_MSGID,
)

# Each exported column: the value it reads (a field, or a joined column) and how that value is written.
_SOURCE: dict[str, str] = {
    "name": "name",
    "company": "company",
    "unit": "unit__name",
    "industry": "industry__name",
    "chain_position": "chain_position",
    "level": "level",
    "category": "category",
    "construction_type": "construction_type",
    "stage": "stage",
    "total_investment": "total_investment",
    "currency": "currency",
    "responsible_leader": "responsible_leader",
    "responsible_department": "responsible_department__name",
    "national_code": "national_code",
    "in_statistics": "in_statistics",
    "statistics_date": "statistics_date",
    "address": "address",
    "longitude": "longitude",
    "latitude": "latitude",
}
# How wide each column's content runs, in Latin characters (a Chinese character counts two).
_CONTENT_WIDTH: dict[str, float] = {
    "name": 40,
    "company": 30,
    "unit": 14,
    "industry": 16,
    "chain_position": 8,
    "level": 8,
    "category": 10,
    "construction_type": 6,
    "stage": 6,
    "total_investment": 12,
    "currency": 6,
    "responsible_leader": 10,
    "responsible_department": 20,
    "national_code": 26,
    "in_statistics": 4,
    "statistics_date": 11,
    "address": 24,
    "longitude": 11,
    "latitude": 10,
}
_FIGURE_WIDTH, _DATE_WIDTH = 12.0, 11.0
_CHOICE_FIELDS = ("chain_position", "level", "category", "construction_type", "stage", "light")


def _labels(field: str) -> Callable[[Any], Any]:
    """What get_FOO_display() gives, from a dictionary built once in the active language."""
    choices = Project._meta.get_field(field).flatchoices  # type: ignore[union-attr]  # a choice field
    labels = {value: str(label) for value, label in choices}
    return lambda value: labels.get(value, value)


def _writers() -> dict[str, Callable[[Any], Any]]:
    writers: dict[str, Callable[[Any], Any]] = {field: _labels(field) for field in _CHOICE_FIELDS}
    yes, no = _("yes"), _("no")
    writers["in_statistics"] = lambda value: yes if value else no
    writers["total_investment"] = float
    writers["longitude"] = writers["latitude"] = (
        _float_or_blank  # degrees as a number cell, blank when not placed
    )
    writers["industry"] = writers["responsible_department"] = lambda name: name or ""
    return writers


def _stage_dates(projects) -> dict[int, dict[str, tuple]]:
    """{project id: {stage: (planned, actual)}} of every exported project, from one query."""
    found: dict[int, dict[str, tuple]] = {}
    pks = projects.values("pk") if projects.query.is_sliced else projects.order_by().values("pk")
    rows = StageDate.objects.filter(project__in=pks).values_list(
        "project_id", "stage", "planned_date", "actual_date"
    )
    for project_id, stage, planned, actual in rows.iterator(chunk_size=5000):
        found.setdefault(project_id, {})[stage] = (planned, actual)
    return found


def _float_or_blank(value) -> float | None:
    return float(value) if value is not None else None


def ledger_xlsx(projects, period) -> bytes:
    """`projects`: the ledger's query set, with its filters, order and period figures (selectors.ledger)."""
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
    figure_widths = [_FIGURE_WIDTH, _FIGURE_WIDTH, 8, 8, 6]
    contents = [
        *(_CONTENT_WIDTH.get(c.key, _FIGURE_WIDTH) for c in EXPORTED_BEFORE_FIGURES),
        *figure_widths,
        *(_CONTENT_WIDTH.get(c.key, _FIGURE_WIDTH) for c in EXPORTED_AFTER_FIGURES),
        *(_DATE_WIDTH for _c in EXPORTED_STAGE_DATES),
    ]
    sheet_layout(
        sheet, [column_width(title, width) for title, width in zip(header, contents, strict=True)], paper="A3"
    )
    append_header(sheet, header)
    schedule_pct = round(float(period.schedule_ratio) * 100, 1)
    writers = _writers()
    light = writers["light"]
    before = [(_SOURCE[c.key], writers.get(c.key)) for c in EXPORTED_BEFORE_FIGURES]
    after = [(_SOURCE[c.key], writers.get(c.key)) for c in EXPORTED_AFTER_FIGURES]
    stage_cells = [(c.stage, c.key.endswith("_actual")) for c in EXPORTED_STAGE_DATES]
    dates_of = _stage_dates(projects)  # read fully before the rows stream (one cursor at a time on SQLite)
    fields = [
        "pk",
        *(s for s, _w in before),
        "plan_year",
        "completed_ytd",
        "light",
        *(s for s, _w in after),
    ]
    n_before = len(before)
    no_dates: dict[str, tuple] = {}
    count = 0
    for row in projects.values_list(*fields).iterator(chunk_size=2000):
        pk = row[0]
        plan_year, completed_ytd, stored_light = row[1 + n_before : 4 + n_before]
        ratio = schedule.completion_ratio(completed_ytd, plan_year)
        dates = dates_of.get(pk, no_dates)
        sheet.append(
            safe_row(
                [
                    *(
                        write(value) if write else value
                        for (_s, write), value in zip(before, row[1 : 1 + n_before], strict=True)
                    ),
                    _float_or_blank(plan_year),
                    _float_or_blank(completed_ytd),
                    round(float(ratio) * 100, 1) if ratio is not None else None,
                    schedule_pct,
                    light(stored_light),
                    *(
                        write(value) if write else value
                        for (_s, write), value in zip(after, row[4 + n_before :], strict=True)
                    ),
                    *((dates.get(stage) or (None, None))[actual] for stage, actual in stage_cells),
                ]
            )
        )
        count += 1
    sheet_filter(sheet, columns=len(header), rows=count)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
