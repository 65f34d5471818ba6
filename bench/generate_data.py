"""Generate a province-scale ledger: 100,000 projects × 5 years of monthly progress reports (≈6M rows).

Run in its own data directory or database, never the real one:
    DUCHA_DATA_DIR=/tmp/bench-data .venv/bin/python bench/generate_data.py [--projects 100000] [--years 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ducha_bench .venv/bin/python bench/generate_data.py

It migrates, loads the Jintan demo (`ducha demo --load-only`) when the database has no units, then adds, with
set-based SQL (INSERT … SELECT over a numbers table, the same statements on SQLite and PostgreSQL):
- extra units (towns, streets, parks, departments) named BENCH-…, so that a province's units share the projects;
- projects BENCH-000001 … with level, category, industry, chain position, investment, stage, statistics flag;
- one annual plan per project and year, and one reviewed progress report per project and month, the last one
  being the current reporting month (2020-11 with the demo's business date): 60 months by default;
- stage dates (签约, 开工, 竣工, 投产 as far as the project went) and three milestones for started projects;
- the stored lights, computed by the app's own rules (projects_refresh_lights, in chunks of projects).

Deterministic: every value is a hash of the row number (no random state), so two runs give the same rows.
Running it again replaces the BENCH- rows. Only the columns named here are written; any other column of these
models gets its model default, read from the model, so added fields with defaults do not break it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
os.environ.setdefault("DUCHA_TODAY", "2020-12-20")  # the demo's business date: the current month is 2020-11
os.environ.setdefault("DUCHA_DEMO_PASSWORD", "bench-password-1")
os.environ.setdefault("DUCHA_REQUIRE_2FA", "")
if not os.environ.get("DUCHA_DATA_DIR") and not os.environ.get("DATABASE_URL"):
    sys.exit(
        "Set DUCHA_DATA_DIR (e.g. /tmp/bench-data) or DATABASE_URL so that the benchmark data stays apart."
    )

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from ducha.lib.periods import Period  # noqa: E402
from ducha.projects.models import (  # noqa: E402
    AnnualPlan,
    Industry,
    Milestone,
    ProgressReport,
    Project,
    StageDate,
)
from ducha.projects.selectors import current_period  # noqa: E402
from ducha.units.models import Unit  # noqa: E402

PREFIX = "BENCH-"
# Stages by share (of 100): 谋划 10, 签约 15, 开工 45, 竣工 15, 投产 15.
STAGE_CUTS = [(10, "planning"), (25, "signed"), (70, "started"), (85, "completed"), (100, "production")]
UNIT_KINDS = [("town", "towns_streets", "镇"), ("street", "towns_streets", "街道"), ("park", "parks", "园区")]
MILESTONES = [("施工许可", -2), ("主体结顶", 8), ("设备安装", 14)]  # months after the start
PRIMES = [48271, 69621, 16807, 39373, 40692, 40014, 53668, 12211, 3791, 2147, 31337, 7919, 104729, 611953]


def log(message: str) -> None:
    print(message, flush=True)


def h(expr: str, salt: int, k: int) -> str:
    """SQL for a deterministic pseudo-random integer in [0, k) from the integer expression `expr`."""
    a = PRIMES[salt % len(PRIMES)]
    return f"((((CAST({expr} AS BIGINT) + {salt * 7919}) * {a}) % 2147483647) / 7 % {k})"


def sql_date(year: str, month: str, day: str) -> str:
    if connection.vendor == "postgresql":
        return f"make_date(CAST({year} AS INTEGER), CAST({month} AS INTEGER), CAST({day} AS INTEGER))"
    return f"printf('%04d-%02d-%02d', {year}, {month}, {day})"


def sql_money(expr: str, places: int = 2) -> str:
    if connection.vendor == "postgresql":
        return f"ROUND(CAST({expr} AS NUMERIC), {places})"
    return f"ROUND({expr}, {places})"


def sql_padded(expr: str) -> str:
    if connection.vendor == "postgresql":
        return f"lpad(CAST({expr} AS TEXT), 6, '0')"
    return f"printf('%06d', {expr})"


def run(sql: str, params: list | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params if params is not None else [])
        return cursor.rowcount


def insert_select(model: type[models.Model], values: dict[str, str], tail: str) -> int:
    """INSERT INTO model's table the columns `values` names (SQL expressions); every other column gets the
    model's default (auto_now fields: now), so that fields added later with a default need no change here."""
    now = timezone.now()
    columns, exprs, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.column in values:
            columns.append(field.column)
            exprs.append(values[field.column].replace("%", "%%"))
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            continue
        elif field.blank and isinstance(field, models.CharField | models.TextField):
            value = ""
        else:
            raise SystemExit(f"{model.__name__}.{field.name} has no default: name it in generate_data.py")
        columns.append(field.column)
        exprs.append("%s")
        params.append(field.get_db_prep_save(value, connection))
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO {table} ({quoted}) SELECT {', '.join(exprs)} {tail.replace('%', '%%')}"
    return run(sql, params)


def numbers_table(name: str, n: int) -> None:
    """A temporary table `name`(i) holding 1..n."""
    run(f"DROP TABLE IF EXISTS {name}")
    run(f"CREATE TEMPORARY TABLE {name} (i BIGINT PRIMARY KEY)")
    if connection.vendor == "postgresql":
        run(f"INSERT INTO {name} (i) SELECT generate_series(1, {n})")
    else:
        run(
            f"INSERT INTO {name} (i) WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < {n}) "
            "SELECT i FROM c"
        )


def indexed_table(name: str, ids: list[int]) -> None:
    """A temporary table `name`(k, id): the ids numbered from 0, to pick one by a hash modulo len(ids)."""
    run(f"DROP TABLE IF EXISTS {name}")
    run(f"CREATE TEMPORARY TABLE {name} (k INTEGER PRIMARY KEY, id BIGINT)")
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {name} (k, id) VALUES (%s, %s)", list(enumerate(ids)))


def remove_previous() -> None:
    bench = f"(SELECT id FROM projects_project WHERE name LIKE '{PREFIX}%%')"
    for model in (ProgressReport, AnnualPlan, StageDate, Milestone):
        run(f"DELETE FROM {model._meta.db_table} WHERE project_id IN {bench}")
    run(f"DELETE FROM projects_project WHERE name LIKE '{PREFIX}%%'")
    run(f"DELETE FROM units_unit WHERE name LIKE '{PREFIX}%%'")


def add_units(n_units: int, n_departments: int) -> None:
    for kind_index, (kind, group, suffix) in enumerate(UNIT_KINDS):
        share = n_units // len(UNIT_KINDS) + (1 if kind_index < n_units % len(UNIT_KINDS) else 0)
        insert_select(
            Unit,
            {
                "name": f"'{PREFIX}{suffix}' || {sql_padded('i')}",
                "short_name": f"'{suffix}' || {sql_padded('i')}",
                "kind": f"'{kind}'",
                "peer_group": f"'{group}'",
                "order": f"1000 + {kind_index * 100000} + i",
            },
            f"FROM bench_n WHERE i <= {share}",
        )
    insert_select(
        Unit,
        {
            "name": f"'{PREFIX}局' || {sql_padded('i')}",
            "short_name": f"'局' || {sql_padded('i')}",
            "kind": "'department'",
            "peer_group": "'departments'",
            "order": "5000 + i",
        },
        f"FROM bench_n WHERE i <= {n_departments}",
    )


def add_projects(n: int, first_year: int, counts: dict[str, int]) -> None:
    month_of_statistics = f"1 + {h('i', 12, 12)}"
    stage = "CASE " + " ".join(f"WHEN {h('i', 1, 100)} < {cut} THEN '{s}'" for cut, s in STAGE_CUTS) + " END"
    insert_select(
        Project,
        {
            "name": f"'{PREFIX}' || {sql_padded('i')} || '号项目'",
            "company": f"'基准企业' || {sql_padded(h('i', 2, 20000))} || '有限公司'",
            "unit_id": "bu.id",
            "responsible_department_id": "bd.id",
            "industry_id": "bi.id",
            "responsible_leader": f"'领导' || {h('i', 3, 200)}",
            "level": f"CASE {h('i', 4, 20)} WHEN 0 THEN 'provincial' WHEN 1 THEN 'city' WHEN 2 THEN 'city' "
            "ELSE 'district' END",
            "category": f"CASE {h('i', 5, 10)} WHEN 0 THEN 'livelihood' WHEN 1 THEN 'government' "
            "WHEN 2 THEN 'technology' ELSE 'industrial' END",
            "foreign_funded": f"({h('i', 6, 10)} = 0)",
            "chain_position": f"CASE {h('i', 7, 4)} WHEN 0 THEN 'upstream' WHEN 1 THEN 'midstream' "
            "WHEN 2 THEN 'downstream' ELSE '' END",
            "chain_segment": f"'环节' || {h('i', 8, 12)}",
            "construction_type": f"CASE WHEN {h('i', 9, 3)} = 0 THEN 'continuing' ELSE 'new' END",
            "total_investment": sql_money(f"1000 + {h('i', 10, 499000)}"),
            "stage": stage,
            # started or further: in the statistics nine times in ten, since the start month
            "in_statistics": f"({h('i', 1, 100)} >= 25 AND {h('i', 11, 10)} > 0)",
            "statistics_date": f"CASE WHEN {h('i', 1, 100)} >= 25 AND {h('i', 11, 10)} > 0 "
            f"THEN {sql_date(str(first_year), month_of_statistics, '20')} END",
            "target_date": sql_date(f"{first_year + 5} + {h('i', 13, 3)}", f"1 + {h('i', 14, 12)}", "28"),
            # a point in southern Jiangsu (WGS-84), for the maps
            "longitude": sql_money(f"118.3 + {h('i', 15, 2000000)} / 1000000.0", 6),
            "latitude": sql_money(f"31.0 + {h('i', 16, 3000000)} / 1000000.0", 6),
        },
        "FROM bench_n "
        f"JOIN bench_unit bu ON bu.k = {h('i', 20, counts['units'])} "
        f"JOIN bench_dept bd ON bd.k = {h('i', 21, counts['departments'])} "
        f"JOIN bench_industry bi ON bi.k = {h('i', 22, counts['industries'])} "
        f"WHERE i <= {n}",
    )


def add_plans(years: list[int]) -> None:
    """One plan per project and year: 5–45 % of the total investment."""
    run("DROP TABLE IF EXISTS bench_year")
    run("CREATE TEMPORARY TABLE bench_year (year INTEGER PRIMARY KEY)")
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO bench_year (year) VALUES (%s)", [(y,) for y in years])
    insert_select(
        AnnualPlan,
        {
            "project_id": "p.id",
            "year": "y.year",
            "planned_investment": sql_money(
                f"p.total_investment * (5 + {h('p.id * 10 + y.year', 30, 41)}) / 100.0"
            ),
        },
        f"FROM projects_project p CROSS JOIN bench_year y WHERE p.name LIKE '{PREFIX}%' ORDER BY p.id, y.year",
    )


def add_reports(months: list[tuple[int, int]]) -> None:
    """One reviewed report per project and month. Each project-year has a pace (80–140 % of the plan spread
    over the year); a month's share follows a seasonal weight, so the year to date is the sum of the months."""
    weights = [5, 5, 8, 8, 9, 9, 9, 9, 9, 9, 10, 10]  # out of 100; the first months are slower
    run("DROP TABLE IF EXISTS bench_month")
    run("CREATE TEMPORARY TABLE bench_month (year INTEGER, month INTEGER, w INTEGER, cw INTEGER)")
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_month (year, month, w, cw) VALUES (%s, %s, %s, %s)",
            [(y, m, weights[m - 1], sum(weights[:m])) for y, m in months],
        )
    pace = f"(80 + {h('a.project_id * 10 + a.year', 31, 61)})"
    insert_select(
        ProgressReport,
        {
            "project_id": "a.project_id",
            "year": "m.year",
            "month": "m.month",
            "investment_month": sql_money(f"a.planned_investment * {pace} * m.w / 10000.0"),
            "investment_ytd": sql_money(f"a.planned_investment * {pace} * m.cw / 10000.0"),
            "stage": "p.stage",
            "status": "'reviewed'",
        },
        "FROM projects_annualplan a JOIN bench_month m ON m.year = a.year "
        "JOIN projects_project p ON p.id = a.project_id "
        f"WHERE p.name LIKE '{PREFIX}%' ORDER BY a.project_id, m.year, m.month",
    )


def add_stage_dates(year: int) -> None:
    """签约 for every project past planning; 开工 planned this year for the ones not started (late starts light
    up), actual for started ones; 竣工 and 投产 actual for the ones that got there."""
    bench = f"FROM projects_project p WHERE p.name LIKE '{PREFIX}%'"
    order = "CASE p.stage WHEN 'planning' THEN 0 WHEN 'signed' THEN 1 WHEN 'started' THEN 2 "
    order += "WHEN 'completed' THEN 3 ELSE 4 END"
    signed_year = f"{year - 5} + {h('p.id', 40, 3)}"
    insert_select(
        StageDate,
        {
            "project_id": "p.id",
            "stage": "'signed'",
            "actual_date": sql_date(signed_year, f"1 + {h('p.id', 41, 12)}", "10"),
        },
        bench + f" AND {order} >= 1",
    )
    insert_select(
        StageDate,
        {
            "project_id": "p.id",
            "stage": "'started'",
            "planned_date": sql_date(
                f"CASE WHEN {order} >= 2 THEN {signed_year} + 1 ELSE {year} END",
                f"1 + {h('p.id', 42, 12)}",
                "1",
            ),
            "actual_date": f"CASE WHEN {order} >= 2 THEN "
            + sql_date(f"{signed_year} + 1", f"1 + {h('p.id', 42, 12)}", "15")
            + " END",
        },
        bench + f" AND {order} >= 1",
    )
    for stage, rank, offset in (("completed", 3, 2), ("production", 4, 3)):
        insert_select(
            StageDate,
            {
                "project_id": "p.id",
                "stage": f"'{stage}'",
                "planned_date": sql_date(f"{signed_year} + {offset}", f"1 + {h('p.id', 43, 11)}", "1"),
                "actual_date": sql_date(f"{signed_year} + {offset}", f"1 + {h('p.id', 43, 11)}", "20"),
            },
            bench + f" AND {order} >= {rank}",
        )


def add_milestones(year: int) -> None:
    """Three nodes for each started project, laid out around its start; the later ones are reached or not."""
    for order, (name, after) in enumerate(MILESTONES):
        month = f"(sd_month + {after} + 24)"  # keep it positive before the modulo
        insert_select(
            Milestone,
            {
                "project_id": "s.project_id",
                "name": f"'{name}'",
                "order": str(order + 1),
                "planned_date": sql_date(f"sd_year - 2 + {month} / 12", f"1 + {month} % 12", "25"),
                # reached a few days early: before this year always, this year two times in three, later never
                "actual_date": f"CASE WHEN sd_year - 2 + {month} / 12 < {year} OR (sd_year - 2 + {month} / 12 = "
                f"{year} AND {h('s.project_id', 50 + order, 3)} > 0) THEN "
                + sql_date(f"sd_year - 2 + {month} / 12", f"1 + {month} % 12", "20")
                + " END",
            },
            "FROM (SELECT project_id, "
            + (
                "CAST(EXTRACT(YEAR FROM actual_date) AS INTEGER) AS sd_year, "
                "CAST(EXTRACT(MONTH FROM actual_date) AS INTEGER) - 1 AS sd_month "
                if connection.vendor == "postgresql"
                else "CAST(substr(actual_date, 1, 4) AS INTEGER) AS sd_year, "
                "CAST(substr(actual_date, 6, 2) AS INTEGER) - 1 AS sd_month "
            )
            + f"FROM projects_stagedate WHERE stage = 'started' AND actual_date IS NOT NULL) s "
            f"JOIN projects_project p ON p.id = s.project_id WHERE p.name LIKE '{PREFIX}%'",
        )


def refresh_lights(period: Period, chunk: int) -> int:
    from ducha.projects.services import projects_refresh_lights

    ids = list(Project.objects.filter(name__startswith=PREFIX).order_by("pk").values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), chunk):
        changed += projects_refresh_lights(
            projects=Project.objects.filter(pk__in=ids[start : start + chunk]), period=period
        )
    return changed


def generate(
    n_projects: int, n_years: int, n_units: int, n_departments: int, lights: bool, chunk: int
) -> None:
    started = time.perf_counter()

    def step(label: str, since: list[float] = [started]) -> None:  # noqa: B006 - a running clock
        now = time.perf_counter()
        log(f"  {label}: {now - since[0]:.1f} s")
        since[0] = now

    call_command("migrate", verbosity=0)
    if not Unit.objects.exists():
        call_command("demo", load_only=True, stdout=open(os.devnull, "w"))
        step("demo loaded")
    period = current_period()
    months = []
    y, m = period.year, period.month
    for _ in range(n_years * 12):
        months.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    months.reverse()
    years = sorted({y for y, _m in months})
    if connection.vendor == "sqlite":
        run("PRAGMA cache_size = -500000")  # 500 MB of page cache for the big inserts
        run("PRAGMA temp_store = MEMORY")
    with transaction.atomic():
        remove_previous()
        step("previous bench rows removed")
        numbers_table("bench_n", max(n_projects, n_units, n_departments, 1))
        add_units(n_units, n_departments)
        indexed_table("bench_unit", list(Unit.objects.areas().order_by("pk").values_list("pk", flat=True)))
        indexed_table(
            "bench_dept", list(Unit.objects.departments().order_by("pk").values_list("pk", flat=True))
        )
        indexed_table("bench_industry", list(Industry.objects.order_by("pk").values_list("pk", flat=True)))
        step(f"units: {Unit.objects.count()} in all")
        counts = {
            "units": Unit.objects.areas().count(),
            "departments": Unit.objects.departments().count(),
            "industries": Industry.objects.count(),
        }
        add_projects(n_projects, years[0], counts)
        step(f"{n_projects} projects")
        add_plans(years)
        step(f"annual plans {years[0]}–{years[-1]}")
        add_reports(months)
        step(f"{n_projects * len(months):,} monthly reports {months[0][0]}-{months[0][1]:02d} … {period}")
        add_stage_dates(period.year)
        step("stage dates")
        add_milestones(period.year)
        step("milestones")
    # Fresh planner statistics for the pages that read these tables; on PostgreSQL VACUUM too, as autovacuum
    # would have done on a database in use: without it every index-only scan (the ledger's count) visits the heap.
    run("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    step("ANALYZE")
    if lights:
        changed = refresh_lights(period, chunk)
        step(f"lights of {period} by the app's rules ({changed} changed, chunks of {chunk} projects)")
    log(
        f"generated {n_projects} projects, {n_projects * len(months):,} reports in "
        f"{time.perf_counter() - started:.1f} s ({connection.vendor})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument(
        "--years", type=int, default=5, help="months of reports: 12 × years, up to the current one"
    )
    parser.add_argument("--units", type=int, default=300, help="extra towns, streets and parks")
    parser.add_argument("--departments", type=int, default=40, help="extra departments")
    parser.add_argument("--no-lights", action="store_true", help="leave every light green (faster)")
    parser.add_argument("--lights-chunk", type=int, default=5000, help="projects per light refresh")
    args = parser.parse_args()
    generate(args.projects, args.years, args.units, args.departments, not args.no_lights, args.lights_chunk)


if __name__ == "__main__":
    main()
