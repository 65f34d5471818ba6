"""Import of a whole project ledger (项目台账) from an .xlsx workbook: all rows or none.

Reading and checking (`ledger_read`) streams the rows: units, departments and industries are loaded once, and
the projects the file names (with their stage dates, annual plans and capacities) in batches of rows (BATCH_ROWS),
a few queries per batch. The row limit (settings.DUCHA_IMPORT_MAX_ROWS) is checked as the rows come. Each
distinct cell value of a column and each distinct field value is judged once (a ledger repeats its units,
labels and dates). A row that leaves its stored project as it is (most rows of a re-imported export) is found by
comparing its raw cells with the stored values, a column of a batch at a time, and is never read field by field
(_Unchanged). Storing (`ledger_store`) writes in chunks and records every created or changed row in the
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
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from decimal import Context, Decimal
from functools import partial
from io import BytesIO
from itertools import compress, repeat
from operator import and_, eq, gt, is_, is_not, itemgetter, lt, mul, ne, not_, truediv
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
from .cells import cell_text, parse_bool, parse_capacities, parse_date, parse_degrees, parse_money
from .columns import (
    BLANK_CHOICES,
    BOOL_FIELDS,
    CHOICES,
    COLUMNS,
    COORDINATE_FIELDS,
    DATE_FIELDS,
    TEXT_FIELDS,
    Column,
    _choice_map,
    _header_map,
    _plan_year,
    norm_header,
)
from .results import (
    NEW_ATTNAMES,
    NEW_RELATED,
    NOT_CACHED,
    PROJECT_ATTNAMES,
    CapacitySpec,
    CellError,
    LedgerImport,
    LedgerRow,
    RowError,
    stored_project,
)

# Rows checked together, by database: one query per kind of stored data (lists of up to that many keys, fewer
# under an older SQLite's limit). The file's rows name stored projects in no order of theirs: on SQLite, the longer
# the list, the nearer each other the stored rows it reads (4500 of 100,000 projects read about half as fast as 900;
# longer lists gained nothing); PostgreSQL scans the tables for a long list (a hashed = ANY), which costs about
# the same for 4,500 keys or 18,000, so it reads fewer, longer batches (a 100,000-row ledger's stored rows in
# 1.6 s instead of 2.2 s; 9,000 rows a batch are as fast as 18,000 with the next batch read aside, and a dry run
# of 100,000 rows peaks at 416 MB instead of 476).
BATCH_ROWS = {"sqlite": 4500, "postgresql": 9000}
# Rows compared together by _Unchanged: its columns small enough to stay in the processor's cache (measured: 900
# rows take less time than 2,250 or 4,500).
FIND_ROWS = 900
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

    `progress(done, total)`, when given, is called as the rows are checked (after each batch and at the end);
    `total` is the number of rows below the header (at most DUCHA_IMPORT_MAX_ROWS).

    The workbook is read with python-calamine (a Rust reader, 10-20× faster than openpyxl's), row by row;
    openpyxl only writes (the export and the template).
    """
    from python_calamine import CalamineError, CalamineWorkbook

    if isinstance(file, str | os.PathLike):
        with open(file, "rb") as handle:
            return ledger_read(BytesIO(handle.read()), today=today, progress=progress)
    size = _size(file)
    if size is not None and size > settings.DUCHA_MAX_IMPORT_BYTES:
        return _file_error(
            _("The file is larger than %(mb)s MB.")
            % {"mb": round(settings.DUCHA_MAX_IMPORT_BYTES / 1024 / 1024, 1)}
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
    """Read the header, then stream the data rows in batches (see _Rows). The row limit is checked
    as the rows come, so a file over it is refused without reading the rest."""
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
    taken = _Rows(result, header, columns, plan_columns, today)
    try:
        over_limit = _take_rows(
            taken, itertools.chain(top[header_index + 1 :], rows), header_row, limit, total, progress
        )
    finally:
        taken.close()
    if over_limit:
        result.errors.append(
            RowError(None, "", "", _("The file has more than %(max)s rows.") % {"max": limit})
        )
        result.rows = []
        return result
    if not taken.seen and not result.errors:
        result.errors.append(RowError(None, "", "", _("The file has no project rows.")))
    if result.errors:
        result.rows = []
        return result
    if progress is not None and total is not None:
        progress(total, total)
    result.errors.extend(taken.check_errors)
    if result.errors:
        result.rows = []
    return result


def _close_connection(db: str) -> None:
    connections[db].close()  # the calling thread's connection


def _take_rows(
    taken: _Rows, data_rows: Iterator, header_row: int, limit: int, total: int | None, progress
) -> bool:
    """Take the data rows a batch at a time, in the file's order; the stored rows of the batch after the one taken
    are read meanwhile (_Rows.read_ahead). Whether the file has more than `limit` rows: reading stops at the first
    row over it, after the rows before it were read for their problems."""
    batch: list[tuple[int, Sequence]] = []
    full: list[tuple[int, Sequence]] | None = None  # a whole batch waiting to be taken

    def take(batch: list[tuple[int, Sequence]]) -> None:
        taken.take(batch)
        if progress is not None and total and not taken.result.errors:
            progress(min(batch[-1][0] - header_row, total), total)

    for row_number, row in enumerate(data_rows, start=header_row + 1):
        if row_number > header_row + limit:
            if full is not None:
                taken.take(full)
            taken.read(batch)  # their problems first, as they came
            return True
        batch.append((row_number, row))
        if len(batch) == taken.stored.batch_rows:
            taken.read_ahead(batch)
            if full is not None:
                take(full)
            full, batch = batch, []
    taken.read_ahead(batch)
    if full is not None:
        take(full)
    taken.take(batch)
    return False


class _Rows:
    """The data rows, a batch at a time (BATCH_ROWS): the stored projects the batch names are loaded, the rows
    that leave theirs as it is are found by comparing their cells (_Unchanged), and the others are read field by
    field (_RowReader) and checked (_RowChecker). Rows are taken in the file's order, so that problems are listed
    in it; once reading found a problem nothing will be stored, and the rest is only read, for its problems."""

    def __init__(self, result: LedgerImport, header, columns, plan_columns, today: date):
        self.result = result
        self.reader = _RowReader(header, columns, plan_columns, _Lookups())
        self.checker = _RowChecker(self.reader.headers, today)
        self.stored = _StoredRows(Project.objects.db)
        self.unchanged = _Unchanged(self.reader, columns, plan_columns, self.checker, self.stored)
        self.years = sorted(set(plan_columns.values()))  # the plans compared
        self.name_header = _header_of(header, columns, "name")
        self.check_errors: list[RowError] = []  # shown only when every row could be read
        self.seen: dict[tuple[int, str], int] = {}
        # The keys and the stored rows being read aside (read_ahead) of the batches not taken yet, by first row.
        self.ahead: dict[int, tuple[list[tuple[Unit, str] | None], Future[_StoredBatch]]] = {}
        self.aside: ThreadPoolExecutor | None = None
        self.aside_rows: _StoredRows | None = None  # made in the thread aside: a connection of its own

    def read_ahead(self, batch: list[tuple[int, Sequence]]) -> None:
        """Start reading the stored rows of `batch`, to be taken after the one taken next, in a thread aside with
        a connection of its own, so that the database server reads them while this thread compares the rows
        before. Only outside a transaction: another connection sees what is committed, which is then what this
        one sees. Not on SQLite, whose reading is this process's own work (slower so: 6.5 s against 5.8 s for
        100,000 rows, medians of 5 in one run)."""
        connection = connections[self.stored.db]
        if not batch or self.result.errors or connection.in_atomic_block or connection.vendor == "sqlite":
            return
        if self.aside is None:
            self.aside = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger-read-ahead")
        keys = self.unchanged.keys(batch)
        self.ahead[batch[0][0]] = (keys, self.aside.submit(self._read_aside, keys))

    def _read_aside(self, keys: list[tuple[Unit, str] | None]) -> _StoredBatch:
        if self.aside_rows is None:
            self.aside_rows = _StoredRows(self.stored.db)
        return self.aside_rows.batch(keys, self.years, self.unchanged.attnames, self.unchanged.raw)

    def close(self) -> None:
        """Close the thread aside and its connection, if reading ahead started them."""
        if self.aside is not None:
            self.aside.submit(_close_connection, self.stored.db).result()  # the thread's own connection
            self.aside.shutdown()
            self.aside, self.ahead = None, {}

    def read(self, batch: list[tuple[int, Sequence]]) -> None:
        """Read the rows for their problems only."""
        for row_number, row in batch:
            values = self.reader.read(row_number, row, self.result.errors)
            if values is not None:
                self._first(row_number, values["unit"], values["name"])

    def take(self, batch: list[tuple[int, Sequence]]) -> None:
        result = self.result
        if not batch:
            return
        ahead = self.ahead.pop(batch[0][0], None)
        if result.errors:
            self.read(batch)
            return
        if ahead is not None:
            keys, reading_aside = ahead
            stored = reading_aside.result()
        else:
            keys = self.unchanged.keys(batch)
            stored = self.stored.batch(keys, self.years, self.unchanged.attnames, self.unchanged.raw)
        same: dict[int, LedgerRow] = {}
        for start in range(0, len(batch), FIND_ROWS):
            end = start + FIND_ROWS
            taken = self.unchanged.find(batch[start:end], keys[start:end], stored)
            same.update((start + position, row) for position, row in taken.items())
        rows: list[LedgerRow | tuple[int, dict]] = []
        for position, (row_number, row) in enumerate(batch):
            unchanged = same.get(position)
            if unchanged is not None:
                unit, name = keys[position]  # type: ignore[misc]
                if self._first(row_number, unit, name) and not result.errors:
                    rows.append(unchanged)
                continue
            values = self.reader.read(row_number, row, result.errors)
            if values is None or not self._first(row_number, values["unit"], values["name"]):
                continue
            if not result.errors:
                rows.append((row_number, values))
        if result.errors:
            return
        checked = [found for found in rows if type(found) is tuple]
        self.stored.complete(stored, [(values["unit"].id, values["name"]) for _row, values in checked])
        for found in rows:
            checked_row = (
                self.checker.check(*found, stored, self.check_errors) if type(found) is tuple else found
            )
            if checked_row is not None:
                result.rows.append(checked_row)  # type: ignore[arg-type]

    def _first(self, row_number: int, unit: Unit, name: str) -> bool:
        """Whether the row is the file's first of its project (unit and name); a second one is a problem."""
        key = (unit.id, name)
        if key in self.seen:
            self.result.errors.append(
                RowError(
                    row_number,
                    self.name_header,
                    name,
                    _("the same project of the same unit is already in row %(row)s")
                    % {"row": self.seen[key]},
                )
            )
            return False
        self.seen[key] = row_number
        return True


def _header_of(header: list[str], columns: dict[int, Column], key: str) -> str:
    for index, column in columns.items():
        if column.key == key:
            return header[index]
    return _column_label(key)


def _column_label(key: str) -> str:
    return next((c.label for c in COLUMNS if c.key == key), key)


_ABSENT = object()  # what a reader gives for an empty cell that keeps the stored value (or the default)


def _absent(raw: Any) -> Any:
    """The reader of a column known to the template but not read here."""
    return _ABSENT


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
        self.plan_indexes = set(plan_columns)
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
        if key in COORDINATE_FIELDS:  # an empty cell keeps the stored point: an import never erases one

            def degrees(raw):
                value = parse_degrees(raw)
                return _ABSENT if value is None else value

            return _Memo(degrees)
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
        return _absent

    def judge(self, index: int) -> Callable[[Any], tuple[bool, Any]] | None:
        """What reading a cell of the column at `index` gives, as read() reads it: (True, value) or (False, the
        reason it cannot be read); None for a column whose cells are not read."""
        if index in self.plan_indexes:
            money = self.money
            return lambda raw: money.cache.get(money.key(raw)) or money.judge(raw)
        for at, _key, memo, read in self.readers:
            if at != index:
                continue
            if read is _absent:
                return None
            if memo is not None:
                return lambda raw: memo.cache.get(memo.key(raw)) or memo.judge(raw)

            def plain(raw: Any, read=read) -> tuple[bool, Any]:
                try:
                    return True, read(raw)
                except CellError as exc:
                    return False, str(exc)

            return plain
        raise KeyError(index)

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


KEEP = (
    object()
)  # a cell that leaves the stored value as it is (an empty stage date, plan, capacity or choice)
SLOW = (
    object()
)  # a cell not compared as it is (one that cannot be read, an amount in a currency of its own …)
_MISSING = object()


class _CellCache:
    """What the cells of one column compare as, each distinct cell value judged once: `judge` reads a cell as
    _RowReader.read does, `compare` turns what it read into the value compared with the stored one (or KEEP).

    `same_all(cells, stored)`, when given, tells for a whole column without reading the cells which of them read
    as the stored value beside them (True) and which it does not know (False): for a column whose values are
    mostly each row's own (amounts, companies), which the cache would not spare reading. Such a cell then compares
    as that value (equal to what reading it gives)."""

    def __init__(
        self,
        judge: Callable[[Any], tuple[bool, Any]],
        compare: Callable[[Any], Any],
        same_all: Callable[[Sequence, Sequence], list[bool]] | None = None,
    ):
        self.judge = judge
        self.compare = compare
        self.same_all = same_all
        self.cache: dict[Any, Any] = {}  # by _cell_key

    def one(self, raw: Any) -> Any:
        key = _cell_key(raw)
        found = self.cache.get(key, _MISSING)
        if found is _MISSING:
            ok, value = self.judge(raw)
            found = self._remember(key, self.compare(value) if ok else SLOW)
        return found

    def _remember(self, key: Any, found: Any) -> Any:
        if len(self.cache) >= 20000:
            self.cache.clear()
        self.cache[key] = found
        return found

    def column(self, raws: Sequence, stored: Sequence | None = None) -> list:
        """The compared values of a column's cells (where `same_all` knows a cell reads as the `stored` value
        beside it, that value), looked up all at once in C but for the cell values not met yet."""
        if self.same_all is not None and stored is not None:
            found = list(stored)
            for i in compress(range(len(raws)), map(not_, self.same_all(raws, stored))):
                found[i] = self.one(raws[i])
            return found
        # Texts and dates are their own keys (_cell_key); the other cells are missed here and looked up one by one.
        found = list(map(self.cache.get, raws, repeat(_MISSING)))
        for i in compress(range(len(found)), map(is_, found, repeat(_MISSING))):
            found[i] = self.one(raws[i])
        return found


_OWN_KEYS = frozenset((str, date, datetime, type(None)))


def _cell_key(raw: Any) -> Any:
    """A cell value as a key of _CellCache: a text, date, date and time or None as it is (no other cell value equals
    one of them), any other as (its type, it), so that 1, 1.0 and True, equal keys, are not the same cell (nor a
    key of the first kind)."""
    return raw if type(raw) in _OWN_KEYS else (type(raw), raw)


_NUMBER_TYPES = frozenset((int, float))


def _numbers_of_places(raws: Sequence, places: int, low: float, high: float) -> list[bool]:
    """Whether each cell is a number (an int or a float, not a bool) above `low` and below `high` that is the
    nearest float of a decimal of at most `places` places (equal to itself rounded to them). Column-wide, each step
    one map() in C; within the bounds the callers give (at most 15 digits), x times 10**places rounded to an integer
    k is exact, and k / 10**places is the nearest float of that decimal (a division is correctly rounded)."""
    if all(map(_NUMBER_TYPES.__contains__, map(type, raws))):
        numbers = raws
    else:  # any other cell as `high`, which is out of bounds
        numbers = [raw if type(raw) is float or type(raw) is int else high for raw in raws]
    scale = float(10**places)
    try:
        rounded = map(truediv, map(round, map(mul, numbers, repeat(scale))), repeat(scale))
        return list(
            map(
                and_,
                map(and_, map(lt, repeat(low), numbers), map(gt, repeat(high), numbers)),
                map(eq, rounded, numbers),
            )
        )
    except (ValueError, OverflowError):  # a NaN or an infinity: those cells are read one by one
        return [False] * len(raws)


def _same_floats(places: int, below: float) -> Callable[[Sequence, Sequence], list[bool]]:
    """Whether each number cell of a column reads as the stored amount (two places) or degrees (six places) beside
    it, the stored value read as a float (SQLite's float or int, PostgreSQL's cast; text or None equals no number):
    the same float, one that is the nearest float of a decimal of that many places (below `below`: at most 15
    digits). The cell reads as that decimal (its float's shortest text is it, as parse_money and parse_degrees read
    a number), and so does the stored float through the converter (to 15 digits, then to the field's places)."""

    def same(raws: Sequence, stored: Sequence) -> list[bool]:
        return list(map(and_, _numbers_of_places(raws, places, -below, below), map(eq, raws, stored)))

    return same


_same_amount_floats = _same_floats(2, 1e12)
_same_degrees_floats = _same_floats(6, 1000)


def _same_texts(raws: Sequence, stored: Sequence) -> list[bool]:
    """Whether each text cell of a column reads (by cell_text) as the stored text beside it as it is: no spaces
    around it to strip, no quote before it to drop (the export's mark before formula-like text)."""
    return [
        raw == text and type(raw) is str and raw.strip() == raw and raw[:1] != "'"
        for raw, text in zip(raws, stored, strict=True)
    ]


def _kept(value: Any) -> Any:
    return KEEP if value is _ABSENT else value


def _id(value: Any) -> Any:
    return value.id if value else None


def _amount(value: tuple[Decimal | None, str | None]) -> Any:
    amount, currency = value
    return amount if currency is None else SLOW


def _required_amount(value: tuple[Decimal | None, str | None]) -> Any:
    amount, currency = value
    return amount if currency is None and amount is not None else SLOW


def _plan(value: tuple[Decimal | None, str | None]) -> Any:
    amount, currency = value
    if currency is not None:
        return SLOW
    return KEEP if amount is None else amount


def _date_or_kept(value: date | None) -> Any:
    return KEEP if value is None else value


def _capacities_or_kept(specs: list[CapacitySpec]) -> Any:
    return _capacities_key(specs) if specs else KEEP


def _stored_field(at: int) -> Callable[[_StoredBatch, list[tuple], list[int]], Sequence]:
    return lambda stored, columns, ids: columns[at]  # the stored projects' columns (_Unchanged.find)


def _stored_date(stage: str, kind: int) -> Callable[[_StoredBatch, list[tuple], list[int]], list]:
    at = itemgetter(kind)

    def dates(stored: _StoredBatch, columns: list[tuple], ids: list[int]) -> list:
        pairs = stored.pairs.get(stage)  # the planned and the actual date's columns look them up once
        if pairs is None:
            pairs = stored.pairs[stage] = list(map(stored.dates.get(stage, {}).get, ids, repeat(NO_DATES)))
        return list(map(at, pairs))

    return dates


def _stored_plan(year: int) -> Callable[[_StoredBatch, list[tuple], list[int]], list]:
    return lambda stored, projects, ids: list(map(stored.plans.get(year, {}).get, ids))


def _stored_capacities(stored: _StoredBatch, projects: list[tuple], ids: list[int]) -> list:
    return list(map(stored.capacity_keys().get, ids, repeat(())))


class _Unchanged:
    """Finds the rows of a batch that leave their stored project as it is, comparing the raw cells with the stored
    values before any row is read field by field: a re-imported export is mostly such rows.

    A column at a time: each distinct cell value of a column is read once (by _RowReader's own reader of the
    column) into the value compared, and a batch's column is compared with the stored projects' values in one
    pass. A row is taken as unchanged only when every cell equals the stored value or is one the import leaves
    alone (an empty stage date, plan, capacity or choice), its amounts have no currency of their own, and the
    statistics rule passes for the stored project: exactly the rows for which _RowReader.read finds no problem
    and _RowChecker.check_row no change and no problem. Every other row — changed, new, wrong, a total row,
    shorter than the header — is read and checked field by field, so that it gets the same changes, rules and
    messages. A column read here but not compared (one check_row would treat in its own way) turns the shortcut
    off for the whole file.
    """

    def __init__(
        self,
        reader: _RowReader,
        columns: dict[int, Column],
        plan_columns: dict[int, int],
        checker,
        stored_rows: _StoredRows,
    ):
        self.checker = checker
        self.stored_rows = stored_rows
        keys = {column.key: index for index, column in columns.items()}
        self.name_index, self.unit_index = keys["name"], keys["unit"]
        self.width = 1 + max([*columns, *plan_columns])
        self.units = _CellCache(reader.judge(self.unit_index), lambda unit: unit)  # type: ignore[arg-type]
        self.in_statistics = "in_statistics" in keys
        self.statistics_date = "statistics_date" in keys
        # Two plan columns of one year: read() reads the last one's cell for both.
        self.enabled = len(set(plan_columns.values())) == len(plan_columns)
        stage_columns = {
            f"{stage}_{kind}": (stage, at)
            for stage in FORM_STAGES
            for at, kind in enumerate(("planned", "actual"))
        }
        # The stored projects' columns read for a batch: the keys, then the ones compared.
        self.attnames = list(KEY_ATTNAMES)

        def field(attname: str) -> Callable[[_StoredBatch, list[tuple], list[int]], Sequence]:
            if attname not in self.attnames:
                self.attnames.append(attname)
            return _stored_field(self.attnames.index(attname))

        # Amounts and degrees compared as floats (see _StoredRows), converted to decimals only for a cell not
        # recognised as the stored value: most are each project's own, which a converter would turn into a decimal,
        # and the comparison back into a float.
        self.raw: list[str] = []
        self.compared: list[tuple[int, _CellCache, Callable, Callable | None]] = []
        for index, column in columns.items():
            key = column.key
            judge = reader.judge(index)
            if key in {"name", "unit"} or judge is None:
                continue  # the rows are matched by them; a column not read
            same_all: Callable[[Sequence, Sequence], list[bool]] | None = None
            convert: Callable[[Any], Any] | None = None
            compare: Callable[[Any], Any]
            if key in FOREIGN_KEYS:
                compare, stored = _id, field(FOREIGN_KEYS[key])
            elif key in PLAIN_FIELD_KEYS or key == "currency":
                compare, stored = _kept, field(key)
                if key in TEXT_FIELDS:
                    same_all = _same_texts
                if key in COORDINATE_FIELDS:
                    self.raw.append(key)
                    convert, same_all = stored_rows.converter(Project, key), _same_degrees_floats
            elif key in {"total_investment", "annual_revenue"}:
                compare = _required_amount if key == "total_investment" else _amount
                stored = field(key)
                self.raw.append(key)
                convert, same_all = stored_rows.converter(Project, key), _same_amount_floats
            elif key in stage_columns:
                compare, stored = _date_or_kept, _stored_date(*stage_columns[key])
            elif key == "capacities":
                compare, stored = _capacities_or_kept, _stored_capacities
            else:
                self.enabled = False
                continue
            cells = _CellCache(judge, compare, same_all)
            self.compared.append((index, cells, stored, convert))
        self.plans: list[tuple[int, int]] = []  # (position in self.compared, year), in the file's order
        for index, year in plan_columns.items():
            self.plans.append((len(self.compared), year))
            # An unchanged row's plans are then the stored amounts (equal to the cells' amounts as read).
            plans = _CellCache(reader.judge(index), _plan, _same_amount_floats)  # type: ignore[arg-type]
            self.compared.append((index, plans, _stored_plan(year), stored_rows.plan_converter))

    def _plan(self, amount: Any) -> Decimal:
        """An unchanged row's plan: the cell's amount as read, or the stored amount as the field reads it."""
        return amount if type(amount) is Decimal else self.stored_rows.plan_converter(amount)

    def keys(self, batch: list[tuple[int, Sequence]]) -> list[tuple[Unit, str] | None]:
        """Each row's unit and project name, as read() reads them; None when either is missing or wrong."""
        rows = [row for _number, row in batch]
        if min(map(len, rows)) > max(self.name_index, self.unit_index):
            names = list(map(cell_text, map(itemgetter(self.name_index), rows)))
            units = self.units.column(list(map(itemgetter(self.unit_index), rows)))
        else:
            names = [cell_text(row[self.name_index]) if len(row) > self.name_index else "" for row in rows]
            units = [
                self.units.one(row[self.unit_index]) if len(row) > self.unit_index else SLOW for row in rows
            ]
        return [
            (unit, name) if name and unit is not SLOW else None
            for unit, name in zip(units, names, strict=True)
        ]

    def find(
        self, batch: list[tuple[int, Sequence]], keys: list[tuple[Unit, str] | None], stored: _StoredBatch
    ) -> dict[int, LedgerRow]:
        """The unchanged rows of the batch, by their position in it."""
        if not self.enabled:
            return {}
        positions, projects = [], []
        for position, key in enumerate(keys):
            if key is None or len(batch[position][1]) < self.width:
                continue
            unit, name = key
            values = stored.projects.get((unit.id, name))
            if values is not None and name.lower() not in TOTAL_ROW_NAMES:
                positions.append(position)
                projects.append(values)
        if not positions:
            return {}
        # The columns of those rows, as far as the shortest row goes (the header's width at least).
        cells = list(zip(*[batch[position][1] for position in positions], strict=False))
        columns = list(map(list, zip(*projects, strict=True)))  # lists, as compared with the found lists
        ids = columns[ID_AT]
        stored.pairs = {}  # of these rows (_stored_date)
        changed: set[int] = set()
        compared = []
        for index, cache, stored_values, convert in self.compared:
            expected = stored_values(stored, columns, ids)
            found = cache.column(cells[index], expected)
            compared.append(found)
            if found == expected:  # mostly the stored values themselves (compared as the same objects first)
                continue
            differing = map(
                and_, map(ne, found, expected), map(is_not, found, repeat(KEEP))
            )  # KEEP: left as is
            for i in compress(range(len(found)), differing):
                value = found[i]
                if convert is not None and value is not SLOW and value == convert(expected[i]):
                    continue  # equal to the stored value converted (as the field reads it)
                changed.add(i)
        same = {}
        judged = self.checker.statistics_problems  # the statistics rule's problems, by what they depend on
        given_date = self.statistics_date
        set_here = self.in_statistics
        plans = [(year, compared[at]) for at, year in self.plans]
        plans_of = self._plans_of
        unchanged = LedgerRow.unchanged
        db = stored.db
        for i, position in enumerate(positions):
            if i in changed:
                continue
            values = projects[i]
            in_statistics = values[IN_STATISTICS_AT]
            statistics_date = values[STATISTICS_DATE_AT] if given_date else None
            check = (set_here and not in_statistics) or given_date
            problems = judged.get((in_statistics, statistics_date, check))
            if problems is None:
                problems = self.checker.statistics(in_statistics, statistics_date, check)
            if problems:
                continue  # its problems are told by check_row
            same[position] = unchanged(
                batch[position][0],
                ids[i],
                db,
                keys[position][0],  # type: ignore[index]
                partial(plans_of, plans, i),
            )
        return same

    def _plans_of(self, plans: list[tuple[int, list]], i: int) -> dict[int, Decimal]:
        """The plans of the i-th row compared: the cells' amounts as read, or the stored amounts as the field
        reads them."""
        plan = self._plan
        return {year: plan(amounts[i]) for year, amounts in plans if amounts[i] is not KEEP}


def _array_parameter(keys: list) -> tuple[str, list[Any]]:
    """` = ANY(…)` of PostgreSQL and its one parameter: the keys (ids, or texts) as an array literal."""
    if all(type(key) is int for key in keys):
        return " = ANY(%s::bigint[])", ["{" + ",".join(map(str, keys)) + "}"]
    quoted = (str(key).replace("\\", "\\\\").replace('"', '\\"') for key in keys)
    return " = ANY(%s::text[])", ["{" + ",".join(f'"{key}"' for key in quoted) + "}"]


def _decimal_from_float(places: int) -> Callable[[Any], Decimal | None]:
    """A float read from a decimal column as the decimal of `places` places it stands for: to 15 digits, then to
    the places (what Django's SQLite backend does with the floats SQLite stores)."""
    to_fifteen_digits = Context(prec=15).create_decimal_from_float
    exponent = Decimal(1).scaleb(-places)

    def convert(value: Any) -> Decimal | None:
        return None if value is None else to_fifteen_digits(value).quantize(exponent)

    return convert


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _StoredRows:
    """Rows of the projects of some names, and of their stage dates, plans and capacities, as tuples of the values
    a query set's values_list would give. The SQL is written here and each column goes through the converters
    Django's compiler would apply, but a value of a column of repeated immutable values (dates, amounts) is
    converted once (per MEMO_SIZE distinct values) and the rows share the result; a choice's text is kept once
    too: a re-imported export names 100,000 stored projects with 600,000 plans, and the compiler's per-value work
    (converters, preparing every IN parameter) was most of a dry run's time, and one object per value most of
    its memory."""

    MEMO_TYPES = {"DateField", "DateTimeField", "DecimalField", "BooleanField"}
    MEMO_SIZE = 20000
    # Columns whose declared type makes Python's sqlite3 module parse every value before Django's converters see
    # it (Django connects with PARSE_DECLTYPES): read as the expression +column, which has no declared type, so
    # that the raw text or number goes to the converters alone, which take it as well and run once per distinct
    # value.
    SQLITE_DECLARED = {"DateField", "DateTimeField", "BooleanField"}

    def __init__(self, db: str):
        self.db = db
        self.connection = connections[db]
        self.undeclared = self.SQLITE_DECLARED if self.connection.vendor == "sqlite" else set()
        quote = self.connection.ops.quote_name
        project = Project._meta
        self.from_projects = f"{quote(project.db_table)} p"
        self.name_column = f"p.{quote(project.get_field('name').column)}"
        self.pk_column = f"p.{quote(project.pk.column)}"
        self.selects: dict[tuple, tuple[str, list]] = {}
        # Amounts and degrees are read as floats: SQLite stores them so, PostgreSQL casts its numerics (a
        # correctly rounded conversion: the nearest float, as SQLite's). _Unchanged compares the floats (see
        # _same_floats), and a value is converted to a decimal only when a row needs it (amounts of at most 14
        # digits and degrees of 9 come back from their float unchanged).
        self.cast_raw = self.connection.vendor != "sqlite"
        self.batch_rows = BATCH_ROWS.get(self.connection.vendor, 4500)
        self.chunk = self.batch_rows  # keys of a query
        if self.connection.vendor == "sqlite":  # 999 before SQLite 3.32
            self.connection.ensure_connection()
            limit = self.connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            self.chunk = max(1, min(self.chunk, limit - 10))
        self.plan_converter = self.converter(AnnualPlan, "planned_investment")

    def converter(self, model, attname: str) -> Callable[[Any], Any]:
        """A raw column's value as Django's converters give it (on PostgreSQL, a decimal column's float as the
        field reads the numeric it was cast from)."""
        if self.cast_raw:
            return _decimal_from_float(model._meta.get_field(attname).decimal_places)
        col = model._meta.get_field(attname).get_col("p")
        found = self.connection.ops.get_db_converters(col) + col.get_db_converters(self.connection)
        connection = self.connection
        if len(found) == 1:  # mostly: one call less per value
            (only,) = found
            return lambda value: only(value, col, connection)

        def convert(value: Any) -> Any:
            for converter in found:
                value = converter(value, col, connection)
            return value

        return convert

    def _columns(
        self, model, attnames: list[str], alias: str, raw: Sequence[str] = (), share_texts: bool = True
    ) -> tuple[str, list]:
        """The select list and each converted column's (index, converters, col, memo of converted values); a
        column of choices (when `share_texts`: values kept beyond the batch) has converters () and its memo keeps
        one object per text. The columns `raw` are left as the database driver gives them."""
        key = (model, tuple(attnames), alias, tuple(raw), share_texts)
        if key in self.selects:
            return self.selects[key]
        quote = self.connection.ops.quote_name
        columns, converters = [], []
        for index, attname in enumerate(attnames):
            field = model._meta.get_field(attname.removesuffix("_id") if attname.endswith("_id") else attname)
            col = field.get_col(alias)
            plus = "+" if field.get_internal_type() in self.undeclared else ""
            column = f"{plus}{alias}.{quote(field.column)}"
            if attname in raw and self.cast_raw:
                column = f"CAST({column} AS double precision)"
            columns.append(column)
            found = self.connection.ops.get_db_converters(col) + col.get_db_converters(self.connection)
            if attname in raw:
                continue
            if found:
                memo: dict | None = {} if field.get_internal_type() in self.MEMO_TYPES else None
                converters.append((index, found, col, memo))
            elif share_texts and field.choices and isinstance(field, CharField):
                converters.append((index, (), col, {}))
        self.selects[key] = ", ".join(columns), converters
        return self.selects[key]

    def rows(
        self,
        model,
        attnames: list[str],
        keys: list,
        *,
        years: list[int] | None = None,
        order_by_pk=False,
        by_id=False,
        raw: Sequence[str] = (),
        share_texts=True,
    ) -> list[tuple]:
        """Projects by name (or by id), or the rows of another model by their projects' ids."""
        parameters: list[Any]
        if self.connection.vendor == "postgresql":
            # One array parameter: PostgreSQL reads 4,500 names or ids 1.6–2.6× faster so than as 4,500 parameters;
            # written as one array literal here, which Django's client-side binding then quotes as one string
            # (psycopg's dumping of a list, element by element, was 0.6 s of a 97,115-row dry run).
            among, parameters = _array_parameter(keys)
        else:
            among, parameters = f" IN ({', '.join(['%s'] * len(keys))})", list(keys)
        if model is Project:
            select, converters = self._columns(model, attnames, "p", raw, share_texts)
            by = self.pk_column if by_id else self.name_column
            sql = f"SELECT {select} FROM {self.from_projects} WHERE {by}{among}"
        else:
            quote = self.connection.ops.quote_name
            select, converters = self._columns(model, attnames, "r", raw)
            project_column = quote(model._meta.get_field("project").column)
            sql = f"SELECT {select} FROM {quote(model._meta.db_table)} r WHERE r.{project_column}{among}"
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
                continue
            if len(memo) >= self.MEMO_SIZE:
                memo.clear()
            for value in set(columns[index]).difference(memo):
                memo[value] = convert(value)
            columns[index] = list(map(memo.__getitem__, columns[index]))
        return list(zip(*columns, strict=True))

    def batch(
        self,
        keys: list[tuple[Unit, str] | None],
        years: list[int],
        attnames: list[str],
        raw: Sequence[str] = (),
    ) -> _StoredBatch:
        """The stored projects of the (unit, name) `keys` (None: a row that names none) — their columns `attnames`,
        which start with KEY_ATTNAMES, those of `raw` unconverted — with their stage dates, plans of `years` and
        capacities: a few queries, each with at most `chunk` keys.
        Related rows are found by the ids of the projects the rows name (an index each), not by name: their
        namesakes in other units are left out."""
        wanted = {(unit.id, name) for unit, name in filter(None, keys)}
        stored = _StoredBatch(self.db, self.plan_converter)
        found: list[int] = []
        for chunk in _chunks(list({name for _unit, name in wanted}), self.chunk):
            # Kept for the batch only: a choice's texts are not shared (see complete for the rows' projects).
            for values in self.rows(Project, attnames, chunk, raw=raw, share_texts=False):
                key = (values[UNIT_AT], values[NAME_AT])
                if key in wanted:
                    stored.projects[key] = values
                    found.append(values[ID_AT])
        dates, plans, capacities = stored.dates, stored.plans, stored.capacities
        for chunk in _chunks(found, self.chunk):
            for project_id, stage, planned, actual in self.rows(
                StageDate, ["project_id", "stage", "planned_date", "actual_date"], chunk
            ):
                dates.setdefault(stage, {})[project_id] = (planned, actual)
            plan_rows = (
                self.rows(
                    AnnualPlan,
                    ["project_id", "year", "planned_investment"],
                    chunk,
                    years=years,
                    raw=["planned_investment"],
                )
                if years
                else ()
            )
            for project_id, year, amount in plan_rows:
                plans.setdefault(year, {})[project_id] = amount
            for project_id, quantity, unit, product in self.rows(
                Capacity, ["project_id", "quantity", "unit", "product"], chunk, order_by_pk=True
            ):
                capacities.setdefault(project_id, []).append(CapacitySpec(quantity, unit, product))
        return stored

    def complete(self, stored: _StoredBatch, keys: list[tuple[int, str]]) -> None:
        """Every column of the stored projects of these (unit id, name) keys of the batch, for the rows checked
        field by field (whose project becomes the row's)."""
        ids = [stored.projects[key][ID_AT] for key in keys if key in stored.projects]
        for chunk in _chunks(ids, self.chunk):
            for values in self.rows(Project, PROJECT_ATTNAMES, chunk, by_id=True):
                stored.complete[values[PROJECT_ID_AT]] = values


KEY_ATTNAMES = ["id", "name", "unit_id", "in_statistics", "statistics_date"]  # first of a batch's columns
ID_AT, NAME_AT, UNIT_AT, IN_STATISTICS_AT, STATISTICS_DATE_AT = range(len(KEY_ATTNAMES))
PROJECT_ID_AT = PROJECT_ATTNAMES.index("id")


class _StoredBatch:
    """The stored projects a batch of rows names, as their column values by (unit id, name), with their stage
    dates by stage, plans by year (then project id) and capacities by project id."""

    def __init__(self, db: str, plan_converter: Callable[[Any], Decimal]):
        self.db = db
        self.plan_converter = plan_converter  # the plans' amounts are kept as floats, converted when read
        self.projects: dict[tuple[int, str], tuple] = {}  # some columns (KEY_ATTNAMES first)
        self.complete: dict[
            int, tuple
        ] = {}  # every column (PROJECT_ATTNAMES), by id, of the projects completed
        self.dates: dict[str, dict[int, tuple[date | None, date | None]]] = {}
        self.pairs: dict[str, list[tuple[date | None, date | None]]] = {}  # by stage, of the rows compared
        self.plans: dict[int, dict[int, Decimal]] = {}
        self.capacities: dict[int, list[CapacitySpec]] = {}
        self._capacity_keys: dict[int, tuple] | None = None

    def project(self, unit: Unit, name: str) -> Project | None:
        """The stored project, once its columns are complete (_StoredRows.complete)."""
        values = self.projects.get((unit.id, name))
        return stored_project(self.complete[values[ID_AT]], self.db) if values is not None else None

    def dates_of(self, project_id: int) -> dict[str, tuple[date | None, date | None]]:
        return {stage: found[project_id] for stage, found in self.dates.items() if project_id in found}

    def plans_of(self, project_id: int) -> dict[int, Decimal]:
        convert = self.plan_converter
        return {year: convert(found[project_id]) for year, found in self.plans.items() if project_id in found}

    def capacity_keys(self) -> dict[int, tuple]:
        if self._capacity_keys is None:
            self._capacity_keys = {pk: _capacities_key(specs) for pk, specs in self.capacities.items()}
        return self._capacity_keys


def _same_capacities(a: list[CapacitySpec], b: list[CapacitySpec]) -> bool:
    return _capacities_key(a) == _capacities_key(b)


def _capacities_key(specs: list[CapacitySpec]) -> tuple:
    """Capacities as compared: in any order, 18 and 18.00 alike."""
    return tuple(sorted((Decimal(c.quantity), c.unit, c.product) for c in specs))


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
    "address",
    "longitude",
    "latitude",
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
        # A new project is checked on this one instance, set back to the defaults for each row; the row keeps its
        # values (LedgerRow.new), not the instance.
        self.scratch = Project.__new__(Project)
        self.scratch._state = ModelState()
        self.new_values = itemgetter(*NEW_ATTNAMES)
        self.date_pairs: dict[tuple, tuple] = {}  # the rows' stage dates share equal (planned, actual) pairs

    def new_project(self, name: str) -> Project:
        """Project(name=name) on the one instance new rows are checked on, its related objects not cached."""
        project = self.scratch
        project.__dict__.update(self.defaults)
        project.name = name
        project._state.fields_cache.clear()
        return project

    def check(
        self, row_number: int, values: dict, stored: _StoredBatch, errors: list[RowError]
    ) -> LedgerRow | None:
        """A row read field by field, against the stored project it names (if any)."""
        before = stored.project(values["unit"], values["name"])
        pk = before.id if before is not None else None
        return self.check_row(
            row_number,
            values,
            before,
            errors,
            stored_plans=stored.plans_of(pk) if pk else {},
            stored_dates=stored.dates_of(pk) if pk else {},
            stored_capacities=stored.capacities.get(pk, []) if pk else [],
        )

    def statistics(self, in_statistics: bool, statistics_date: date | None, check_statistics: bool) -> list:
        """The date rules' problems of a row that leaves its stage dates as they are: they depend on the
        statistics alone, judged once per distinct (in the statistics, date of entry, checked)."""
        key = (in_statistics, statistics_date, check_statistics)
        found = self.statistics_problems.get(key)
        if found is None:
            found = self.statistics_problems[key] = stage_date_problems(
                {},
                today=self.today,
                in_statistics=in_statistics,
                statistics_date=statistics_date,
                check_statistics=check_statistics,
            )
        return found

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
                pairs = self.date_pairs
                if len(pairs) >= 20000:
                    pairs.clear()
                touched[stage] = pairs.setdefault(dates, dates)
                if planned != old[0]:
                    changes.append(headers[planned_key])
                if actual != old[1]:
                    changes.append(headers[actual_key])
        statistics_set = "in_statistics" in values and not was_in_statistics
        statistics_date = project.statistics_date if "statistics_date" in values else None
        check_statistics = statistics_set or "statistics_date" in values
        # Stored dates and statistics the file does not change are not re-judged.
        if touched:
            date_problems = stage_date_problems(
                merged,
                today=today,
                in_statistics=project.in_statistics,
                statistics_date=statistics_date,
                check_statistics=check_statistics,
            )
        else:
            date_problems = self.statistics(project.in_statistics, statistics_date, check_statistics)
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
        if (project.longitude is None) != (project.latitude is None):  # a point has both coordinates
            missing = "latitude" if project.latitude is None else "longitude"
            fail(missing, _("give both the longitude and the latitude, or neither"))
        for key, message in self.rules.problems(project, assigned):
            fail(key, message, cell_text(getattr(project, key, "")))
        if len(errors) > problems:
            return None
        if before is None:
            return LedgerRow.new(
                row_number,
                self.new_values(fields) + tuple(related.get(name, NOT_CACHED) for name in NEW_RELATED),
                {year: amount for year, (amount, _c, _h) in values["plans"].items()},
                touched,
                new_capacities,
                list(dict.fromkeys(changes)) if changes else changes,
            )
        return LedgerRow(
            row=row_number,
            is_new=before is None,
            project=project,
            stage_dates=touched,
            capacities=new_capacities,
            plans={year: amount for year, (amount, _c, _h) in values["plans"].items()},
            changes=list(dict.fromkeys(changes)) if changes else changes,
        )
