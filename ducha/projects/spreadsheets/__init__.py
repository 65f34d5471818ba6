"""The project ledger as spreadsheets: import (read, check, store), the import template and the export.

One column list (`columns.COLUMNS`) serves all three, so an exported ledger re-imports as it is.
"""

from .cells import parse_bool, parse_capacities, parse_date, parse_money
from .columns import COLUMNS, Column
from .export import ledger_xlsx
from .reading import ledger_read
from .results import CapacitySpec, CellError, LedgerImport, LedgerRow, RowError
from .storing import LedgerStoreInterrupted, ledger_store
from .template import ledger_template_xlsx, template_headers

__all__ = [
    "COLUMNS",
    "CapacitySpec",
    "CellError",
    "Column",
    "LedgerImport",
    "LedgerStoreInterrupted",
    "LedgerRow",
    "RowError",
    "ledger_read",
    "ledger_store",
    "ledger_template_xlsx",
    "ledger_xlsx",
    "parse_bool",
    "parse_capacities",
    "parse_date",
    "parse_money",
    "template_headers",
]
