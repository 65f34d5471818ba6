"""What reading a ledger workbook finds: rows to store and errors naming the row and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..models import Project

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


@dataclass(slots=True)  # a ledger holds up to DUCHA_IMPORT_MAX_ROWS of them
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
