"""Province scale (issue 13 §6): the key pages and jobs at demo size and at a big size, side by side, in one run.

    .venv/bin/python bench/bench_scale.py --demo /tmp/bench-demo --big /tmp/bench-data [--runs 5]
    .venv/bin/python bench/bench_scale.py --demo postgres://postgres@127.0.0.1:5432/ducha_demo \\
                                          --big postgres://postgres@127.0.0.1:5432/ducha_bench
    .venv/bin/python bench/bench_scale.py ... --skip import,export --timeout 60

--demo and --big are each a data directory (SQLite) or a postgres:// URL. A demo data directory that does not
exist yet is made with `ducha demo --load-only`; the big one is made beforehand with bench/generate_data.py.
Each size is measured in its own child process (the database is chosen when Django starts); the parent prints
one table with the growth ratio big / demo.

Pages are requested through Django's test client in the same process (middleware, views, templates; no
network) as the demo's office user: the median of --runs requests after one warm-up, the number of queries
and the time spent in SQL. SQL time is the time inside the database driver: each query's execute, timed with
connection.execute_wrapper, plus the fetching of its rows (Django's cursor wrapper's fetchone/fetchmany/fetchall,
timed here), since SQLite produces most rows while they are fetched.

Jobs, measured once each:
- bulletin: collecting the current period's bulletin (cockpit.services.bulletin_publish, rolled back) and
  writing its .docx;
- export: the ledger export (.xlsx, all projects) through its URL, against a bare openpyxl write-only dump of
  the same number of rows and columns (the export's first data row repeated), so the difference is ours;
- import: a dry-run import (spreadsheets.ledger_read, what `ducha import_projects --dry-run` runs) of a ledger
  file of --import-rows rows (the ledger export of the big database, written once next to it), against
  python-calamine's parse of the same file. The app refuses files over DUCHA_IMPORT_MAX_ROWS (200,000) rows and
  DUCHA_MAX_IMPORT_BYTES (50 MB); the 100,000-row export (about 17 MB) is under both.
  Big size only. python-calamine is not an app dependency: `.venv/bin/pip install python-calamine`.

--skip and --only take measurement names: the page keys (cockpit, ledger, ledger_sorted, units, chain, map_page, map,
map_warned, map_view, indicators, evaluation, bulletins, project), the jobs bulletin, export, import, and wrk.
--timeout N (default 600): a measurement still running after N seconds is stopped (SIGALRM in the child; a long SQL statement is
interrupted when it returns) and shown as stopped. --slow N (default 10): a page whose warm-up took longer is
not requested again; its one cold request is the figure (marked *).

wrk (issue 13's "Done when": cockpit throughput): for each size in turn, after its child, the parent starts
`ducha serve --workers 2 --no-migrate` on a free port with the same environment, signs in as `office` through
the login form (password DUCHA_DEMO_PASSWORD, bench-password-1 unless set; 2FA off as for the demo), requests
/cockpit/ once with the session cookie (warm-up and check: it must answer 200, not a redirect), then runs
`wrk -t2 -c4 -d<--wrk-duration>s --timeout <--wrk-timeout>s` with that cookie against /cockpit/ and stops the
server. Printed: requests/s, median and 99th percentile latency, responses outside 2xx (counted by a wrk
script: wrk itself counts only 4xx/5xx), socket errors and timeouts, and big/demo. Requests still running
when the duration ends are not counted, so a page of several seconds needs a longer --wrk-duration. `--only wrk` measures only
that (the child still runs: it migrates, loads a missing demo and prints the sizes); `--skip wrk` leaves it out.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("cockpit", "cockpit /cockpit/"),
    ("ledger", "ledger /projects/"),
    ("ledger_sorted", "ledger sorted by completion"),
    ("units", "units /units/"),
    ("chain", "chain map"),
    ("map_page", "map page /projects/map/"),
    ("map", "map points /projects/map/points.json (the map page's first request)"),
    ("map_warned", "map points, red and yellow (the cockpit's map)"),
    ("map_view", "map points in a zoomed-in view (?bbox=)"),
    ("indicators", "indicators table"),
    ("evaluation", "evaluation detail"),
    ("bulletins", "bulletin list"),
    ("project", "project page"),
]
JOBS = ["bulletin", "export", "import"]
WRK = "/usr/bin/wrk"
WRK_THREADS, WRK_CONNECTIONS = 2, 4
# Counts every response outside 2xx (wrk's own "Non-2xx or 3xx" counts only 4xx and 5xx, so an expired session's
# redirect to the login page would pass unseen) and prints the figures as one JSON line.
WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) responses = 0; non2xx = 0 end
function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local total, outside = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("responses")
    outside = outside + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format('WRK {"requests": %d, "duration_us": %d, "responses": %d, "non2xx": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, total, outside, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


# ------------------------------------------------------------------ the child: one database


class SqlClock:
    """Counts the time spent executing queries and fetching their rows on one connection."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.seconds = 0.0
        self.current = ""
        self.by_sql: dict[str, float] = {}

    def add(self, seconds: float) -> None:
        self.seconds += seconds
        self.by_sql[self.current] = self.by_sql.get(self.current, 0.0) + seconds

    def slowest(self) -> tuple[float, str]:
        if not self.by_sql:
            return 0.0, ""
        sql = max(self.by_sql, key=self.by_sql.__getitem__)
        text = " ".join(sql.split())
        if text.startswith("SELECT ") and " FROM " in text:  # the long column list says little
            text = "SELECT … " + text[text.index(" FROM ") + 1 :]
        text = re.sub(r"\((?:%s, )+%s\)", lambda m: f"({m.group(0).count('%s'):,} parameters)", text)
        return self.by_sql[sql] * 1000, text[:300]

    def __call__(self, execute, sql, params, many, context):
        self.current = sql
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.add(time.perf_counter() - start)


def _time_fetches(clock: SqlClock) -> None:
    from django.db.backends import utils

    for name in ("fetchone", "fetchmany", "fetchall"):

        def timed(self, *args, _name=name, **kwargs):
            start = time.perf_counter()
            try:
                return getattr(self.cursor, _name)(*args, **kwargs)
            finally:
                clock.add(time.perf_counter() - start)

        setattr(utils.CursorWrapper, name, timed)


def _emit(record: dict) -> None:
    print("RESULT " + json.dumps(record, ensure_ascii=False), flush=True)


class OverTime(Exception):
    pass


def _alarm(_signum, _frame):
    raise OverTime


def child(size: str, runs: int, wanted: set[str], timeout: float, slow: float, import_rows: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ducha.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ducha.accounts.models import User
    from ducha.evaluation.models import Evaluation
    from ducha.projects.models import ProgressReport, Project
    from ducha.projects.selectors import current_period, ledger

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS.append("testserver")
    call_command("migrate", verbosity=0)
    if not Project.objects.exists():
        call_command("demo", load_only=True, stdout=open(os.devnull, "w"))
    clock = SqlClock()
    _time_fetches(clock)
    signal.signal(signal.SIGALRM, _alarm)
    office = User.objects.get(username="office")
    client = Client()
    client.force_login(office)
    period = current_period()
    _emit(
        {
            "size": size,
            "kind": "info",
            "projects": Project.objects.count(),
            "reports": ProgressReport.objects.count(),
            "vendor": connection.vendor,
            "period": str(period),
        }
    )

    def measure(fn) -> dict:
        """Run fn() under the timeout; its time, SQL time, query count and what it returned (or why not)."""
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(clock):
            clock.reset()
            start = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                note, ms = fn(), None
            except OverTime:
                note, ms = f"stopped after {timeout:.0f} s (--timeout)", None
            except Exception as exc:  # noqa: BLE001 - a failure is a finding to print
                note, ms = f"failed: {type(exc).__name__}: {exc}"[:200], None
            else:
                ms = (time.perf_counter() - start) * 1000
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        slowest_ms, slowest_sql = clock.slowest()
        return {
            "ms": ms,
            "sql_ms": clock.seconds * 1000 if ms else None,
            "queries": len(captured),
            "note": note,
            "slowest_ms": slowest_ms,
            "slowest_sql": slowest_sql,
        }

    project = (
        Project.objects.filter(name="蜂巢能源动力电池项目").first() or Project.objects.order_by("pk").first()
    )
    evaluation = Evaluation.objects.order_by("-pk").first()
    urls = {
        "cockpit": "/cockpit/",
        "ledger": "/projects/",
        "ledger_sorted": "/projects/?sort=ratio",
        "units": "/units/",
        "chain": "/cockpit/chains/",
        "map_page": "/projects/map/",
        # As the pages ask: the map page with its counts, the cockpit without, and the map page zoomed in on
        # Jintan (0.25° by 0.15°: 100 of the demo office's 149 projects, 730 of its 97,115 at big size).
        "map": "/projects/map/points.json?counted=1",
        "map_warned": "/projects/map/points.json?light=red&light=yellow",
        "map_view": "/projects/map/points.json?counted=1&bbox=119.4,31.6,119.65,31.75",
        "indicators": "/indicators/",
        "evaluation": f"/evaluation/{evaluation.pk}/" if evaluation else None,
        "bulletins": "/cockpit/bulletins/",
        "project": f"/projects/{project.pk}/",
    }

    def get(url: str):
        def fn():
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            return response.status_code

        return fn

    for key, _label in PAGES:
        if key not in wanted or not urls[key]:
            continue
        first = measure(get(urls[key]))  # warm-up: templates, caches, the database's pages
        if first["ms"] is None or first["ms"] > slow * 1000:
            samples = [first]  # too slow to repeat: the one (cold) request is the figure
        else:
            samples = [measure(get(urls[key])) for _ in range(runs)]
        done = [s for s in samples if s["ms"] is not None]
        _emit(
            {
                "size": size,
                "kind": "page",
                "key": key,
                "ms": statistics.median(s["ms"] for s in done) if done else None,
                "sql_ms": statistics.median(s["sql_ms"] for s in done) if done else None,
                "queries": samples[-1]["queries"] if done else None,
                "status": samples[-1]["note"],
                "runs": len(done),
                "slowest_ms": samples[-1]["slowest_ms"],
                "slowest_sql": samples[-1]["slowest_sql"],
            }
        )

    def job(key: str, label: str, fn) -> dict:
        result = measure(fn)
        _emit(
            {
                "size": size,
                "kind": "job",
                "key": key,
                "label": label,
                **result,
                "note": str(result["note"] or ""),
            }
        )
        return result

    if "bulletin" in wanted:
        from ducha.cockpit.document import bulletin_docx_for
        from ducha.cockpit.services import bulletin_publish

        with transaction.atomic():
            made = []
            collect = job(
                "bulletin",
                f"bulletin {period}: collect and store",
                lambda: made.append(bulletin_publish(year=period.year, month=period.month, user=office)),
            )
            if collect["ms"] is not None:
                job(
                    "bulletin",
                    "bulletin: write the .docx",
                    lambda: f"{len(bulletin_docx_for(made[0])):,} bytes",
                )
            transaction.set_rollback(True)

    if "export" in wanted:
        from openpyxl import Workbook, load_workbook

        from ducha.projects.spreadsheets.export import ledger_xlsx

        def export() -> str:
            """The export as the office gets it: directly, or (a large ledger) queued, run by the worker, sent."""
            response = client.get("/projects/export.xlsx")
            if response.status_code != 302:
                return f"HTTP {response.status_code}, {len(response.content):,} bytes"
            from ducha.jobs.models import Job

            call_command("worker", "--once", stdout=open(os.devnull, "w"))
            done = Job.objects.order_by("-pk").first()
            sent = client.get(f"/jobs/{done.pk}/download/") if done else None
            size = sum(len(chunk) for chunk in sent.streaming_content) if sent is not None else 0
            return f"background job {done.state if done else '?'}, download {size:,} bytes"

        job("export", "ledger export .xlsx (all projects)", export)
        count = ledger(office, {}, period).count()
        book = load_workbook(BytesIO(ledger_xlsx(ledger(office, {}, period)[:1], period)), read_only=True)
        header, first = list(book.worksheets[0].iter_rows(values_only=True))[:2]
        book.close()

        def bare() -> str:
            out = Workbook(write_only=True)
            sheet = out.create_sheet("Projects")
            sheet.append(header)
            for _ in range(count):
                sheet.append(first)
            buffer = BytesIO()
            out.save(buffer)
            return f"{count:,} rows × {len(header)} columns, {buffer.tell():,} bytes"

        job("export", "bare openpyxl write-only dump, same rows", bare)

    if "import" in wanted and size == "big":
        from ducha.projects import spreadsheets
        from ducha.projects.spreadsheets.export import ledger_xlsx

        path = Path(settings.DATA_DIR) / f"bench-ledger-{import_rows}.xlsx"
        if not path.exists():  # the ledger export's first rows, as an office would re-import it
            print(f"writing {path.name} (once) …", flush=True)
            path.write_bytes(ledger_xlsx(ledger(office, {}, period)[:import_rows], period))
        note = f"{path.stat().st_size / 1e6:.1f} MB"

        def dry_run() -> str:
            result = spreadsheets.ledger_read(str(path))
            if result.ok:
                return (
                    f"{len(result.rows):,} rows: {result.created} new, {result.updated} changed, "
                    f"{result.unchanged} same"
                )
            return f"refused: {result.errors[0]}"[:160]

        job("import", f"dry-run import ({note})", dry_run)

        def calamine() -> str:
            try:
                from python_calamine import CalamineWorkbook
            except ImportError:
                return "python-calamine not installed"
            rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
            return f"{len(rows) - 1:,} rows"

        job("import", "python-calamine parse of the same file", calamine)


# ------------------------------------------------------------------ the parent: cockpit throughput with wrk


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(base: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"ducha serve stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"ducha serve did not answer /healthz within {seconds:.0f} s")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


def _status(opener: urllib.request.OpenerDirector, request: urllib.request.Request) -> tuple[int, str]:
    """The status and body of one request, a redirect or an error included."""
    try:
        with opener.open(request, timeout=600) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as answer:
        return answer.code, ""


def _sign_in(base: str, username: str, password: str) -> str:
    """Sign in through the login form as a browser does; the Cookie header of the signed-in session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    status, page = _status(opener, urllib.request.Request(f"{base}/accounts/login/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not token:
        raise RuntimeError(f"the login page answered {status} without a CSRF token")
    form = {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
    status, _page = _status(
        opener, urllib.request.Request(f"{base}/accounts/login/", urllib.parse.urlencode(form).encode())
    )
    if status != 302:  # a signed-in user is sent on; 200 is the form again with its error
        raise RuntimeError(f"signing in as {username} answered {status}: wrong DUCHA_DEMO_PASSWORD?")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _cockpit_status(base: str, cookie: str) -> int:
    request = urllib.request.Request(f"{base}/cockpit/", headers={"Cookie": cookie})
    return _status(urllib.request.build_opener(_NoRedirect), request)[0]


def _throughput(size: str, target: str, args) -> dict:
    """`ducha serve --workers 2` on this size, signed in as office, wrk against /cockpit/; one record."""
    record = {"size": size, "kind": "wrk", "note": ""}
    env = _environment(target)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    # `ducha serve` as the console command runs it, from this checkout (as the child: ROOT is the working dir)
    serve = [sys.executable, "-m", "ducha.cli", "serve", "--workers", "2", "--host", "127.0.0.1"]
    serve += ["--port", str(port), "--no-migrate"]
    print(f"[{size}] wrk: ducha {' '.join(serve[3:])} …", flush=True)
    with (
        tempfile.NamedTemporaryFile("w+", prefix="bench-serve-", suffix=".log") as log,
        tempfile.NamedTemporaryFile("w", prefix="bench-wrk-", suffix=".lua") as script,
    ):
        script.write(WRK_SCRIPT)
        script.flush()
        # its own process group: stopping the server stops its workers too
        server = subprocess.Popen(
            serve, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_until_up(base, server)
            cookie = _sign_in(base, "office", env["DUCHA_DEMO_PASSWORD"])
            started = time.perf_counter()
            status = _cockpit_status(base, cookie)
            record["warmup_ms"] = (time.perf_counter() - started) * 1000
            if status != 200:
                raise RuntimeError(f"/cockpit/ answered {status} to the signed-in session")
            command = [
                WRK,
                f"-t{WRK_THREADS}",
                f"-c{WRK_CONNECTIONS}",
                f"-d{args.wrk_duration:g}s",
                "--timeout",
                f"{args.wrk_timeout:g}s",
                "-s",
                script.name,
                "-H",
                f"Cookie: {cookie}",
                f"{base}/cockpit/",
            ]
            record["command"] = " ".join(command[:6]) + " … /cockpit/"
            print(f"[{size}] wrk: {record['command']} (warm-up {_ms(record['warmup_ms'])} ms)", flush=True)
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=args.wrk_duration + args.wrk_timeout + 60,
            )
            for line in done.stdout.splitlines():
                if line.startswith("WRK "):
                    record.update(json.loads(line[4:]))
                else:
                    print(f"[{size}]   {line}", flush=True)
            if "requests" not in record:
                raise RuntimeError(f"wrk exit code {done.returncode}: {done.stderr.strip()[:200]}")
            record["rps"] = record["requests"] / (record["duration_us"] / 1e6)
            if not record[
                "requests"
            ]:  # wrk reports 0 µs then; requests still running at the end are not counted
                record["p50_us"] = record["p99_us"] = record["max_us"] = None
                record["note"] = "no request finished within the run: try a longer --wrk-duration"
            record["errors"] = sum(record[k] for k in ("connect", "read", "write", "timeout"))
            if _cockpit_status(base, cookie) != 200:
                record["note"] = "the session no longer answered 200 after wrk"
        except Exception as exc:  # noqa: BLE001 - a failure is a finding to print
            record["note"] = f"failed: {exc}"[:200]
            log.seek(0)
            tail = log.read().splitlines()[-10:]
            print("\n".join(f"[{size}]   serve: {line}" for line in tail), flush=True)
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGINT)  # gunicorn: quick shutdown, workers included
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()
    if "rps" in record:
        median = None if record["p50_us"] is None else record["p50_us"] / 1000
        print(
            f"[{size}]   cockpit throughput: {record['rps']:.2f} requests/s, median {_ms(median)} ms, "
            f"{record['non2xx']} outside 2xx, {record['errors']} errors",
            flush=True,
        )
    return record


# ------------------------------------------------------------------ the parent: both sizes, one table


def _environment(target: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DUCHA_TODAY", "2020-12-20")  # the demo's business date (as `ducha demo` sets it)
    env.setdefault("DUCHA_DEMO_PASSWORD", "bench-password-1")
    env.setdefault("DUCHA_REQUIRE_2FA", "")
    env.pop("DEBUG", None)
    if target.startswith(("postgres://", "postgresql://")):
        env["DATABASE_URL"] = target
        # secret key, sessions' files and the import file of this database, kept between runs
        env["DUCHA_DATA_DIR"] = str(Path(tempfile.gettempdir()) / f"bench-scale-{target.rsplit('/', 1)[-1]}")
    else:
        env.pop("DATABASE_URL", None)
        env["DUCHA_DATA_DIR"] = target
    return env


def _measure(size: str, target: str, args) -> list[dict]:
    command = [
        sys.executable,
        __file__,
        "--child",
        size,
        "--runs",
        str(args.runs),
        "--timeout",
        str(args.timeout),
    ]
    command += [
        "--slow",
        str(args.slow),
        "--only",
        ",".join(args.wanted),
        "--import-rows",
        str(args.import_rows),
    ]
    print(f"[{size}] {target} …", flush=True)
    records = []
    with subprocess.Popen(
        command, env=_environment(target), stdout=subprocess.PIPE, text=True, cwd=ROOT
    ) as child_process:
        for line in child_process.stdout:
            if line.startswith("RESULT "):
                record = json.loads(line[7:])
                records.append(record)
                if record["kind"] != "info":
                    what = record.get("label") or record["key"]
                    note = record.get("note") or record.get("status") or ""
                    print(f"[{size}]   {what}: {_ms(record['ms'])} ms {note}", flush=True)
            else:
                print(f"[{size}] {line.rstrip()}", flush=True)
    if child_process.returncode:
        print(f"[{size}] the child stopped with exit code {child_process.returncode}", flush=True)
    if "wrk" in args.wanted:
        records.append(_throughput(size, target, args))
    return records


def _ms(value) -> str:
    return "—" if value is None else f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _n(value) -> str:
    return "—" if value is None else str(value)


def _ratio(big, demo) -> str:
    if big is None or not demo:
        return "—"
    return f"×{big / demo:,.1f}"


def report(demo: list[dict], big: list[dict], runs: int) -> None:
    info = {r["size"]: r for r in demo + big if r["kind"] == "info"}
    for size in ("demo", "big"):
        if size in info:
            i = info[size]
            print(
                f"{size}: {i['projects']:,} projects, {i['reports']:,} monthly reports ({i['vendor']}, "
                f"current period {i['period']})"
            )
    pages = {(r["size"], r["key"]): r for r in demo + big if r["kind"] == "page"}
    if pages:
        print()
        print(
            "| page | demo ms | demo SQL ms | demo queries | big ms | big SQL ms | big queries | big/demo |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for key, label in PAGES:
        d, b = pages.get(("demo", key)), pages.get(("big", key))
        if not d and not b:
            continue
        d = d or {}
        b = b or {}
        star = "*" if b.get("runs") == 1 and runs > 1 else ""
        bad = "".join(f" ({r['status']})" for r in (d, b) if r and r.get("status") != 200)
        print(
            f"| {label}{bad} | {_ms(d.get('ms'))} | {_ms(d.get('sql_ms'))} | {_n(d.get('queries'))} | "
            f"{_ms(b.get('ms'))}{star} | {_ms(b.get('sql_ms'))} | {_n(b.get('queries'))} | "
            f"{_ratio(b.get('ms'), d.get('ms'))} |"
        )
    slow = [r for r in big if r["kind"] in ("page", "job") and (r.get("slowest_ms") or 0) >= 100]
    if slow:
        print("\nThe slowest query of each big-size measurement that spent 100 ms or more in one query:")
        for r in slow:
            what = r.get("label") or dict(PAGES).get(r["key"], r["key"])
            print(f"- {what}: {_ms(r['slowest_ms'])} ms in `{r['slowest_sql']}`")
    jobs = [r for r in demo + big if r["kind"] == "job"]
    if jobs:
        print()
        print("| job | size | ms | SQL ms | queries | note |")
        print("|---|---|---:|---:|---:|---|")
        for r in jobs:
            print(
                f"| {r['label']} | {r['size']} | {_ms(r['ms'])} | {_ms(r['sql_ms'])} | "
                f"{_n(r['queries'])} | {r['note']} |"
            )
    wrk = {r["size"]: r for r in demo + big if r["kind"] == "wrk"}
    if wrk:
        d, b = wrk.get("demo", {}), wrk.get("big", {})
        command = (d or b).get("command") or "wrk"
        print(f"\nCockpit throughput, `ducha serve --workers 2`, `{command}`:\n")
        print("| /cockpit/ | demo | big | big/demo |")
        print("|---|---:|---:|---:|")
        rows = [
            ("requests/s", "rps", lambda v: f"{v:,.2f}"),
            ("latency median ms", "p50_us", lambda v: _ms(v / 1000)),
            ("latency 99th percentile ms", "p99_us", lambda v: _ms(v / 1000)),
            ("requests", "requests", str),
            ("responses outside 2xx", "non2xx", str),
            ("errors (connect, read, write, timeout)", "errors", str),
        ]
        for label, key, fmt in rows:
            dv, bv = d.get(key), b.get(key)
            ratio = _ratio(bv, dv) if key in ("rps", "p50_us", "p99_us") else ""
            print(
                f"| {label} | {'—' if dv is None else fmt(dv)} | {'—' if bv is None else fmt(bv)} | {ratio} |"
            )
        for r in (d, b):
            if r.get("note"):
                print(f"- {r['size']}: {r['note']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--demo", default="/tmp/bench-demo", help="demo data dir or postgres:// URL")
    parser.add_argument("--big", default="/tmp/bench-data", help="generated data dir or postgres:// URL")
    parser.add_argument("--runs", type=int, default=5, help="requests per page (the median is shown)")
    parser.add_argument("--skip", default="", help="comma-separated measurements to leave out")
    parser.add_argument("--only", default="", help="comma-separated measurements to run (default all)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per measurement; see above")
    parser.add_argument(
        "--slow", type=float, default=10, help="seconds: a slower page is requested only once"
    )
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument(
        "--wrk-duration", type=float, default=20, help="seconds of wrk load on the cockpit (wrk -d)"
    )
    parser.add_argument(
        "--wrk-timeout",
        type=float,
        default=60,
        help="seconds before wrk counts a request as timed out (wrk's own default, 2 s, is below the big cockpit)",
    )
    parser.add_argument("--sizes", default="demo,big", help="demo, big or both")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    names = [key for key, _label in PAGES] + JOBS + ["wrk"]
    wanted = set(args.only.split(",")) if args.only else set(names)
    wanted -= set(args.skip.split(","))
    unknown = wanted - set(names)
    if unknown:
        parser.error(f"unknown measurement(s) {', '.join(sorted(unknown))}; known: {', '.join(names)}")
    args.wanted = sorted(wanted)
    if args.child:
        child(args.child, args.runs, wanted, args.timeout, args.slow, args.import_rows)
        return
    started = time.perf_counter()
    sizes = args.sizes.split(",")
    demo = _measure("demo", args.demo, args) if "demo" in sizes else []
    big = _measure("big", args.big, args) if "big" in sizes else []
    print()
    report(demo, big, args.runs)
    print(
        f"\n{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {time.perf_counter() - started:.0f} s in all"
    )


if __name__ == "__main__":
    main()
