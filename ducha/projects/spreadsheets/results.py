"""What reading a ledger workbook finds: rows to store and errors naming the row and column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models.base import ModelState
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ducha.units.models import Unit

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


PROJECT_ATTNAMES = [field.attname for field in Project._meta.concrete_fields]
# A new project's fields as a row keeps them until the project is asked for (LedgerRow.new): the fields whose
# default is made anew for each project (light_reasons=[]) are made when it is built.
FRESH_FIELDS = [f for f in Project._meta.concrete_fields if f.has_default() and callable(f.default)]
NEW_ATTNAMES = [f.attname for f in Project._meta.concrete_fields if f not in FRESH_FIELDS]
NEW_RELATED = ["unit", "industry", "responsible_department"]  # the related objects cached with them
NOT_CACHED = object()  # a related object not cached on the project


def stored_project(values: tuple, db: str) -> Project:
    """A stored project from its column values (PROJECT_ATTNAMES' order, through the fields' converters), as
    Model.from_db would make it but without Model.__init__'s cost per field (no init signals are connected to
    Project)."""
    project = Project.__new__(Project)
    state = project._state = ModelState()  # first: the instance's dictionary then shares its keys
    state.adding = False
    state.db = db
    project.__dict__.update(zip(PROJECT_ATTNAMES, values, strict=True))
    return project


def new_project(values: tuple) -> Project:
    """A new (unsaved) project from what LedgerRow.new keeps: the values of NEW_ATTNAMES, then the related objects
    of NEW_RELATED cached on it (NOT_CACHED: none)."""
    project = Project.__new__(Project)
    project._state = ModelState()
    fields = project.__dict__
    fields.update(zip(NEW_ATTNAMES, values[: len(NEW_ATTNAMES)], strict=True))
    for fresh in FRESH_FIELDS:
        fields[fresh.attname] = fresh.get_default()
    cache = project._state.fields_cache
    for name, value in zip(NEW_RELATED, values[len(NEW_ATTNAMES) :], strict=True):
        if value is not NOT_CACHED:
            cache[name] = value
    return project


class LedgerRow:
    """One row of the file, checked, with what storing it will do.

    A row that leaves its stored project as it is (`unchanged`: most rows of a re-imported export) keeps only the
    project's id, and `project` loads the project when first read (one query): a ledger holds up to
    DUCHA_IMPORT_MAX_ROWS rows, storing leaves these rows alone and the preview does not show them. A row of a new
    project (`new`) keeps its field values as a tuple, and `project` makes the project from them when first read
    (a model instance is several times larger: a file of new projects held them all until stored).
    """

    __slots__ = ("row", "_project", "_stored", "_plans", "stage_dates", "capacities", "changes", "is_new")

    def __init__(
        self,
        row: int,
        project: Project,
        plans: dict[int, Decimal] | None = None,
        stage_dates: dict[str, tuple[date | None, date | None]] | None = None,
        capacities: list[CapacitySpec] | None = None,
        changes: list[str] | None = None,  # headers of the columns whose value changes
        is_new: bool = False,  # decided when checked: storing the row gives the project a pk
    ):
        self.row = row
        self._project: Project | None = (
            project  # a copy with the file's values (unsaved); pk set when it updates
        )
        self._stored: tuple | None = None
        self._plans: dict[int, Decimal] | Callable[[], dict[int, Decimal]] = {} if plans is None else plans
        self.stage_dates = {} if stage_dates is None else stage_dates
        self.capacities = capacities
        self.changes = [] if changes is None else changes
        self.is_new = is_new

    @classmethod
    def unchanged(
        cls, row: int, project_id: int, db: str, unit: Unit, plans: Callable[[], dict[int, Decimal]]
    ) -> LedgerRow:
        """A row whose stored project (`project_id` in database `db`, in `unit`) stays as it is; `plans()` gives
        the file's plans, the stored ones, when first asked for (storing and the preview leave these rows alone,
        and converting 100,000 rows' amounts was a tenth of a dry run)."""
        ledger_row = cls(row, None)  # type: ignore[arg-type]  # loaded when read
        ledger_row._plans = plans
        ledger_row._stored = (project_id, db, unit)
        return ledger_row

    @property
    def plans(self) -> dict[int, Decimal]:
        if callable(self._plans):
            self._plans = self._plans()
        return self._plans

    @classmethod
    def new(
        cls,
        row: int,
        values: tuple,
        plans: dict[int, Decimal],
        stage_dates: dict[str, tuple[date | None, date | None]],
        capacities: list[CapacitySpec] | None,
        changes: list[str],
    ) -> LedgerRow:
        """A row of a new project, whose fields are `values` (see new_project), made when the project is asked for."""
        ledger_row = cls(row, None, plans, stage_dates, capacities, changes, is_new=True)  # type: ignore[arg-type]
        ledger_row._stored = values
        return ledger_row

    @property
    def project(self) -> Project:
        if self._project is None:
            if self.is_new:
                self._project = new_project(self._stored)  # type: ignore[arg-type]
                self._stored = None
                return self._project
            project_id, db, unit = self._stored  # type: ignore[misc]
            self._project = Project.objects.using(db).get(pk=project_id)
            self._project._state.fields_cache["unit"] = unit  # showing the unit costs no query
            self._stored = None
        return self._project

    @project.setter
    def project(self, project: Project) -> None:
        self._project, self._stored = project, None

    @property
    def action(self) -> str:
        if self.is_new:
            return "create"
        return "update" if self.changes else "unchanged"

    def __repr__(self) -> str:
        return f"<LedgerRow {self.row} {self.action} {self.project.name!r}>"


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
