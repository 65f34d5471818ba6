"""The demo: 常州市 with 金坛区 (the seeds' district) and two districts with generated data. Each app contributes
a `demo.py` with `load(*, log)`; this runs them in order.

Every loader is idempotent (get_or_create / update_or_create on natural keys), so running
`ducha demo` twice leaves the same state.
"""

import importlib
from collections.abc import Callable

from auditlog.context import disable_auditlog
from django.db import transaction

from ducha.projects.rollups import deferred

# Order matters: later loaders use what earlier ones created.
DEMO_MODULES = [
    "ducha.regions.demo",
    "ducha.units.demo",
    "ducha.projects.demo",
    "ducha.projects.demo_city",
    "ducha.accounts.demo",
    "ducha.supervision.demo",
    "ducha.indicators.demo",
    "ducha.evaluation.demo",
    "ducha.cockpit.demo",
    "ducha.extraction.demo",
]


def load_demo(*, password: str, log: Callable[[str], None] = print) -> None:
    for module_name in DEMO_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # this app has no demo data yet
            raise
        # Loading the demo is the system's act, not a person's: it stays out of the audit trail,
        # which also keeps a second run from adding entries.
        # The stored period figures of the projects it writes are computed once, at the end of each module.
        with transaction.atomic(), disable_auditlog(), deferred():
            module.load(password=password, log=log)
