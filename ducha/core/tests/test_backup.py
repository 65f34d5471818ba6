"""The backup and restore drill, with the real `ducha` command on the database engine of this test run
(SQLite in a temporary data directory; on PostgreSQL a scratch database made for the drill and dropped after):

data → `ducha backup` → wipe (tables, attachments, secret key) → `ducha restore --force` → the same rows, the
photo served again, the audit chain intact. A backup that is changed, incomplete or of the other engine is
refused before anything changes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from ducha.core import backup
from ducha.core.backup import BackupError, Manifest, backup_verify, file_sha256, pg_tool_choose

ENGINE = "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"
DATABASE_FILE = backup.DATABASE_FILES[ENGINE]
PHOTO = b"\xff\xd8\xff\xe0" + b"site photo of the plant " * 40

# Run inside `ducha shell`: what an office and a park make in a month — units, users, a project with its
# monthly report, a supervision round whose visit carries a site photo (stored as the app stores attachments).
MAKE_DATA = """
import datetime, json
from decimal import Decimal
from django.core.files.uploadedfile import SimpleUploadedFile
from ducha.accounts.models import Role, User
from ducha.core.audit import acting_as
from ducha.projects.models import Project
from ducha.projects.services import progress_report_submit, project_save
from ducha.supervision.models import SupervisionRound
from ducha.supervision.services import visit_add
from ducha.units.models import PeerGroup, Unit, UnitKind

park = Unit.objects.create(name="金坛区金科园", short_name="金科园", kind=UnitKind.PARK, peer_group=PeerGroup.PARKS)
Unit.objects.create(name="区住建局", short_name="住建局", kind=UnitKind.DEPARTMENT, peer_group=PeerGroup.DEPARTMENTS)
office = User.objects.create_user(username="office", password="pw-for-tests-1", role=Role.OFFICE)
staff = User.objects.create_user(username="jinkeyuan", password="pw-for-tests-1", role=Role.UNIT, unit=park)
with acting_as(office):
    project = project_save(project=Project(name="飞荣达高性能导电导热材料项目", unit=park, total_investment=200000))
with acting_as(staff):
    progress_report_submit(
        project=project, user=staff, year=2020, month=3, investment_month=Decimal("1200"),
        investment_ytd=Decimal("3500"), stage="started", narrative="主体厂房封顶",
    )
with acting_as(office):
    rnd = SupervisionRound.objects.create(
        title="2020年第二次集中现场督查", year=2020, date=datetime.date(2020, 4, 18), leaders="狄志强"
    )
visit = visit_add(user=office, round=rnd, project=project, files=[SimpleUploadedFile("厂房.jpg", PHOTO_BYTES)])
photo = visit.attachments.get()
print(json.dumps({"attachment": photo.pk, "file": photo.file.name}))
"""

# Run inside `ducha shell` after the restore: the office opens the photo; the audit chain is verified.
SERVE_AND_VERIFY = """
import hashlib, json
from django.test import Client
from django.urls import reverse
from ducha.accounts.models import User

client = Client(HTTP_HOST="localhost")
client.force_login(User.objects.get(username="office"))
response = client.get(reverse("supervision:attachment", args=[ATTACHMENT]))
body = b"".join(response.streaming_content) if response.streaming else response.content
try:
    from ducha.core.audit import audit_chain_verify
except ImportError:
    try:
        from ducha.core.audit_chain import audit_chain_verify
    except ImportError:
        audit_chain_verify = None
chain = None
if audit_chain_verify is not None:
    status = audit_chain_verify()
    chain = {"ok": bool(getattr(status, "ok", status)), "checked": getattr(status, "checked", None),
             "detail": repr(status)}
print(json.dumps({"status": response.status_code, "sha256": hashlib.sha256(body).hexdigest(), "chain": chain}))
"""


@dataclass
class Drill:
    root: Path
    env: dict[str, str]
    database_url: str | None
    backup: Path
    attachment_file: str
    backup_run: subprocess.CompletedProcess
    restore_run: subprocess.CompletedProcess
    counts_before: dict[str, int]
    counts_after: dict[str, int]
    secret_key_before: bytes
    served: dict

    @property
    def data_dir(self) -> Path:
        return Path(self.env["DUCHA_DATA_DIR"])

    def ducha(self, *args: str) -> subprocess.CompletedProcess:
        return run_ducha(self.env, self.root, *args)

    def row_counts(self) -> dict[str, int]:
        return row_counts(self.data_dir, self.database_url)


def run_ducha(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess:
    # umask 022, as in a login shell or cron: ducha itself must keep the backup private.
    return subprocess.run(
        [sys.executable, "-m", "ducha.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
        umask=0o022,
    )


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _pg_connect(database: str):
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname=database,
        autocommit=True,
    )


def _pg_url(database: str) -> str:
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{database}"


def row_counts(data_dir: Path, database_url: str | None) -> dict[str, int]:
    """Rows per table, read with the database's own driver (not through ducha)."""
    if database_url is None:
        con = sqlite3.connect(data_dir / "ducha.sqlite3")
        try:
            names = [
                row[0]
                for row in con.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
        finally:
            con.close()
    with _pg_connect(database_url.rsplit("/", 1)[1]) as con:
        names = [
            row[0]
            for row in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )
        ]
        return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def wipe(data_dir: Path, database_url: str | None) -> None:
    """What a lost server leaves: tables gone (one stray table instead), no attachments, no secret key."""
    if database_url is None:
        database = data_dir / "ducha.sqlite3"
        con = sqlite3.connect(database)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA wal_autocheckpoint=0")
        con.execute("PRAGMA foreign_keys=OFF")
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in tables:
            if not name.startswith("sqlite_"):
                con.execute(f'DROP TABLE "{name}"')
        con.execute("CREATE TABLE left_over (x integer)")
        con.execute("INSERT INTO left_over VALUES (1)")
        con.commit()
        # The write-ahead log of a server that stopped abruptly: the restore must not replay it.
        shutil.copyfile(f"{database}-wal", data_dir / "crashed-wal")
        con.close()
        shutil.move(data_dir / "crashed-wal", f"{database}-wal")
    else:
        with _pg_connect(database_url.rsplit("/", 1)[1]) as con:
            con.execute("DROP SCHEMA public CASCADE")
            con.execute("CREATE SCHEMA public")
            con.execute("CREATE TABLE left_over (x integer)")
            con.execute("INSERT INTO left_over VALUES (1)")
    shutil.rmtree(data_dir / "private")
    (data_dir / "secret_key").unlink()


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
    root = tmp_path_factory.mktemp("drill")
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(DUCHA_DATA_DIR=str(root / "data"), DUCHA_REQUIRE_2FA="")
    database_url = None
    if ENGINE == "postgresql":
        scratch = f"ducha_backup_drill_{uuid.uuid4().hex[:8]}"
        with _pg_connect("postgres") as con:
            con.execute(f'CREATE DATABASE "{scratch}"')
        database_url = env["DATABASE_URL"] = _pg_url(scratch)
    try:
        ok(run_ducha(env, root, "migrate", "-v0"))
        made = json.loads(
            ok(run_ducha(env, root, "shell", "-c", MAKE_DATA.replace("PHOTO_BYTES", repr(PHOTO))))
            .stdout.strip()
            .splitlines()[-1]
        )
        data_dir = root / "data"
        counts_before = row_counts(data_dir, database_url)
        secret_key_before = (data_dir / "secret_key").read_bytes()
        backup_run = ok(run_ducha(env, root, "backup", str(root / "backups" / "2020-04-18")))
        wipe(data_dir, database_url)
        restore_run = ok(run_ducha(env, root, "restore", str(root / "backups" / "2020-04-18"), "--force"))
        counts_after = row_counts(data_dir, database_url)
        script = SERVE_AND_VERIFY.replace("ATTACHMENT", str(made["attachment"]))
        served = json.loads(ok(run_ducha(env, root, "shell", "-c", script)).stdout.strip().splitlines()[-1])
        yield Drill(
            root=root,
            env=env,
            database_url=database_url,
            backup=root / "backups" / "2020-04-18",
            attachment_file=made["file"],
            backup_run=backup_run,
            restore_run=restore_run,
            counts_before=counts_before,
            counts_after=counts_after,
            secret_key_before=secret_key_before,
            served=served,
        )
    finally:
        if database_url is not None:
            with _pg_connect("postgres") as con:
                con.execute(f'DROP DATABASE IF EXISTS "{database_url.rsplit("/", 1)[1]}" WITH (FORCE)')


# ---- The drill -------------------------------------------------------------------------------------------


def test_backup_holds_the_database_the_photo_and_the_secret_key_in_private_files(drill):
    manifest = json.loads((drill.backup / "MANIFEST.json").read_text())
    paths = {f["path"] for f in manifest["files"]}
    assert paths == {DATABASE_FILE, "secret_key", f"private/{drill.attachment_file}"}
    assert manifest["engine"] == ENGINE and manifest["ducha_version"] and manifest["created"]
    for entry in manifest["files"]:
        assert file_sha256(drill.backup / entry["path"]) == entry["sha256"]
        assert (drill.backup / entry["path"]).stat().st_size == entry["size"]
    for path in [drill.backup, *drill.backup.rglob("*")]:
        assert oct(path.stat().st_mode & 0o777) == ("0o700" if path.is_dir() else "0o600"), path
    output = drill.backup_run.stdout
    assert DATABASE_FILE in output and "secret_key" in output and re.search(r"private/ +1 file,", output)


def test_backup_of_sqlite_is_a_self_contained_file(drill):
    if ENGINE != "sqlite":
        pytest.skip("SQLite only")
    assert not list(drill.backup.glob("db.sqlite3-*"))
    assert (drill.backup / "db.sqlite3").read_bytes()[18:20] == b"\x01\x01"  # rollback journal, not WAL


def test_restore_brings_back_every_row_of_every_table(drill):
    assert drill.counts_before["projects_project"] == 1
    assert drill.counts_before["projects_progressreport"] == 1
    assert drill.counts_before["supervision_attachment"] == 1
    assert drill.counts_before["auditlog_logentry"] > 0
    assert drill.counts_after == drill.counts_before  # the stray table is gone too
    assert "Restored:" in drill.restore_run.stdout


def test_restored_photo_is_back_and_served_to_the_office(drill):
    stored = drill.data_dir / "private" / drill.attachment_file
    assert stored.read_bytes() == PHOTO
    assert drill.served["status"] == 200
    assert drill.served["sha256"] == hashlib.sha256(PHOTO).hexdigest()


def test_restored_secret_key_is_the_original(drill):
    assert (drill.data_dir / "secret_key").read_bytes() == drill.secret_key_before
    assert oct((drill.data_dir / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_audit_trail_still_verifies_after_the_restore(drill):
    if drill.served["chain"] is None:
        pytest.skip(
            "no audit_chain_verify in ducha.core.audit or ducha.core.audit_chain yet (issue 11, item 1)"
        )
    assert drill.served["chain"]["ok"], drill.served["chain"]["detail"]


# ---- Refused backups: nothing changes ----------------------------------------------------------------------


def _state(drill) -> tuple:
    photo = drill.data_dir / "private" / drill.attachment_file
    return drill.row_counts(), (drill.data_dir / "secret_key").read_bytes(), photo.read_bytes()


def _refused(drill, backup_dir: Path, *args: str) -> str:
    before = _state(drill)
    result = drill.ducha("restore", str(backup_dir), *args)
    assert result.returncode != 0
    assert _state(drill) == before
    return result.stderr


def test_a_backup_with_one_changed_byte_is_refused_naming_the_file(drill, tmp_path):
    copy = Path(shutil.copytree(drill.backup, tmp_path / "backup"))
    database = copy / DATABASE_FILE
    data = bytearray(database.read_bytes())
    data[len(data) // 2] ^= 0x01
    database.write_bytes(bytes(data))
    error = _refused(drill, copy, "--force")
    assert f"{DATABASE_FILE}: SHA-256 differs" in error and "nothing was changed" in error


def test_a_backup_with_a_file_not_in_the_manifest_is_refused(drill, tmp_path):
    copy = Path(shutil.copytree(drill.backup, tmp_path / "backup"))
    (copy / "private" / "supervision" / "planted.jpg").write_bytes(PHOTO)
    assert "private/supervision/planted.jpg: not listed in MANIFEST.json" in _refused(drill, copy, "--force")


def test_a_backup_missing_a_listed_file_is_refused(drill, tmp_path):
    copy = Path(shutil.copytree(drill.backup, tmp_path / "backup"))
    (copy / "private" / drill.attachment_file).unlink()
    assert f"private/{drill.attachment_file}: listed in MANIFEST.json but missing" in _refused(
        drill, copy, "--force"
    )


def test_a_backup_without_its_manifest_is_refused(drill, tmp_path):
    copy = Path(shutil.copytree(drill.backup, tmp_path / "backup"))
    (copy / "MANIFEST.json").unlink()
    assert "MANIFEST.json is missing" in _refused(drill, copy, "--force")


def test_a_backup_of_the_other_database_engine_is_refused(drill, tmp_path):
    copy = Path(shutil.copytree(drill.backup, tmp_path / "backup"))
    manifest = json.loads((copy / "MANIFEST.json").read_text())
    other = "sqlite" if ENGINE == "postgresql" else "postgresql"
    manifest["engine"] = other
    for entry in manifest["files"]:
        if entry["path"] == DATABASE_FILE:
            entry["path"] = backup.DATABASE_FILES[other]
    (copy / DATABASE_FILE).rename(copy / backup.DATABASE_FILES[other])
    (copy / "MANIFEST.json").write_text(json.dumps(manifest))
    assert "restoring across database engines is not supported" in _refused(drill, copy, "--force")


def test_restore_without_force_and_without_a_terminal_changes_nothing_and_says_to_pass_force(drill):
    assert "Pass --force" in _refused(drill, drill.backup)


# ---- Without a database ----------------------------------------------------------------------------------


def _backup_dir(tmp_path: Path, files: dict[str, bytes], engine: str = "sqlite") -> Path:
    """A backup directory with a manifest matching `files`."""
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    manifest = Manifest(
        ducha_version="0.1.0",
        created="2020-04-18T09:00:00+08:00",
        engine=engine,
        secret_key_source="file",
        files=tuple(
            backup.BackupFile(path=name, size=len(content), sha256=hashlib.sha256(content).hexdigest())
            for name, content in files.items()
        ),
    )
    (tmp_path / "MANIFEST.json").write_text(manifest.to_json())
    return tmp_path


GOOD = {"db.sqlite3": b"SQLite format 3\x00", "secret_key": b"k" * 50, "private/supervision/a.jpg": PHOTO}


def test_an_intact_backup_verifies(tmp_path):
    manifest = backup_verify(_backup_dir(tmp_path, GOOD))
    assert {f.path for f in manifest.files} == set(GOOD) and manifest.database_file == "db.sqlite3"


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: (d / "secret_key").write_bytes(b"K" * 50), "secret_key: SHA-256 differs"),
        (lambda d: (d / "secret_key").write_bytes(b"k" * 49), "secret_key: 49 bytes, MANIFEST.json says 50"),
        (lambda d: (d / "private/supervision/a.jpg").unlink(), "private/supervision/a.jpg: listed in"),
        (lambda d: (d / "notes.txt").write_text("x"), "notes.txt: not listed in MANIFEST.json"),
        (lambda d: (d / "MANIFEST.json").write_text("{"), "MANIFEST.json cannot be read"),
        (lambda d: (d / "MANIFEST.json").unlink(), "MANIFEST.json is missing"),
        (lambda d: (d / "link").symlink_to(d / "secret_key"), "link is a symbolic link"),
    ],
)
def test_a_damaged_backup_is_refused_naming_the_file(tmp_path, damage, message):
    directory = _backup_dir(tmp_path, GOOD)
    damage(directory)
    with pytest.raises(BackupError, match="refused|cannot be read") as refused:
        backup_verify(directory)
    assert message in str(refused.value)


def test_a_manifest_path_outside_the_backup_is_refused(tmp_path):
    directory = _backup_dir(tmp_path, GOOD)
    manifest = json.loads((directory / "MANIFEST.json").read_text())
    manifest["files"][0]["path"] = "../data/ducha.sqlite3"
    (directory / "MANIFEST.json").write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="not a path inside the backup"):
        backup_verify(directory)


def test_a_backup_without_a_database_file_is_refused(tmp_path):
    directory = _backup_dir(tmp_path, {"secret_key": b"k" * 50})
    with pytest.raises(BackupError, match="db.sqlite3: not in the backup"):
        backup_verify(directory)


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path):
    (tmp_path / "earlier.txt").write_text("x")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path))
    assert [p.name for p in tmp_path.iterdir()] == ["earlier.txt"]


D15, D16, D13 = (
    Path("/usr/lib/postgresql/15/bin/pg_dump"),
    Path("/usr/lib/postgresql/16/bin/pg_dump"),
    Path("/x/13"),
)


@pytest.mark.parametrize(
    "found, chosen",
    [
        ([(D16, 16), (D15, 15)], D15),  # the server's own version first
        ([(D13, 13), (D16, 16)], D16),  # else a newer one: pg_dump reads older servers
        ([(Path("/usr/bin/pg_dump"), 15), (D16, 16)], Path("/usr/bin/pg_dump")),
    ],
)
def test_pg_dump_of_the_servers_major_version_is_preferred(found, chosen):
    assert pg_tool_choose("pg_dump", 15, found) == chosen


def test_a_missing_or_older_pg_dump_is_a_clear_error():
    with pytest.raises(BackupError, match="pg_dump not found.*postgresql-client-15"):
        pg_tool_choose("pg_dump", 15, [])
    with pytest.raises(BackupError, match="pg_dump is older than the PostgreSQL 15 server"):
        pg_tool_choose("pg_dump", 15, [(D13, 13)])


@pytest.mark.skipif(ENGINE != "postgresql", reason="PostgreSQL only")
def test_backup_without_pg_dump_fails_with_a_command_error_and_leaves_no_directory(db, tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "_pg_tool_candidates", lambda name: [])
    with pytest.raises(CommandError, match="pg_dump not found"):
        call_command("backup", str(tmp_path / "backup"))
    assert not (tmp_path / "backup").exists()
