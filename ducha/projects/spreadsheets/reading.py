"""Import of a whole project ledger (项目台账) from an .xlsx workbook: all rows or none.

Reading and checking (`ledger_read`) touches the database a fixed number of times however long the file is:
units, departments and industries are loaded once, and the projects the file names (with their stage dates,
annual plans and capacities) once more. Storing (`ledger_store`) saves model instances one by one so that
the audit trail records every created or changed row.

The rules, in short:
- The first sheet is read. The header row is the first of the top ten rows that has the project name and the
  unit columns (so a title row above the header is fine). Columns are matched by their English or Chinese
  header, the same ones the ledger export writes; columns not known here (序号, 完成率, 亮灯 …) are ignored
  and listed in the preview.
- A row is matched to a stored project by (unit, project name): found → updated, otherwise created.
- An empty cell clears a field that may be blank (company, leader …) and keeps the current value (or the
  default for a new project) of one that may not (level, stage, currency …). Annual plans, stage dates and
  capacities are only added or changed by an import, never removed.
- Money cells take numbers in 万 or text such as "80亿元", "7.2亿美元", "2500万" (ducha.lib.money).
- "2020年计划投资（万元）" (any year, any column whose header has a year and 计划投资 / planned investment)
  becomes that year's annual plan.
- Capacities: "18GWh动力电池；20万套电池系统" → (18, GWh, 动力电池), (200000, 套, 电池系统). Items are separated
  by ；;，,、 or line breaks; each is a number, an optional 万/亿, a unit (Latin letters such as GWh, MW, t, or
  a capacity unit of ducha.lib.quantities) and the product. A leading 年产 is dropped.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ducha.lib import clock
from ducha.lib.office_files import UnsafeOfficeFile, check_office_file
from ducha.units.models import Unit

from ..choices import Currency
from ..forms import FORM_STAGES
from ..models import AnnualPlan, Capacity, Industry, Project, StageDate
from ..rules import stage_date_problems
from .cells import cell_text, parse_bool, parse_capacities, parse_date, parse_money
from .columns import (
    BLANK_CHOICES,
    BOOL_FIELDS,
    CHOICES,
    COLUMNS,
    DATE_FIELDS,
    TEXT_FIELDS,
    Column,
    _choice_map,
    _header_map,
    _plan_year,
    norm_header,
)
from .results import CapacitySpec, CellError, LedgerImport, LedgerRow, RowError

MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 10
TOTAL_ROW_NAMES = {"合计", "小计", "总计", "total", "subtotal"}


# ---------------------------------------------------------------- reading


def _size(file) -> int | None:
    if hasattr(file, "size") and file.size is not None:
        return file.size
    try:
        position = file.tell()
        file.seek(0, 2)
        size = file.tell()
        file.seek(position)
        return size
    except (AttributeError, OSError):
        return None


def _file_error(message: str) -> LedgerImport:
    return LedgerImport(errors=[RowError(None, "", "", message)])


def ledger_read(file, *, today: date | None = None) -> LedgerImport:
    """Read and check a ledger workbook (a path or a file object). Nothing is stored.

    The workbook is read with python-calamine (a Rust reader, 10-20× faster than openpyxl's), row by row;
    openpyxl only writes (the export and the template).
    """
    from python_calamine import CalamineError, CalamineWorkbook

    if isinstance(file, str | os.PathLike):
        with open(file, "rb") as handle:
            return ledger_read(BytesIO(handle.read()), today=today)
    size = _size(file)
    if size is not None and size > settings.DUCHA_MAX_UPLOAD_BYTES:
        return _file_error(
            _("The file is larger than %(mb)s MB.")
            % {"mb": round(settings.DUCHA_MAX_UPLOAD_BYTES / 1024 / 1024, 1)}
        )
    try:
        check_office_file(file)
    except UnsafeOfficeFile as exc:
        return _file_error(_("The file is refused: %(reason)s.") % {"reason": exc})
    not_a_workbook = _("The file is not an .xlsx workbook. Save it from Excel as .xlsx and upload it again.")
    try:
        workbook = CalamineWorkbook.from_filelike(file)
        sheet = workbook.get_sheet_by_index(0)
    except (CalamineError, ValueError, IndexError, OSError):
        return _file_error(not_a_workbook)
    try:
        return _read_sheet(_rows(sheet), today or clock.today())
    except CalamineError:
        return _file_error(not_a_workbook)
    finally:
        workbook.close()


def _rows(sheet) -> Iterator[tuple]:
    """The sheet's rows as tuples of values, an empty cell as None (calamine gives "")."""
    for row in sheet.iter_rows():
        yield tuple(None if value == "" else value for value in row)


def _find_header(rows: list[tuple], known: dict[str, Column]) -> int | None:
    for index, row in enumerate(rows):
        keys = {known[norm_header(c)].key for c in row if c is not None and norm_header(c) in known}
        if {"name", "unit"} <= keys:
            return index
    return None


class _Lookups:
    """Units, departments and industries, loaded once."""

    def __init__(self):
        self.units: dict[str, Unit] = {}
        self.departments: dict[str, Unit] = {}
        for unit in Unit.objects.all():
            target = self.departments if unit.is_department else self.units
            target[unit.name] = unit
            if unit.short_name:
                target.setdefault(unit.short_name, unit)
        self.industries = {industry.name: industry for industry in Industry.objects.all()}
        self.choices = {key: _choice_map(choices) for key, choices in CHOICES.items()}


def _read_sheet(rows: Iterator[tuple], today: date) -> LedgerImport:
    result = LedgerImport()
    known = _header_map()
    top = []
    for row in rows:
        top.append(row)
        if len(top) == HEADER_SEARCH_ROWS:
            break
    header_index = _find_header(top, known)
    if header_index is None:
        missing = ", ".join(c.label for c in COLUMNS if c.required)
        result.errors.append(
            RowError(
                1,
                "",
                "",
                _(
                    "No header row with the required columns (%(columns)s) in the first %(n)s rows; download the template."
                )
                % {"columns": missing, "n": HEADER_SEARCH_ROWS},
            )
        )
        return result
    header = [cell_text(h) for h in top[header_index]]
    header_row = header_index + 1
    columns: dict[int, Column] = {}
    plan_columns: dict[int, int] = {}
    for index, name in enumerate(header):
        if not name:
            continue
        column = known.get(norm_header(name))
        if column and column in columns.values():
            result.errors.append(RowError(header_row, name, "", _("this column appears twice")))
        elif column:
            columns[index] = column
        elif (year := _plan_year(name)) and 2000 <= year <= 2100:
            plan_columns[index] = year
        else:
            result.ignored_columns.append(name)
    present = {c.key for c in columns.values()}
    for column in COLUMNS:
        if column.required and column.key not in present:
            result.errors.append(RowError(header_row, column.label, "", _("this required column is missing")))
    if result.errors:
        return result

    lookups = _Lookups()
    raw_rows: list[tuple[int, dict]] = []
    seen: dict[tuple[int, str], int] = {}
    data_rows = [(header_row + 1 + i, r) for i, r in enumerate(top[header_index + 1 :])]
    for row_number, row in [
        *data_rows,
        *((header_row + len(data_rows) + 1 + i, r) for i, r in enumerate(rows)),
    ]:
        if row_number > header_row + MAX_ROWS:
            result.errors.append(
                RowError(None, "", "", _("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
            )
            return result
        if all(cell_text(row[i]) == "" for i in [*columns, *plan_columns] if i < len(row)):
            continue  # blank, or only cells of ignored columns (a section heading in 序号)
        cells = {columns[i]: row[i] for i in columns if i < len(row)}
        plans = {year: row[i] for i, year in plan_columns.items() if i < len(row)}
        values = _read_row(row_number, header, columns, cells, plans, plan_columns, lookups, result.errors)
        if values is None:
            continue
        key = (values["unit"].pk, values["name"])
        if key in seen:
            result.errors.append(
                RowError(
                    row_number,
                    _header_of(header, columns, "name"),
                    values["name"],
                    _("the same project of the same unit is already in row %(row)s") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = row_number
        raw_rows.append((row_number, values))
    if not raw_rows and not result.errors:
        result.errors.append(RowError(None, "", "", _("The file has no project rows.")))
    if result.errors:
        return result
    result.rows = _check_rows(raw_rows, header, columns, plan_columns, today, result.errors)
    if result.errors:
        result.rows = []
    return result


def _header_of(header: list[str], columns: dict[int, Column], key: str) -> str:
    for index, column in columns.items():
        if column.key == key:
            return header[index]
    return _column_label(key)


def _column_label(key: str) -> str:
    return next((c.label for c in COLUMNS if c.key == key), key)


def _read_row(row_number, header, columns, cells, plans, plan_columns, lookups, errors) -> dict | None:
    """The row's cells as field values; problems go to `errors` and give None."""
    values: dict[str, Any] = {}
    problems = len(errors)
    headers = {column.key: header[index] for index, column in columns.items()}

    failed: set[str] = set()

    def fail(key: str, raw: Any, message: str) -> None:
        failed.add(key)
        errors.append(RowError(row_number, headers.get(key) or _column_label(key), cell_text(raw), message))

    readers: dict[str, Callable[[Any], Any]] = {}
    for key in TEXT_FIELDS:
        readers[key] = cell_text
    for key in DATE_FIELDS | {c.key for c in COLUMNS if c.key.endswith(("_planned", "_actual"))}:
        readers[key] = parse_date
    for key in BOOL_FIELDS:
        readers[key] = parse_bool
    readers["capacities"] = lambda v: parse_capacities(cell_text(v))
    for column, raw in cells.items():
        key = column.key
        try:
            if key in readers:
                values[key] = readers[key](raw)
            elif key in CHOICES:
                text = cell_text(raw)
                if text:
                    if norm_header(text) not in lookups.choices[key]:
                        labels = "、".join(str(label) for label in CHOICES[key].labels)
                        raise CellError(_("not one of: %(labels)s") % {"labels": labels})
                    values[key] = lookups.choices[key][norm_header(text)]
                elif key in BLANK_CHOICES:
                    values[key] = ""
            elif key in {"total_investment", "annual_revenue"}:
                values[key] = parse_money(raw)
            elif key == "unit":
                text = cell_text(raw)
                if not text:
                    raise CellError(_("the unit is required"))
                if text not in lookups.units:
                    raise CellError(_("unknown unit; use a town, street or park as named in the system"))
                values[key] = lookups.units[text]
            elif key == "responsible_department":
                text = cell_text(raw)
                if text and text not in lookups.departments:
                    raise CellError(_("unknown department"))
                values[key] = lookups.departments.get(text)
            elif key == "industry":
                text = cell_text(raw)
                if text and text not in lookups.industries:
                    raise CellError(_("unknown industry; use one of the industries set up in the system"))
                values[key] = lookups.industries.get(text)
        except CellError as exc:
            fail(key, raw, str(exc))
    if "name" in values and not values["name"]:
        fail("name", "", _("the project name is required"))
    if values.get("name", "").lower() in TOTAL_ROW_NAMES:
        del errors[problems:]
        return None
    amount, _currency = values.get("total_investment", (None, None))
    if amount is None and "total_investment" not in failed:
        fail("total_investment", "", _("the total investment is required"))
    values["plans"] = {}
    for index, year in plan_columns.items():
        raw = plans.get(year)
        try:
            plan, plan_currency = parse_money(raw)
        except CellError as exc:
            errors.append(RowError(row_number, header[index], cell_text(raw), str(exc)))
            continue
        if plan is not None:
            values["plans"][year] = (plan, plan_currency, header[index])
    return values if len(errors) == problems else None


def _load_existing(raw_rows):
    names = {values["name"] for _row, values in raw_rows}
    projects = {(p.unit_id, p.name): p for p in Project.objects.filter(name__in=names)}
    ids = [p.pk for p in projects.values()]
    stage_dates: dict[int, dict[str, StageDate]] = {}
    for sd in StageDate.objects.filter(project_id__in=ids):
        stage_dates.setdefault(sd.project_id, {})[sd.stage] = sd
    plans: dict[int, dict[int, AnnualPlan]] = {}
    for plan in AnnualPlan.objects.filter(project_id__in=ids):
        plans.setdefault(plan.project_id, {})[plan.year] = plan
    capacities: dict[int, list[CapacitySpec]] = {}
    for cap in Capacity.objects.filter(project_id__in=ids).order_by("pk"):
        capacities.setdefault(cap.project_id, []).append(CapacitySpec(cap.quantity, cap.unit, cap.product))
    return projects, stage_dates, plans, capacities


def _same_capacities(a: list[CapacitySpec], b: list[CapacitySpec]) -> bool:
    return sorted((Decimal(c.quantity), c.unit, c.product) for c in a) == sorted(
        (Decimal(c.quantity), c.unit, c.product) for c in b
    )


FIELD_KEYS = [
    "name",
    "company",
    "unit",
    "industry",
    "chain_position",
    "level",
    "category",
    "construction_type",
    "stage",
    "responsible_leader",
    "responsible_department",
    "national_code",
    "in_statistics",
    "statistics_date",
    "foreign_funded",
    "chain_segment",
    "target_date",
    "description",
]


FOREIGN_KEYS = {"unit", "industry", "responsible_department"}


def _check_rows(raw_rows, header, columns, plan_columns, today, errors) -> list[LedgerRow]:
    existing, stage_dates, plans, capacities = _load_existing(raw_rows)
    headers = {column.key: header[index] for index, column in columns.items()}
    out = []
    for row_number, values in raw_rows:
        before = existing.get((values["unit"].pk, values["name"]))
        pk = before.pk if before else None
        row = _check_row(
            row_number,
            values,
            before,
            headers,
            today,
            errors,
            stored_plans=plans.get(pk, {}),
            stored_dates=stage_dates.get(pk, {}),
            stored_capacities=capacities.get(pk, []),
        )
        if row is not None:
            out.append(row)
    return out


def _check_row(
    row_number, values, before, headers, today, errors, *, stored_plans, stored_dates, stored_capacities
) -> LedgerRow | None:
    """One row against the stored project it updates (if any): the changes, the date rules and full_clean."""
    project = copy.copy(before) if before else Project(name=values["name"])
    project.unit = values["unit"]  # the same unit; cached so that showing it costs no query
    changes: list[str] = []
    problems = len(errors)

    def fail(key: str, message: str, value: str = "", header_text: str | None = None) -> None:
        errors.append(
            RowError(row_number, header_text or headers.get(key) or _column_label(key), value, message)
        )

    def put(key: str, value: Any, attr: str | None = None) -> None:
        attr = attr or key
        if key in FOREIGN_KEYS:
            differs = getattr(project, f"{key}_id") != (value.pk if value else None)
        else:
            differs = getattr(project, attr) != value
        if differs:
            setattr(project, attr, value)
            if before is not None and headers.get(key) not in changes:
                changes.append(headers.get(key, key))

    for key in FIELD_KEYS:
        if key in values:
            put(key, values[key])
    for key in ("total_investment", "annual_revenue"):
        if key not in values:
            continue
        amount, currency = values[key]
        currency_attr = "currency" if key == "total_investment" else "annual_revenue_currency"
        given = values.get("currency") if key == "total_investment" else None
        if currency and given and currency != given:
            fail(
                key,
                _("the amount is in %(a)s but the currency column says %(b)s")
                % {"a": Currency(currency).label, "b": Currency(given).label},
                cell_text(amount),
            )
        put(key, amount)
        if currency:
            put(key, currency, currency_attr)
    if "currency" in values:
        put("currency", values["currency"])
    for year, (amount, currency, plan_header) in values["plans"].items():
        if currency and currency != project.currency:
            fail(
                "",
                _("the plan is in %(a)s but the project's currency is %(b)s")
                % {"a": Currency(currency).label, "b": Currency(project.currency).label},
                cell_text(amount),
                plan_header,
            )
        stored = stored_plans.get(year)
        if stored is None or stored.planned_investment != amount:
            changes.append(plan_header)
    merged: dict[str, tuple[date | None, date | None]] = {}
    touched: dict[str, tuple[date | None, date | None]] = {}
    for stage in FORM_STAGES:
        sd = stored_dates.get(stage)
        old = (sd.planned_date, sd.actual_date) if sd else (None, None)
        planned = values.get(f"{stage}_planned") or old[0]
        actual = values.get(f"{stage}_actual") or old[1]
        merged[stage] = (planned, actual)
        if (planned, actual) != old:
            touched[stage] = (planned, actual)
            for kind, new, was in (("planned", planned, old[0]), ("actual", actual, old[1])):
                if new != was:
                    changes.append(headers[f"{stage}_{kind}"])
    statistics_set = "in_statistics" in values and (before is None or not before.in_statistics)
    # Stored dates and statistics the file does not change are not re-judged.
    for problem in stage_date_problems(
        merged if touched else {},
        today=today,
        in_statistics=project.in_statistics,
        statistics_date=project.statistics_date if "statistics_date" in values else None,
        check_statistics=statistics_set or "statistics_date" in values,
    ):
        fail(
            problem.field,
            problem.message,
            problem.value.isoformat() if problem.field != "statistics_date" else "",
        )
    new_capacities = values.get("capacities") or None
    if new_capacities and not _same_capacities(new_capacities, stored_capacities):
        changes.append(headers["capacities"])
    else:
        new_capacities = None
    try:
        # Units, departments and industries were looked up above; uniqueness is the (unit, name) match.
        project.full_clean(
            exclude=["unit", "industry", "responsible_department"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            shown = getattr(project, key, "")
            fail(key, " ".join(messages), cell_text(shown))
    if len(errors) > problems:
        return None
    return LedgerRow(
        row=row_number,
        is_new=before is None,
        project=project,
        stage_dates=touched,
        capacities=new_capacities,
        plans={year: amount for year, (amount, _c, _h) in values["plans"].items()},
        changes=list(dict.fromkeys(changes)),
    )
