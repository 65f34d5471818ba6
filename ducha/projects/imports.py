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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from ducha.lib.money import parse_money_wan
from ducha.lib.quantities import parse_capacity
from ducha.lib.xlsx import safe_row
from ducha.units.models import Unit

from .choices import Category, ChainPosition, ConstructionType, Currency, Level, Stage
from .forms import FORM_STAGES
from .models import AnnualPlan, Capacity, Industry, Project, StageDate
from .rules import stage_date_problems

MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 10
TOTAL_ROW_NAMES = {"合计", "小计", "总计", "total", "subtotal"}
_FORMULA_MARK = re.compile(
    r"^'(?=[=+\-@\t\r])"
)  # the quote ducha.lib.xlsx.safe_cell puts before formula-like text
_PLAN_HEADER = re.compile(r"((?:19|20)\d{2})")


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class RowError:
    """One problem: the row number as Excel shows it (None for the file as a whole), the column header as
    written in the file, the cell's value and the reason."""

    row: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("Row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        value = f" “{self.value}”" if self.value else ""
        # Separators are translated too: Chinese writes "第3行，“板块”列 “火星”：…".
        prefix = pgettext("list separator", ", ").join(where)
        colon = pgettext("label separator", ": ")
        return f"{prefix}{value}{colon}{self.message}" if prefix else self.message


@dataclass(frozen=True)
class CapacitySpec:
    quantity: Decimal
    unit: str
    product: str


@dataclass
class LedgerRow:
    """One row of the file, checked, with what storing it will do."""

    row: int
    project: Project  # a copy with the file's values (unsaved); pk set when it updates a stored project
    plans: dict[int, Decimal] = field(default_factory=dict)
    stage_dates: dict[str, tuple[date | None, date | None]] = field(default_factory=dict)
    capacities: list[CapacitySpec] | None = None
    changes: list[str] = field(default_factory=list)  # headers of the columns whose value changes
    is_new: bool = False  # decided when checked: storing the row gives the project a pk

    @property
    def action(self) -> str:
        if self.is_new:
            return "create"
        return "update" if self.changes else "unchanged"


@dataclass
class LedgerImport:
    rows: list[LedgerRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")


class CellError(ValueError):
    """A cell's value cannot be read; the message says why."""


# ---------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    key: str
    msgid: str  # the English header, translated in the template
    aliases: tuple[str, ...] = ()  # other headers offices use
    required: bool = False
    stage: str = ""  # for the stage-date columns: "%(stage)s planned" of this stage, as on the project form

    @property
    def label(self) -> str:
        """The header in the active language."""
        if self.stage:
            return _(self.msgid) % {"stage": Stage(self.stage).label}
        return _(self.msgid)


def _stage_columns() -> list[Column]:
    zh = {Stage.SIGNED: "签约", Stage.STARTED: "开工", Stage.COMPLETED: "竣工", Stage.PRODUCTION: "投产"}
    columns = []
    for stage in FORM_STAGES:
        for kind, msgid, zh_kind in (
            ("planned", gettext_noop("%(stage)s planned"), "计划"),
            ("actual", gettext_noop("%(stage)s actual"), "实际"),
        ):
            aliases = (f"{zh_kind}{zh[stage]}", f"{zh_kind}{zh[stage]}日期", f"{zh_kind}{zh[stage]}时间")
            columns.append(Column(f"{stage}_{kind}", msgid, aliases, stage=stage))
    return columns


# The export's importable columns first, in its order, then the ones only the template has.
COLUMNS = [
    Column("name", gettext_noop("Project name"), ("项目名称",), required=True),
    Column("company", gettext_noop("Investor company"), ("投资主体", "投资方", "建设主体")),
    Column("unit", gettext_noop("Unit"), ("板块", "所属板块", "属地板块"), required=True),
    Column("industry", gettext_noop("Industry"), ("所属行业", "行业")),
    Column("chain_position", gettext_noop("Chain position"), ("产业链环节",)),
    Column("level", gettext_noop("Level"), ("项目级别",)),
    Column("category", gettext_noop("Category"), ("项目类别",)),
    Column("construction_type", gettext_noop("New or continuing"), ("新建/续建", "新建续建", "建设性质")),
    Column("stage", gettext_noop("Stage"), ("阶段", "项目阶段")),
    Column(
        "total_investment",
        gettext_noop("Total investment (10k)"),
        ("总投资（万元）", "总投资"),
        required=True,
    ),
    Column("currency", gettext_noop("Currency"), ("币种",)),
    Column("responsible_leader", gettext_noop("Responsible leader"), ("责任领导", "挂钩领导")),
    Column("responsible_department", gettext_noop("Responsible department"), ("责任部门",)),
    Column("national_code", gettext_noop("National project code"), ("国家项目代码", "项目代码")),
    Column("in_statistics", gettext_noop("In the official statistics"), ("是否入统",)),
    Column("statistics_date", gettext_noop("Date entered the statistics"), ("入统日期", "入统时间")),
    Column("foreign_funded", gettext_noop("Foreign-funded"), ("外资项目", "是否外资")),
    Column("chain_segment", gettext_noop("Chain segment"), ("产业链细分领域",)),
    Column(
        "annual_revenue",
        gettext_noop("Annual revenue at full production (10k)"),
        ("达产后年营业收入（万元）",),
    ),
    Column("target_date", gettext_noop("Target production date"), ("目标投产日期",)),
    *_stage_columns(),
    Column("capacities", gettext_noop("Capacities"), ("设计产能", "产能")),
    Column("description", gettext_noop("Description"), ("项目简介", "建设内容")),
]
PLAN_MSGID = gettext_noop("Planned investment %(year)s (10k)")
TEXT_FIELDS = {"name", "company", "responsible_leader", "chain_segment", "national_code", "description"}
CHOICES = {
    "level": Level,
    "category": Category,
    "construction_type": ConstructionType,
    "stage": Stage,
    "chain_position": ChainPosition,
    "currency": Currency,
}
BLANK_CHOICES = {"chain_position"}
DATE_FIELDS = {"statistics_date", "target_date"}
BOOL_FIELDS = {"in_statistics", "foreign_funded"}


def _norm(text: str) -> str:
    text = str(text).replace("（", "(").replace("）", ")").replace("：", ":")
    return re.sub(r"\s+", "", text).lower()


def _in_languages(column: Column) -> set[str]:
    names = {column.label}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            names.add(column.label)
    return names


def _header_map() -> dict[str, Column]:
    found: dict[str, Column] = {}
    for column in COLUMNS:
        for name in (*_in_languages(column), *column.aliases):
            found[_norm(name)] = column
    return found


def _plan_year(header: str) -> int | None:
    """ "2020年计划投资（万元）", "Planned investment 2020 (10k)" → 2020."""
    normal = _norm(header)
    if "计划投资" not in normal and "plannedinvestment" not in normal:
        return None
    match = _PLAN_HEADER.search(normal)
    return int(match.group(1)) if match else None


def _choice_map(choices) -> dict[str, str]:
    mapping = {}
    for value, label in choices.choices:
        mapping[_norm(value)] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                mapping[_norm(str(label))] = value
    if choices is Currency:
        mapping.update({"元": "CNY", "rmb": "CNY", "人民币元": "CNY"})
    return mapping


# ---------------------------------------------------------------- cells


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return _FORMULA_MARK.sub("", str(value).strip())


def _decimal(value: float | int) -> Decimal:
    number = Decimal(str(value))
    rounded = number.quantize(Decimal("0.01"))
    # Excel arithmetic leaves 1234.5600000001; keep cents.
    return rounded if abs(number - rounded) < Decimal("0.000001") else number


def parse_money(value: Any) -> tuple[Decimal | None, str | None]:
    """A money cell: a number in 万, or text such as 80亿元, 一亿二千万元, 1.5亿港币. (None, None) when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        raise CellError(_("not an amount"))
    try:
        amount, currency = parse_money_wan(_decimal(value) if isinstance(value, int | float) else str(value))
    except ValueError:
        raise CellError(_("not an amount; write a number in 万 or text such as 80亿元")) from None
    if currency is not None and currency not in Currency.values:
        raise CellError(_("this currency is not supported"))
    return amount, currency


def parse_date(value: Any) -> date | None:
    """A date cell, or text: 2020-03-15, 2020/3/15, 2020.3.15, 2020年3月15日; 2020年3月 means the 1st."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月)?", text)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
        except ValueError:
            pass
    raise CellError(_("not a date; write it as 2020-03-15"))


def parse_bool(value: Any) -> bool:
    text = _norm(_text(value))
    if text in {"", "否", "no", "n", "false", "0", "×", "x", "未入统"}:
        return False
    if text in {"是", "yes", "y", "true", "1", "√", "✓", "已入统"}:
        return True
    raise CellError(_("write 是 or 否"))


def parse_capacities(text: str) -> list[CapacitySpec]:
    """ "18GWh动力电池；20万套电池系统；年产5万头生猪" → [(18, GWh, 动力电池), (200000, 套, 电池系统), (50000, 头, 生猪)]."""
    specs = []
    for item in re.split(r"[；;，,、\n]+", text or ""):
        item = item.strip()
        if not item:
            continue
        try:
            quantity, product = parse_capacity(item)
        except ValueError:
            raise CellError(
                _(
                    "cannot read the capacity “%(item)s”; write a number, a unit and the product, e.g. 18GWh动力电池"
                )
                % {"item": item}
            ) from None
        specs.append(CapacitySpec(quantity.quantity, quantity.unit, product[:80]))
    return specs


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
    """Read and check a ledger workbook (a path or a file object). Nothing is stored."""
    from openpyxl import load_workbook

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
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return _file_error(
            _("The file is not an .xlsx workbook. Save it from Excel as .xlsx and upload it again.")
        )
    try:
        return _read_sheet(workbook.worksheets[0], today or timezone.localdate())
    finally:
        workbook.close()


def _find_header(rows: list[tuple], known: dict[str, Column]) -> int | None:
    for index, row in enumerate(rows):
        keys = {known[_norm(c)].key for c in row if c is not None and _norm(c) in known}
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


def _read_sheet(sheet, today: date) -> LedgerImport:
    result = LedgerImport()
    known = _header_map()
    rows = sheet.iter_rows(values_only=True)
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
    header = [_text(h) for h in top[header_index]]
    header_row = header_index + 1
    columns: dict[int, Column] = {}
    plan_columns: dict[int, int] = {}
    for index, name in enumerate(header):
        if not name:
            continue
        column = known.get(_norm(name))
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
        if all(_text(row[i]) == "" for i in [*columns, *plan_columns] if i < len(row)):
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
        errors.append(RowError(row_number, headers.get(key) or _column_label(key), _text(raw), message))

    readers: dict[str, Callable[[Any], Any]] = {}
    for key in TEXT_FIELDS:
        readers[key] = _text
    for key in DATE_FIELDS | {c.key for c in COLUMNS if c.key.endswith(("_planned", "_actual"))}:
        readers[key] = parse_date
    for key in BOOL_FIELDS:
        readers[key] = parse_bool
    readers["capacities"] = lambda v: parse_capacities(_text(v))
    for column, raw in cells.items():
        key = column.key
        try:
            if key in readers:
                values[key] = readers[key](raw)
            elif key in CHOICES:
                text = _text(raw)
                if text:
                    if _norm(text) not in lookups.choices[key]:
                        labels = "、".join(str(label) for label in CHOICES[key].labels)
                        raise CellError(_("not one of: %(labels)s") % {"labels": labels})
                    values[key] = lookups.choices[key][_norm(text)]
                elif key in BLANK_CHOICES:
                    values[key] = ""
            elif key in {"total_investment", "annual_revenue"}:
                values[key] = parse_money(raw)
            elif key == "unit":
                text = _text(raw)
                if not text:
                    raise CellError(_("the unit is required"))
                if text not in lookups.units:
                    raise CellError(_("unknown unit; use a town, street or park as named in the system"))
                values[key] = lookups.units[text]
            elif key == "responsible_department":
                text = _text(raw)
                if text and text not in lookups.departments:
                    raise CellError(_("unknown department"))
                values[key] = lookups.departments.get(text)
            elif key == "industry":
                text = _text(raw)
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
            errors.append(RowError(row_number, header[index], _text(raw), str(exc)))
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
                _text(amount),
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
                _text(amount),
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
            fail(key, " ".join(messages), _text(shown))
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


# ---------------------------------------------------------------- storing


def ledger_store(*, ledger: LedgerImport) -> list[Project]:
    """Store a checked ledger in one transaction; returns the created and updated projects.

    Unchanged rows are not saved (no empty entries in the audit trail).
    """
    from .services import project_save, projects_refresh_lights

    if not ledger.ok:
        raise ValueError("a ledger with errors cannot be stored")
    touched = []
    with transaction.atomic():
        for row in ledger.rows:
            if row.action == "unchanged":
                continue
            capacities = None
            if row.capacities is not None:
                capacities = [(spec.quantity, spec.unit, spec.product) for spec in row.capacities]
            project_save(
                project=row.project,
                stage_dates=row.stage_dates or None,
                plans=row.plans,
                capacities=capacities,
                refresh_lights=False,  # once for all rows below
            )
            touched.append(row.project)
    if touched:
        projects_refresh_lights(projects=touched)
    return touched


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
