"""Import of a whole project ledger (项目台账) from an .xlsx workbook: all rows or none.

Reading and checking (`ledger_read`) streams the rows: units, departments and industries are loaded once, and
the projects the file names (with their stage dates, annual plans and capacities) in batches of BATCH_ROWS rows,
a few queries per batch. The row limit (settings.DUCHA_IMPORT_MAX_ROWS) is checked as the rows come. Each
distinct cell value of a column and each distinct field value is judged once (a ledger repeats its units,
labels and dates). Storing (`ledger_store`) writes in chunks and records every created or changed row in the
audit trail.

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

import gc
import itertools
import os
import sys
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connections
from django.db.models import CharField, TextField
from django.db.models.base import ModelState
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

BATCH_ROWS = 900  # rows checked together: one query per kind of stored data, under SQLite's parameter limit
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


def ledger_read(
    file, *, today: date | None = None, progress: Callable[[int, int], None] | None = None
) -> LedgerImport:
    """Read and check a ledger workbook (a path or a file object). Nothing is stored.

    `progress(done, total)`, when given, is called as the rows are checked (every BATCH_ROWS rows and at the end);
    `total` is the number of rows below the header (at most DUCHA_IMPORT_MAX_ROWS).

    The workbook is read with python-calamine (a Rust reader, 10-20× faster than openpyxl's), row by row;
    openpyxl only writes (the export and the template).
    """
    from python_calamine import CalamineError, CalamineWorkbook

    if isinstance(file, str | os.PathLike):
        with open(file, "rb") as handle:
            return ledger_read(BytesIO(handle.read()), today=today, progress=progress)
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
    collecting = gc.isenabled()
    # The rows checked stay in memory until stored: hundreds of thousands of objects that Python's cycle collector
    # would scan again and again while they grow (a quarter of the time). They hold no cycles to collect.
    gc.disable()
    try:
        return _read_sheet(sheet.iter_rows(), today or clock.today(), total=sheet.height, progress=progress)
    except CalamineError:
        return _file_error(not_a_workbook)
    finally:
        if collecting:
            gc.enable()
        workbook.close()


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


def _read_sheet(rows: Iterator, today: date, *, total: int | None = None, progress=None) -> LedgerImport:
    """Read the header, then stream the data rows: each is read (cells → values) as it comes, and checked against
    the stored projects in batches of BATCH_ROWS. The row limit is checked as the rows come, so a file over it
    is refused without reading the rest."""
    result = LedgerImport()
    known = _header_map()
    top = []
    for row in rows:
        top.append(tuple(None if value == "" else value for value in row))
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

    limit = settings.DUCHA_IMPORT_MAX_ROWS
    total = min(limit, max(0, total - header_row)) if total is not None else None
    reader = _RowReader(header, columns, plan_columns, _Lookups())
    checker = _RowChecker(reader.headers, today)
    check_errors: list[RowError] = []  # shown only when every row could be read
    batch: list[tuple[int, dict]] = []
    seen: dict[tuple[int, str], int] = {}
    data_rows = itertools.chain(top[header_index + 1 :], rows)
    for row_number, row in enumerate(data_rows, start=header_row + 1):
        if row_number > header_row + limit:
            result.errors.append(
                RowError(None, "", "", _("The file has more than %(max)s rows.") % {"max": limit})
            )
            result.rows = []
            return result
        values = reader.read(row_number, row, result.errors)
        if values is None:
            continue
        key = (values["unit"].id, values["name"])
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
        if result.errors:
            continue  # nothing will be stored: the rest is only read, for its errors
        batch.append((row_number, values))
        if len(batch) == BATCH_ROWS:
            result.rows.extend(checker.check(batch, check_errors))
            batch = []
            if progress is not None and total:
                progress(min(row_number - header_row, total), total)
    if not seen and not result.errors:
        result.errors.append(RowError(None, "", "", _("The file has no project rows.")))
    if result.errors:
        result.rows = []
        return result
    result.rows.extend(checker.check(batch, check_errors))
    if progress is not None and total is not None:
        progress(total, total)
    result.errors.extend(check_errors)
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


_ABSENT = object()  # what a reader gives for an empty cell that keeps the stored value (or the default)


class _Memo:
    """A cell reader whose every distinct cell value is read once: a ledger repeats its units, labels, dates and
    amounts. `cache` maps a cell value to (True, value) or (False, the reason it cannot be read)."""

    def __init__(self, read: Callable[[Any], Any]):
        self.read = read
        self.cache: dict[Any, tuple[bool, Any]] = {}

    @staticmethod
    def key(raw: Any) -> Any:
        return (
            raw if type(raw) is str else (type(raw), raw)
        )  # 1, 1.0 and True are equal keys, not the same cell

    def judge(self, raw: Any) -> tuple[bool, Any]:
        try:
            found = (True, self.read(raw))
        except CellError as exc:
            found = (False, str(exc))
        if len(self.cache) >= 20000:
            self.cache.clear()
        self.cache[self.key(raw)] = found
        return found

    def __call__(self, raw: Any) -> Any:
        ok, value = self.cache.get(self.key(raw)) or self.judge(raw)
        if ok:
            return value
        raise CellError(value)


class _RowReader:
    """Reads one row's cells into field values; the readers of the file's columns are chosen once."""

    def __init__(self, header, columns, plan_columns, lookups):
        self.header = header
        self.headers = {column.key: header[index] for index, column in columns.items()}
        self.readers = []
        for index, column in columns.items():
            read = self._reader(column.key, lookups)
            self.readers.append((index, column.key, read if isinstance(read, _Memo) else None, read))
        self.indexes = [*columns, *plan_columns]
        self.plan_columns = list(plan_columns.items())
        self.money = _Memo(parse_money)

    @staticmethod
    def _reader(key: str, lookups: _Lookups) -> Callable[[Any], Any]:
        if key in {"name", "national_code"}:
            return cell_text  # each row's own
        if key in TEXT_FIELDS:
            return _Memo(cell_text)  # repeated texts (leaders, companies) become one string in memory
        if key in DATE_FIELDS or key.endswith(("_planned", "_actual")):
            return _Memo(parse_date)
        if key in BOOL_FIELDS:
            return _Memo(parse_bool)
        if key == "capacities":
            capacities = _Memo(lambda v: tuple(parse_capacities(cell_text(v))))
            return lambda v: list(capacities(v))
        if key in CHOICES:
            choices = lookups.choices[key]
            labels = "、".join(str(label) for label in CHOICES[key].labels)

            def choice(raw):
                text = cell_text(raw)
                if text:
                    if norm_header(text) not in choices:
                        raise CellError(_("not one of: %(labels)s") % {"labels": labels})
                    return choices[norm_header(text)]
                return "" if key in BLANK_CHOICES else _ABSENT

            return _Memo(choice)
        if key in {"total_investment", "annual_revenue"}:
            return _Memo(parse_money)
        if key == "unit":

            def unit(raw):
                text = cell_text(raw)
                if not text:
                    raise CellError(_("the unit is required"))
                if text not in lookups.units:
                    raise CellError(_("unknown unit; use a town, street or park as named in the system"))
                return lookups.units[text]

            return _Memo(unit)
        if key == "responsible_department":

            def department(raw):
                text = cell_text(raw)
                if text and text not in lookups.departments:
                    raise CellError(_("unknown department"))
                return lookups.departments.get(text)

            return _Memo(department)
        if key == "industry":

            def industry(raw):
                text = cell_text(raw)
                if text and text not in lookups.industries:
                    raise CellError(_("unknown industry; use one of the industries set up in the system"))
                return lookups.industries.get(text)

            return _Memo(industry)
        return lambda raw: _ABSENT

    def read(self, row_number: int, row, errors: list[RowError]) -> dict | None:
        """The row's cells as field values; problems go to `errors` and give None, and so does a blank row."""
        width = len(row)
        for i in self.indexes:
            if i < width:
                value = row[i]
                if value is not None and not (isinstance(value, str) and not value.strip()):
                    break
        else:
            return None  # blank, or only cells of ignored columns (a section heading in 序号)
        values: dict[str, Any] = {}
        problems = len(errors)
        failed: set[str] = set()

        def fail(key: str, raw: Any, message: str) -> None:
            failed.add(key)
            errors.append(
                RowError(row_number, self.headers.get(key) or _column_label(key), cell_text(raw), message)
            )

        for index, key, memo, read in self.readers:
            if index >= width:
                continue
            raw = row[index]
            if memo is None:
                try:
                    value = read(raw)
                except CellError as exc:
                    fail(key, raw, str(exc))
                    continue
            else:  # the memo's lookup, inline: this loop runs for every cell
                ok, value = memo.cache.get(raw if type(raw) is str else (type(raw), raw)) or memo.judge(raw)
                if not ok:
                    fail(key, raw, value)
                    continue
            if value is not _ABSENT:
                values[key] = value
        if "name" in values and not values["name"]:
            fail("name", "", _("the project name is required"))
        if values.get("name", "").lower() in TOTAL_ROW_NAMES:
            del errors[problems:]
            return None
        amount, _currency = values.get("total_investment", (None, None))
        if amount is None and "total_investment" not in failed:
            fail("total_investment", "", _("the total investment is required"))
        values["plans"] = {}
        if self.plan_columns:
            plans = {year: row[i] for i, year in self.plan_columns if i < width}
            for index, year in self.plan_columns:
                raw = plans.get(year)
                try:
                    plan, plan_currency = self.money(raw)
                except CellError as exc:
                    errors.append(RowError(row_number, self.header[index], cell_text(raw), str(exc)))
                    continue
                if plan is not None:
                    values["plans"][year] = (plan, plan_currency, self.header[index])
        return values if len(errors) == problems else None


def _chunks(items: list, size: int = BATCH_ROWS) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


PROJECT_ATTNAMES = [field.attname for field in Project._meta.concrete_fields]


def _stored_project(values: tuple, db: str) -> Project:
    """A stored project from its column values, as Model.from_db would make it but without Model.__init__'s cost
    per field (no init signals are connected to Project); the values went through the fields' converters."""
    project = Project.__new__(Project)
    state = project._state = ModelState()  # first: the instance's dictionary then shares its keys
    state.adding = False
    state.db = db
    project.__dict__.update(zip(PROJECT_ATTNAMES, values, strict=True))
    return project


class _StoredRows:
    """Rows of the projects of some names, and of their stage dates, plans and capacities, as tuples of the values
    a query set's values_list would give. The SQL is written here and each column goes through the converters
    Django's compiler would apply, but a value of a column of repeated immutable values (dates, amounts) is
    converted once per batch: a re-imported export names 100,000 stored projects with 600,000 plans, and the
    compiler's per-value work (converters, preparing every IN parameter) was most of a dry run's time."""

    MEMO_TYPES = {"DateField", "DateTimeField", "DecimalField", "BooleanField"}
    # Columns whose declared type makes Python's sqlite3 module parse every value before Django's converters see
    # it (Django connects with PARSE_DECLTYPES): read as the expression +column, which has no declared type, so
    # that the raw text or number goes to the converters alone, which take it as well and run once per distinct
    # value of a batch.
    SQLITE_DECLARED = {"DateField", "DateTimeField", "BooleanField"}

    def __init__(self, db: str):
        self.connection = connections[db]
        self.undeclared = self.SQLITE_DECLARED if self.connection.vendor == "sqlite" else set()
        quote = self.connection.ops.quote_name
        project = Project._meta
        self.from_projects = f"{quote(project.db_table)} p"
        self.name_column = f"p.{quote(project.get_field('name').column)}"
        self.pk_column = f"p.{quote(project.pk.column)}"

    def _columns(self, model, attnames: list[str], alias: str):
        quote = self.connection.ops.quote_name
        columns, converters = [], []
        for index, attname in enumerate(attnames):
            field = model._meta.get_field(attname.removesuffix("_id") if attname.endswith("_id") else attname)
            col = field.get_col(alias)
            plus = "+" if field.get_internal_type() in self.undeclared else ""
            columns.append(f"{plus}{alias}.{quote(field.column)}")
            found = self.connection.ops.get_db_converters(col) + col.get_db_converters(self.connection)
            if found:
                memo: dict | None = {} if field.get_internal_type() in self.MEMO_TYPES else None
                converters.append((index, found, col, memo))
        return ", ".join(columns), converters

    def rows(
        self,
        model,
        attnames: list[str],
        keys: list,
        *,
        years: list[int] | None = None,
        order_by_pk=False,
    ) -> list[tuple]:
        """Projects by name, or the rows of another model by their projects' ids."""
        placeholders = ", ".join(["%s"] * len(keys))
        parameters: list[Any] = list(keys)
        if model is Project:
            select, converters = self._columns(model, attnames, "p")
            sql = f"SELECT {select} FROM {self.from_projects} WHERE {self.name_column} IN ({placeholders})"
        else:
            quote = self.connection.ops.quote_name
            select, converters = self._columns(model, attnames, "r")
            project_column = quote(model._meta.get_field("project").column)
            sql = f"SELECT {select} FROM {quote(model._meta.db_table)} r WHERE r.{project_column} IN ({placeholders})"
            if years is not None:
                sql += f" AND r.{quote(model._meta.get_field('year').column)} IN ({', '.join(['%s'] * len(years))})"
                parameters.extend(years)
            if order_by_pk:
                sql += f" ORDER BY r.{quote(model._meta.pk.column)}"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, parameters)
            rows = cursor.fetchall()
        if not converters or not rows:
            return rows
        # Column by column: a memoised column's distinct values are converted once, then looked up in one map().
        connection = self.connection
        columns = list(zip(*rows, strict=True))
        for index, found, col, memo in converters:

            def convert(value, found=found, col=col):
                for converter in found:
                    value = converter(value, col, connection)
                return value

            if memo is None:
                columns[index] = list(map(convert, columns[index]))
            else:
                table = {value: convert(value) for value in set(columns[index])}
                columns[index] = list(map(table.__getitem__, columns[index]))
        return list(zip(*columns, strict=True))


def _load_existing(raw_rows):
    """The stored projects the rows name, with their stage dates, plans and capacities: a few queries per batch,
    each with at most BATCH_ROWS parameters (SQLite allows 250,000 at most; long IN lists are slow anyway).
    Related rows are found by the ids of the projects the rows name (not of their namesakes in other units). Plans are those of the years the rows give (a ledger's plan columns)."""
    wanted = {(values["unit"].id, values["name"]) for _row, values in raw_rows}
    names = list({name for _unit, name in wanted})
    years = sorted({year for _row, values in raw_rows for year in values["plans"]})  # the plans compared
    projects = {}
    db = Project.objects.db
    stored = _StoredRows(db)
    stage_dates: dict[int, dict[str, tuple[date | None, date | None]]] = {}
    plans: dict[int, dict[int, Decimal]] = {}
    capacities: dict[int, list[CapacitySpec]] = {}
    found: list[int] = []
    for chunk in _chunks(names):
        for values in stored.rows(Project, PROJECT_ATTNAMES, chunk):
            project = _stored_project(values, db)
            key = (project.unit_id, project.name)
            projects[key] = project
            if key in wanted:  # not a namesake in another unit
                found.append(project.id)
    # By the projects' ids (an index each), not joined by name: fewer rows to look at.
    for chunk in _chunks(found):
        for project_id, stage, planned, actual in stored.rows(
            StageDate, ["project_id", "stage", "planned_date", "actual_date"], chunk
        ):
            stage_dates.setdefault(project_id, {})[stage] = (planned, actual)
        plan_rows = (
            stored.rows(AnnualPlan, ["project_id", "year", "planned_investment"], chunk, years=years)
            if years
            else ()
        )
        for project_id, year, amount in plan_rows:
            plans.setdefault(project_id, {})[year] = amount
        for project_id, quantity, unit, product in stored.rows(
            Capacity, ["project_id", "quantity", "unit", "product"], chunk, order_by_pk=True
        ):
            capacities.setdefault(project_id, []).append(CapacitySpec(quantity, unit, product))
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


# Units, industries and projects are read by .id (their primary key), not .pk: a property call per read.
FOREIGN_KEYS = {
    "unit": "unit_id",
    "industry": "industry_id",
    "responsible_department": "responsible_department_id",
}
PLAIN_FIELD_KEYS = set(FIELD_KEYS) - set(FOREIGN_KEYS)
# Fields whose values the cell readers take only from what the field accepts: a choice of the field's own choices
# (currencies too: parse_money refuses others), a date, yes or no. Their field rules cannot fail.
VALID_AS_READ = {*CHOICES, "annual_revenue_currency", *DATE_FIELDS, *BOOL_FIELDS}
NO_DATES = (None, None)
STAGE_KEYS = [(stage, f"{stage}_planned", f"{stage}_actual") for stage in FORM_STAGES]


class _FieldRules:
    """The checks `Project.full_clean` makes of a field (its clean(): type, choices, blank, max length, validators),
    each distinct value of a field judged once instead of a whole model instance per row.

    Units, departments and industries were looked up by name; uniqueness is the (unit, name) match; Project has
    no clean() of its own. Fields a row does not set keep values already valid: the model's defaults, or what
    project_save stored.
    """

    def __init__(self):
        skip = {"unit", "industry", "responsible_department"}
        fields = [f for f in Project._meta.fields if f.name not in skip]
        self.fields = {f.attname: f for f in fields}
        self.order = {f.attname: position for position, f in enumerate(fields)}
        # Text fields whose only rule is their length: a str no longer than that passes without clean().
        self.lengths = {
            f.attname: f.max_length or sys.maxsize
            for f in fields
            if isinstance(f, CharField | TextField)
            and not f.choices
            and all(isinstance(v, MaxLengthValidator) for v in f.validators)
        }
        self.judged: dict[str, dict[Any, tuple[Any, Any, str | None]]] = {attr: {} for attr in self.fields}

    def problems(self, project: Project, attrs) -> list[tuple[str, str]]:
        """(field name, messages joined) of the fields among `attrs` whose value full_clean would refuse."""
        found: dict[str, str] = {}
        values = project.__dict__
        for attr in attrs:
            raw = values[attr]
            limit = self.lengths.get(attr)
            if limit is not None and type(raw) is str and raw and len(raw) <= limit:
                continue
            # Decimal("1.0") == Decimal("1.000") but their decimal places differ: a Decimal is judged as the object
            # it is (the cell reader gives the same object for the same cell value), kept so that its id stays its.
            key = id(raw) if type(raw) is Decimal else raw
            judged = self.judged[attr].get(key)
            if judged is None or judged[0] is not raw and type(raw) is Decimal:
                judged = self._judge(project, attr, raw, key)
            _raw, value, message = judged
            if message is not None:
                found[attr] = message
            elif type(value) is not type(raw):
                setattr(project, attr, value)  # as full_clean does: the field's own type
        return [(self.fields[attr].name, found[attr]) for attr in sorted(found, key=self.order.__getitem__)]

    def _judge(self, project: Project, attr: str, raw: Any, key: Any) -> tuple[Any, Any, str | None]:
        field = self.fields[attr]
        judged: tuple[Any, Any, str | None]
        if field.blank and raw in field.empty_values:
            judged = (raw, raw, None)
        else:
            try:
                judged = (raw, field.clean(raw, project), None)
            except ValidationError as exc:
                judged = (raw, raw, " ".join(exc.messages))
        cache = self.judged[attr]
        if len(cache) >= 20000:
            cache.clear()
        cache[key] = judged
        return judged


class _RowChecker:
    """Checks rows against the stored projects they update, a batch at a time."""

    def __init__(self, headers: dict[str, str], today: date):
        self.headers = headers
        self.today = today
        self.rules = _FieldRules()
        self.statistics_problems: dict[tuple, list] = {}
        blank = Project()
        self.defaults = {k: v for k, v in blank.__dict__.items() if k != "_state"}
        self.fresh = [
            f for f in Project._meta.concrete_fields if f.has_default() and callable(f.default)
        ]  # light_reasons=[]

    def new_project(self, name: str) -> Project:
        """Project(name=name), without Model.__init__'s cost (no init signals are connected to Project)."""
        project = Project.__new__(Project)
        project._state = (
            ModelState()
        )  # first: the instance's dictionary then shares its keys (half the memory)
        project.__dict__.update(self.defaults)
        for field in self.fresh:
            setattr(project, field.attname, field.get_default())
        project.name = name
        return project

    def check(self, raw_rows: list[tuple[int, dict]], errors: list[RowError]) -> list[LedgerRow]:
        if not raw_rows:
            return []
        existing, stage_dates, plans, capacities = _load_existing(raw_rows)
        out = []
        for row_number, values in raw_rows:
            before = existing.get((values["unit"].id, values["name"]))
            pk = before.id if before else None
            row = self.check_row(
                row_number,
                values,
                before,
                errors,
                stored_plans=plans.get(pk, {}),
                stored_dates=stage_dates.get(pk, {}),
                stored_capacities=capacities.get(pk, []),
            )
            if row is not None:
                out.append(row)
        return out

    def check_row(
        self, row_number, values, before, errors, *, stored_plans, stored_dates, stored_capacities
    ) -> LedgerRow | None:
        """One row against the stored project it updates (if any): the changes, the date rules, the field rules.

        `before`, the stored project, becomes the row's project (the file's values set on it): it was loaded for
        this row only (a file names a project once)."""
        headers = self.headers
        today = self.today
        project = before if before is not None else self.new_project(values["name"])
        was_in_statistics = before is not None and before.in_statistics
        # Fields are set in the instance's dictionary, related objects in its cache, as the descriptors would.
        fields = project.__dict__
        related = project._state.fields_cache
        related["unit"] = values["unit"]  # the same unit; cached so that showing it costs no query
        fields["unit_id"] = values["unit"].id
        changes: list[str] = []
        assigned: list[str] = [] if before else ["name"]
        problems = len(errors)

        def fail(key: str, message: str, value: str = "", header_text: str | None = None) -> None:
            errors.append(
                RowError(row_number, header_text or headers.get(key) or _column_label(key), value, message)
            )

        def put(key: str, value: Any, attr: str | None = None) -> None:
            attr = attr or key
            if key in FOREIGN_KEYS:
                pk = value.id if value else None
                if fields[FOREIGN_KEYS[key]] == pk:
                    return
                fields[FOREIGN_KEYS[key]] = pk
                related[key] = value
            else:
                if fields[attr] == value:
                    return
                fields[attr] = value
                if attr not in VALID_AS_READ:
                    assigned.append(attr)
            if before is not None and headers.get(key) not in changes:
                changes.append(headers.get(key, key))

        if before is None:  # a new project: no changes to list, the order does not matter
            for key, value in values.items():
                if key in FOREIGN_KEYS:
                    fields[FOREIGN_KEYS[key]] = value.id if value else None
                    related[key] = value
                elif key in PLAIN_FIELD_KEYS and fields[key] != value:
                    fields[key] = value
                    if key not in VALID_AS_READ:
                        assigned.append(key)
        else:
            for key in FIELD_KEYS:
                if key not in values:
                    continue
                value = values[key]
                # put()'s own test first: a re-imported ledger changes few fields, the call is spared for the rest
                foreign = FOREIGN_KEYS.get(key)
                if foreign is None:
                    if fields[key] == value:
                        continue
                elif fields[foreign] == (value.id if value else None):
                    continue
                put(key, value)
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
            if stored is None or stored != amount:
                changes.append(plan_header)
        merged: dict[str, tuple[date | None, date | None]] = {}
        touched: dict[str, tuple[date | None, date | None]] = {}
        for stage, planned_key, actual_key in STAGE_KEYS:
            old = stored_dates.get(stage, NO_DATES)
            planned = values.get(planned_key) or old[0]
            actual = values.get(actual_key) or old[1]
            dates = merged[stage] = (planned, actual)
            if dates != old:
                touched[stage] = dates
                if planned != old[0]:
                    changes.append(headers[planned_key])
                if actual != old[1]:
                    changes.append(headers[actual_key])
        statistics_set = "in_statistics" in values and not was_in_statistics
        statistics_date = project.statistics_date if "statistics_date" in values else None
        check_statistics = statistics_set or "statistics_date" in values
        # Stored dates and statistics the file does not change are not re-judged. Without dates the answer depends
        # on the statistics alone: judged once per distinct (in the statistics, date, checked).
        if touched:
            date_problems = stage_date_problems(
                merged,
                today=today,
                in_statistics=project.in_statistics,
                statistics_date=statistics_date,
                check_statistics=check_statistics,
            )
        else:
            key = (project.in_statistics, statistics_date, check_statistics)
            cached = self.statistics_problems.get(key)
            if cached is None:
                cached = self.statistics_problems[key] = stage_date_problems(
                    {},
                    today=today,
                    in_statistics=project.in_statistics,
                    statistics_date=statistics_date,
                    check_statistics=check_statistics,
                )
            date_problems = cached
        for problem in date_problems:
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
        for key, message in self.rules.problems(project, assigned):
            fail(key, message, cell_text(getattr(project, key, "")))
        if len(errors) > problems:
            return None
        return LedgerRow(
            row=row_number,
            is_new=before is None,
            project=project,
            stage_dates=touched,
            capacities=new_capacities,
            plans={year: amount for year, (amount, _c, _h) in values["plans"].items()},
            changes=list(dict.fromkeys(changes)) if changes else changes,
        )
