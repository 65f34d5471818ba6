"""SQLite under writes: a sign-in and a page view succeed while a 5,000-row ledger import is being stored.

Runs the import and the sign-in as separate processes against one SQLite file, as `ducha serve` and
`ducha import_projects` would. The test database of the other tests is in memory, so this one builds its own.
"""

import os
import sqlite3
import subprocess
import sys
import time

import pytest
from django.db import connection
from openpyxl import Workbook

from ducha.projects import spreadsheets
from ducha.projects.models import Industry, Project

from .test_import import HEADER, row, workbook

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the single write lock is SQLite's; PostgreSQL locks rows"
)

PASSWORD = "Demo-pw-for-import-1"

SIGN_IN = """
import os, time, django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
client = Client()
began = time.monotonic()
answer = client.post("/accounts/login/", {"username": "leader", "password": os.environ["DUCHA_DEMO_PASSWORD"]})
home = client.get("/")
print(answer.status_code, answer.get("Location"), home.status_code, round(time.monotonic() - began, 2))
"""


def _environment(data_dir) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DUCHA_DATA_DIR": str(data_dir),
        "DUCHA_DEMO_PASSWORD": PASSWORD,
        "DUCHA_REQUIRE_2FA": "",
        "DJANGO_SETTINGS_MODULE": "ducha.settings",
    }


def _ducha(*args):
    return [sys.executable, "-c", "from ducha.cli import main; main()", *args]


def _imported(database) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        return db.execute("select count(*) from projects_project where name like '导入测试%'").fetchone()[0]


def test_a_sign_in_succeeds_during_a_5000_row_import(tmp_path):
    env = _environment(tmp_path / "data")
    subprocess.run(_ducha("demo", "--load-only"), env=env, check=True, capture_output=True)
    ledger = tmp_path / "ledger.xlsx"
    book = Workbook()
    book.active.append(HEADER)
    for i in range(5000):
        values = row(**{"项目名称": f"导入测试{i:05d}", "国家项目代码": ""})
        book.active.append([values[h] for h in HEADER])
    book.save(ledger)

    importing = subprocess.Popen(
        _ducha("import_projects", str(ledger), "--user", "office"),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        database = tmp_path / "data" / "ducha.sqlite3"
        deadline = time.monotonic() + 600
        while _imported(database) == 0:  # the file is checked first; wait until rows are being stored
            assert importing.poll() is None, importing.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.2)

        signing_in = subprocess.run(
            [sys.executable, "-c", SIGN_IN], env=env, capture_output=True, text=True, timeout=120
        )
        assert signing_in.returncode == 0, signing_in.stderr[-2000:]
        status, location, home, _seconds = signing_in.stdout.split()
        assert (status, location, home) == ("302", "/", "200"), signing_in.stderr[-2000:]
        assert importing.poll() is None, "the import ended before the sign-in: nothing was measured"
        assert 0 < _imported(database) < 5000
    finally:
        importing.kill()
        importing.wait()


@pytest.mark.django_db(transaction=True)
def test_a_failing_turn_says_which_row_and_how_many_were_stored(units, monkeypatch):
    Industry.objects.create(name="新能源汽车")
    from ducha.projects import services

    save = services.project_save

    def failing_on_the_third(*, project, **kwargs):
        if project.name == "第三个":
            raise RuntimeError("disk full")
        return save(project=project, **kwargs)

    monkeypatch.setattr(services, "project_save", failing_on_the_third)
    names = ["第一个", "第二个", "第三个", "第四个"]
    ledger = spreadsheets.ledger_read(workbook(*(row(项目名称=n, 国家项目代码="") for n in names)))
    assert ledger.ok, ledger.errors
    with pytest.raises(spreadsheets.LedgerStoreInterrupted) as stopped:
        spreadsheets.ledger_store(ledger=ledger)
    stored = stopped.value.stored
    assert stopped.value.row == 4 and 1 <= stored <= 2  # the header is row 1; turns grow after the first row
    assert stopped.value.first_unstored == stored + 2 and "disk full" in str(stopped.value)
    assert sorted(Project.objects.values_list("name", flat=True)) == sorted(names[:stored])
