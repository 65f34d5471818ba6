"""Benchmark of the ledger import's check (issue 13 §4): `spreadsheets.ledger_read` (what
`ducha import_projects --dry-run` runs) against python-calamine's bare parse of the same file.

    DUCHA_DATA_DIR=/tmp/import-demo .venv/bin/ducha demo --load-only
    DUCHA_DATA_DIR=/tmp/import-demo .venv/bin/python bench/bench_import.py --rows 5000 100000 [--profile]

For each size a ledger file is written once into the data directory (bench-import-N.xlsx, openpyxl write-only,
the template's columns): the demo's projects first (rows that update or leave a stored project), then new
projects spread over the demo's units and industries, every column filled the way offices fill it (labels in
Chinese, money as numbers, dates as dates, capacities as text). Printed per size: calamine's parse time
(`to_python()` of the first sheet), ledger_read's time (each the median of --repeat runs, taken alternately so
that both see the same load), their ratio, and the peak memory of the first ledger_read (the process's peak
resident size, in a fresh child process per size so that one size does not hide the other).
--profile writes a cProfile of one ledger_read per size next to the file and prints its top functions.

    DUCHA_DATA_DIR=/tmp/bench-data .venv/bin/python bench/bench_import.py --file /tmp/bench-data/bench-ledger-100000.xlsx \
        --reader /tmp/before/reading.py --reader ducha/projects/spreadsheets/reading.py

--file measures a given workbook (e.g. the ledger export bench_scale.py writes) instead of the written ones.
--reader (repeatable) measures ledger_read of another copy of reading.py, e.g. an earlier commit's
(`mkdir /tmp/before; git show REV:ducha/projects/spreadsheets/reading.py > /tmp/before/reading.py`, and its
cells.py beside it, which the copy then uses instead of the package's), loaded as a module of the spreadsheets
package, so that before and after are measured in the same run: the readers take turns, each run in a fresh
child (--repeat runs each). Times are medians.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")


def _setup():
    import django

    django.setup()
    from django.utils import translation

    translation.activate("zh-hans")


def write_ledger(path: Path, rows: int) -> None:
    from django.conf import settings  # noqa: F401
    from openpyxl import Workbook

    from ducha.lib import clock
    from ducha.projects.choices import Category, ChainPosition, ConstructionType, Level, Stage
    from ducha.projects.models import Industry, Project
    from ducha.projects.spreadsheets import COLUMNS, template_headers
    from ducha.units.models import Unit

    today = clock.today()
    year = today.year
    headers = template_headers(year)
    keys = [c.key for c in COLUMNS[:11]] + ["plan"] + [c.key for c in COLUMNS[11:]]
    units = list(Unit.objects.exclude(kind="department").values_list("name", flat=True))
    departments = list(Unit.objects.filter(kind="department").values_list("name", flat=True))
    industries = list(Industry.objects.values_list("name", flat=True))
    stored = list(Project.objects.values_list("name", "unit__name")[:rows])
    book = Workbook(write_only=True)
    sheet = book.create_sheet("项目")
    sheet.append(headers)
    started = today - timedelta(days=400)
    for i in range(rows):
        if i < len(stored):
            name, unit = stored[i]
        else:
            name, unit = f"规模测试项目{i:06d}", units[i % len(units)]
        values = {
            "name": name,
            "company": f"测试投资有限公司{i % 997}",
            "unit": unit,
            "industry": industries[i % len(industries)],
            "chain_position": str(ChainPosition.labels[i % 3]),
            "level": str(Level.labels[i % 3]),
            "category": str(Category.labels[i % 4]),
            "construction_type": str(ConstructionType.labels[i % 2]),
            "stage": str(Stage.STARTED.label),
            "total_investment": 10000 + (i % 500) * 100,
            "currency": "人民币",
            "plan": 2000 + (i % 50) * 10,
            "responsible_leader": f"领导{i % 37}",
            "responsible_department": departments[i % len(departments)],
            "national_code": "",
            "in_statistics": "是" if i % 2 else "否",
            "statistics_date": started if i % 2 else None,
            "foreign_funded": "否",
            "chain_segment": "动力电池",
            "annual_revenue": 50000 + i % 1000,
            "target_date": date(year + 1, 6, 30),
            "signed_planned": started - timedelta(days=90),
            "signed_actual": started - timedelta(days=80),
            "started_planned": started,
            "started_actual": started + timedelta(days=i % 30),
            "completed_planned": date(year + 1, 3, 31),
            "production_planned": date(year + 1, 6, 30),
            "capacities": "18GWh动力电池；20万套电池系统" if i % 3 == 0 else "",
            "description": "年产动力电池及电池系统，建设厂房和配套设施。",
        }
        if i < len(stored):  # a stored project keeps its own stage dates
            values = {
                key: value for key, value in values.items() if not key.endswith(("_planned", "_actual"))
            }
        sheet.append([values.get(key) for key in keys])
    book.save(path)


def _reader_module(source: str | None):
    """The spreadsheets package's reading module, or another copy of it loaded as a module of that package; a
    cells.py in the same folder as the copy (not the package's own) is loaded with it, in place of the package's."""
    from ducha.projects import spreadsheets

    if not source:
        return spreadsheets
    path = Path(source).resolve()
    package = "ducha.projects.spreadsheets"
    text = path.read_text()
    cells = path.parent / "cells.py"
    if cells.exists() and path.parent != Path(spreadsheets.__file__).resolve().parent:
        sys.modules[f"{package}._bench_cells"] = _module_from(
            f"{package}._bench_cells", cells.read_text(), cells
        )
        text = text.replace("from .cells import", "from ._bench_cells import")
    return _module_from(f"{package}._bench_reader", text, path)


def _module_from(name: str, text: str, path: Path):
    import types

    module = types.ModuleType(name)
    module.__file__ = str(path)
    module.__package__ = name.rpartition(".")[0]
    sys.modules[name] = module
    exec(compile(text, str(path), "exec"), module.__dict__)
    return module


def measure(path: Path, profile: bool, repeat: int, source: str | None = None) -> dict:
    """One ledger_read and one calamine parse of `path`, in this process."""
    import statistics

    from django.conf import settings
    from python_calamine import CalamineWorkbook

    spreadsheets = _reader_module(source)

    settings.DUCHA_MAX_UPLOAD_BYTES = max(settings.DUCHA_MAX_UPLOAD_BYTES, path.stat().st_size + 1)
    read_times, calamine_times = [], []
    for _ in range(
        repeat
    ):  # alternately, so that both see the same load of a shared machine; the best of each
        began = time.perf_counter()
        result = spreadsheets.ledger_read(str(path))
        read_times.append(time.perf_counter() - began)
        if not calamine_times:
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # the first read's peak
            outcome = (
                f"{len(result.rows):,} rows: {result.created:,} new, {result.updated:,} changed, "
                f"{result.unchanged:,} same"
                if result.ok
                else f"refused: {result.errors[0]} ({len(result.errors)} problems)"
            )
        del result
        began = time.perf_counter()
        parsed = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        calamine_times.append(time.perf_counter() - began)
        parsed_rows = len(parsed) - 1
        del parsed
    if profile:
        import cProfile
        import pstats

        out = path.with_suffix(".prof")
        cProfile.runctx("spreadsheets.ledger_read(str(path))", globals(), locals(), str(out))
        pstats.Stats(str(out)).sort_stats("tottime").print_stats(15)
        print(f"profile written to {out}", file=sys.stderr)
    return {
        "calamine": statistics.median(calamine_times),
        "read": statistics.median(read_times),
        "calamine_best": min(calamine_times),
        "read_best": min(read_times),
        "peak_mb": peak_mb,
        "outcome": outcome,
        "parsed_rows": parsed_rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[5000, 100000])
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="times each is measured; the median counts")
    parser.add_argument("--file", type=Path, help="measure this workbook instead of writing one per --rows")
    parser.add_argument("--reader", action="append", help="another reading.py to measure (repeatable)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-reader", help=argparse.SUPPRESS)
    args = parser.parse_args()
    _setup()
    if args.child:
        print(json.dumps(measure(Path(args.child), args.profile, args.repeat, args.child_reader)))
        return
    if args.file:
        _compare_readers(args)
        return
    from django.conf import settings

    from ducha.projects.models import Project

    if not Project.objects.exists():
        sys.exit("no projects: load the demo first (DUCHA_DATA_DIR=… ducha demo --load-only)")
    print(f"{'rows':>8} {'calamine s':>11} {'ledger_read s':>14} {'ratio':>6} {'peak MB':>8}  outcome")
    for rows in args.rows:
        path = Path(settings.DATA_DIR) / f"bench-import-{rows}.xlsx"
        if not path.exists():
            print(f"writing {path} (once) …", file=sys.stderr, flush=True)
            write_ledger(path, rows)
        command = [sys.executable, __file__, "--child", str(path), "--repeat", str(args.repeat)]
        command += ["--profile"] if args.profile else []
        done = subprocess.run(command, capture_output=True, text=True, env=os.environ)
        if done.returncode:
            sys.exit(done.stderr)
        if args.profile:
            print(done.stdout.rsplit("\n", 2)[0])
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        ratio = figures["read"] / figures["calamine"]
        print(
            f"{rows:>8,} {figures['calamine']:>11.2f} {figures['read']:>14.2f} {ratio:>6.1f} "
            f"{figures['peak_mb']:>8.0f}  {figures['outcome']}",
            flush=True,
        )


def _compare_readers(args) -> None:
    """Each reader on the same file, in a fresh child each, taking turns --repeat times (one run per child)."""
    readers = args.reader or [""]
    found: dict[str, list[dict]] = {reader: [] for reader in readers}
    for _ in range(args.repeat):
        for reader in readers:
            command = [sys.executable, __file__, "--child", str(args.file), "--repeat", "1"]
            command += ["--child-reader", reader] if reader else []
            done = subprocess.run(command, capture_output=True, text=True, env=os.environ)
            if done.returncode:
                sys.exit(done.stderr)
            found[reader].append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{'reader':<44} {'calamine s':>11} {'ledger_read s':>14} {'ratio':>6} {'peak MB':>8}  outcome")
    for reader, runs in found.items():
        import statistics

        calamine = statistics.median(r["calamine"] for r in runs)
        read = statistics.median(r["read"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        reads = ", ".join(f"{r['read']:.2f}" for r in runs)
        print(
            f"{(reader or 'reading.py')[-44:]:<44} {calamine:>11.2f} {read:>14.2f} {read / calamine:>6.1f} "
            f"{peak:>8.0f}  {runs[0]['outcome']}  (reads {reads})",
            flush=True,
        )


if __name__ == "__main__":
    main()
