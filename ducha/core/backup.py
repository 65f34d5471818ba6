"""Backups of a ducha installation and their restore (`ducha backup DIR`, `ducha restore DIR`).

A backup is a directory holding everything needed to bring ducha back on a new machine:

    db.sqlite3 or db.pgdump   the database: SQLite's online backup (a consistent copy while ducha runs)
                              or `pg_dump --format=custom`
    private/                  the attachments (settings.DUCHA_PRIVATE_ROOT)
    secret_key                the secret key (signed links, sessions, 2FA secrets depend on it)
    MANIFEST.json             ducha's version, the time, the database engine, and every file's size and SHA-256

Every file is 0600 and the directory 0700: the backup holds the secret key and all business data.
A restore refuses a backup whose manifest is missing or does not match its files exactly (naming the file)
and a backup of the other database engine, before it changes anything.

PostgreSQL's client tools are found on PATH or under /usr/lib/postgresql/*/bin (Debian) and /usr/pgsql-*/bin
(RHEL), the one of the server's major version first; DUCHA_PG_BINDIR names their directory explicitly.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "MANIFEST.json"
DATABASE_FILES = {"sqlite": "db.sqlite3", "postgresql": "db.pgdump"}
PRIVATE = "private"
SECRET_KEY = "secret_key"
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700
# Objects the restore makes belong to the restoring user; the first statements run in the same transaction
# as the restore, so that a failed restore leaves the database as it was.
PG_PREPARE = (
    "SET lock_timeout = '60s'; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; "
    "GRANT USAGE ON SCHEMA public TO PUBLIC;"
)


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why (and names the file)."""


@dataclass(frozen=True)
class BackupFile:
    path: str  # relative to the backup directory, with forward slashes
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    ducha_version: str
    created: str
    engine: str
    secret_key_source: str  # "file" (DATA_DIR/secret_key) or "environment" (SECRET_KEY)
    files: tuple[BackupFile, ...]
    format: int = FORMAT

    @property
    def database_file(self) -> str:
        return DATABASE_FILES[self.engine]

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)

    def to_json(self) -> str:
        data = asdict(self)
        data["files"] = [asdict(f) for f in sorted(self.files, key=lambda f: f.path)]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """The manifest read back; BackupError when it is not one of ours."""
        try:
            data = json.loads(text)
            if data["format"] != FORMAT:
                raise BackupError(f"{MANIFEST}: format {data['format']!r} is not {FORMAT}")
            if data["engine"] not in DATABASE_FILES:
                raise BackupError(f"{MANIFEST}: unknown database engine {data['engine']!r}")
            files = tuple(
                BackupFile(path=_safe_path(f["path"]), size=int(f["size"]), sha256=str(f["sha256"]))
                for f in data["files"]
            )
            return cls(
                ducha_version=str(data["ducha_version"]),
                created=str(data["created"]),
                engine=data["engine"],
                secret_key_source=str(data["secret_key_source"]),
                files=files,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupError(f"{MANIFEST} cannot be read ({exc!r}): not a ducha backup") from exc


def _safe_path(path: str) -> str:
    """A manifest path must stay inside the backup directory."""
    pure = PurePosixPath(path)
    if not path or pure.is_absolute() or ".." in pure.parts or str(pure) != path or "\\" in path:
        raise BackupError(f"{MANIFEST}: {path!r} is not a path inside the backup")
    return path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ducha_version() -> str:
    try:
        return metadata.version("ducha")
    except metadata.PackageNotFoundError:
        return "unknown"


def database_engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"backups of {vendor} databases are not supported (only SQLite and PostgreSQL)")
    return vendor


# ---- Reading a backup -----------------------------------------------------------------------------------


def _files_in(directory: Path) -> Iterator[tuple[str, Path]]:
    """(relative path, path) of every file under `directory` except the manifest; symbolic links refused."""
    for folder, dirs, files in os.walk(directory):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            relative = path.relative_to(directory).as_posix()
            if path.is_symlink():
                raise BackupError(f"backup refused, nothing was changed: {relative} is a symbolic link")
            if name in files and relative != MANIFEST:
                yield relative, path


def backup_verify(directory: Path) -> Manifest:
    """The backup's manifest, once every file it lists is present with its size and SHA-256 and no other
    file is there. BackupError naming each file that does not match."""
    if not directory.is_dir():
        raise BackupError(f"{directory} is not a directory")
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(
            f"backup refused, nothing was changed: {MANIFEST} is missing from {directory} "
            "(an incomplete or foreign backup)"
        )
    manifest = Manifest.from_json(manifest_path.read_text(encoding="utf-8"))
    present = dict(_files_in(directory))
    problems = []
    for entry in manifest.files:
        path = present.get(entry.path)
        if path is None:
            problems.append(f"{entry.path}: listed in {MANIFEST} but missing")
        elif path.stat().st_size != entry.size:
            problems.append(f"{entry.path}: {path.stat().st_size} bytes, {MANIFEST} says {entry.size}")
        elif file_sha256(path) != entry.sha256:
            problems.append(
                f"{entry.path}: SHA-256 differs from {MANIFEST} (the file was changed or damaged)"
            )
    listed = {entry.path for entry in manifest.files}
    problems += [f"{extra}: not listed in {MANIFEST}" for extra in sorted(set(present) - listed)]
    for required in (manifest.database_file, SECRET_KEY):
        if required not in listed:
            problems.append(f"{required}: not in the backup")
    if problems:
        raise BackupError("backup refused, nothing was changed:\n  " + "\n  ".join(problems))
    return manifest


# ---- PostgreSQL's client tools ----------------------------------------------------------------------------


def _pg_tool_candidates(name: str) -> list[Path]:
    bindir = os.environ.get("DUCHA_PG_BINDIR")
    if bindir:
        return [Path(bindir) / name] if (Path(bindir) / name).is_file() else []
    found = [shutil.which(name)]
    found += sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    found += sorted(glob.glob(f"/usr/pgsql-*/bin/{name}"))
    return [Path(p) for p in dict.fromkeys(found) if p]


def _tool_major(path: Path) -> int | None:
    """15 for "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"."""
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return None
    match = re.search(r"\)\s+(\d+)", out)
    return int(match.group(1)) if match else None


def pg_tool_choose(name: str, server_major: int, found: Iterable[tuple[Path, int | None]]) -> Path:
    """The tool of the server's major version, else the oldest newer one (pg_dump reads older servers);
    BackupError saying what to install when there is none."""
    versions = [(major, path) for path, major in found if major is not None]
    for major, path in versions:
        if major == server_major:
            return path
    newer = sorted((major, str(path)) for major, path in versions if major > server_major)
    if newer:
        return Path(newer[0][1])
    hint = (
        f"install the PostgreSQL {server_major} client tools "
        f"(Debian: apt-get install postgresql-client-{server_major}) or set DUCHA_PG_BINDIR to their directory"
    )
    if versions:
        older = ", ".join(f"{path} ({major})" for major, path in versions)
        raise BackupError(f"{name} is older than the PostgreSQL {server_major} server: {older}; {hint}")
    searched = os.environ.get("DUCHA_PG_BINDIR") or "PATH, /usr/lib/postgresql/*/bin and /usr/pgsql-*/bin"
    raise BackupError(f"{name} not found in {searched}; {hint}")


def pg_tool(name: str, server_major: int) -> Path:
    return pg_tool_choose(name, server_major, ((p, _tool_major(p)) for p in _pg_tool_candidates(name)))


def _pg_server_major(alias: str = "default") -> int:
    connection = connections[alias]
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        raise BackupError(f"cannot connect to the database: {exc}") from exc
    version = int(connection.pg_version)  # type: ignore[attr-defined]  # e.g. 150020
    return version // 10000


def _pg_env(alias: str = "default") -> dict[str, str]:
    """libpq's variables for the tools: the connection of settings.DATABASES, the password out of argv."""
    db = connections[alias].settings_dict
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", db.get("HOST")),
        ("PGPORT", db.get("PORT")),
        ("PGUSER", db.get("USER")),
        ("PGPASSWORD", db.get("PASSWORD")),
        ("PGDATABASE", db.get("NAME")),
        ("PGSSLMODE", (db.get("OPTIONS") or {}).get("sslmode")),
    ):
        if value:
            env[key] = str(value)
    return env


def _pg_dump(target: Path) -> None:
    pg_dump = pg_tool("pg_dump", _pg_server_major())
    result = subprocess.run(
        [str(pg_dump), "--format=custom", "--no-password", f"--file={target}"],
        env=_pg_env(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"{pg_dump} failed: {result.stderr.strip()}")


def _pg_restore(dump: Path) -> None:
    """Replace the schema `public` with the dump's, all in one transaction (pg_restore's SQL piped to psql).

    If pg_restore or any statement fails, psql is stopped before it commits, and the database is unchanged.
    """
    major = _pg_server_major()
    pg_restore, psql = pg_tool("pg_restore", major), pg_tool("psql", major)
    env = _pg_env()
    connections.close_all()
    restore_cmd = [str(pg_restore), "--no-owner", "--no-privileges", "--file=-", str(dump)]
    psql_cmd = [
        str(psql),
        "--no-psqlrc",
        "--quiet",
        "--no-password",
        "--set=ON_ERROR_STOP=1",
        "--single-transaction",
        f"--command={PG_PREPARE}",
        "--file=-",
    ]
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        consumer = subprocess.Popen(
            psql_cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=psql_err, env=env
        )
        producer = subprocess.Popen(restore_cmd, stdout=subprocess.PIPE, stderr=restore_err, env=env)
        assert producer.stdout is not None and consumer.stdin is not None
        try:
            shutil.copyfileobj(producer.stdout, consumer.stdin, 1 << 20)
            psql_stopped = False
        except BrokenPipeError:  # psql stopped at an error
            psql_stopped = True
            producer.kill()
        producer.stdout.close()
        producer.wait()
        if producer.returncode != 0 and not psql_stopped:
            consumer.kill()  # before end of input: psql never commits
            consumer.wait()
            restore_err.seek(0)
            message = restore_err.read().decode(errors="replace").strip()
            raise BackupError(f"{pg_restore} failed, the database was not changed: {message}")
        try:
            consumer.stdin.close()  # end of input: psql commits
        except BrokenPipeError:
            pass
        consumer.wait()
        if consumer.returncode != 0:
            psql_err.seek(0)
            message = psql_err.read().decode(errors="replace").strip()
            hint = " (is ducha still running? stop it first)" if "lock timeout" in message else ""
            raise BackupError(f"{psql} failed, the database was not changed{hint}: {message}")


# ---- SQLite -------------------------------------------------------------------------------------------------


def _sqlite_path(alias: str = "default") -> Path:
    name = str(connections[alias].settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("the database is in memory: there is nothing on disk to back up or restore")
    return Path(name)


def _sqlite_quick_check(connection: sqlite3.Connection, what: str) -> None:
    result = connection.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{what} is damaged: {result}")


def _sqlite_backup(target: Path) -> None:
    """SQLite's online backup in one step: a consistent snapshot even while ducha writes (WAL)."""
    source_path = _sqlite_path()
    if not source_path.is_file():
        raise BackupError(f"the database {source_path} does not exist")
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=rw", uri=True, timeout=60)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            # A self-contained file: the copy would otherwise open in WAL mode and grow -wal/-shm files.
            copy.execute("PRAGMA journal_mode=DELETE")
            _sqlite_quick_check(copy, "the copy of the database")
        finally:
            copy.close()
    finally:
        source.close()


def _sqlite_restore(backup_file: Path) -> None:
    """Copy the backup next to the database, check it, drop the old -wal/-shm and move the copy into place."""
    database = _sqlite_path()
    connections.close_all()
    database.parent.mkdir(parents=True, exist_ok=True)
    staging = database.with_name(database.name + ".restoring")
    shutil.copyfile(backup_file, staging)
    os.chmod(staging, FILE_MODE)
    try:
        check = sqlite3.connect(staging)
        try:
            _sqlite_quick_check(check, backup_file.name)
        finally:
            check.close()
        with staging.open("rb+") as f:
            os.fsync(f.fileno())
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    # A write-ahead log left by the old database would be replayed onto the restored one.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.replace(staging, database)


# ---- Writing a backup ----------------------------------------------------------------------------------------


def _private_root() -> Path:
    return Path(settings.DUCHA_PRIVATE_ROOT)


def _secret_key_file() -> Path:
    return Path(settings.DATA_DIR) / "secret_key"


def _copy_private(source: Path, target: Path) -> None:
    target.mkdir(mode=DIRECTORY_MODE)
    os.chmod(target, DIRECTORY_MODE)
    if not source.is_dir():
        return
    for folder, dirs, files in os.walk(source):  # symbolic links to folders are not followed
        relative = Path(folder).relative_to(source)
        for name in sorted(dirs):
            if not (Path(folder) / name).is_symlink():
                (target / relative / name).mkdir(mode=DIRECTORY_MODE)
                os.chmod(target / relative / name, DIRECTORY_MODE)
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                shutil.copyfile(path, target / relative / name)
                os.chmod(target / relative / name, FILE_MODE)


def _prepare_directory(directory: Path) -> bool:
    """Make the (new or empty) backup directory, 0700; True when it was made here."""
    if directory.exists():
        if not directory.is_dir():
            raise BackupError(f"{directory} exists and is not a directory")
        if any(directory.iterdir()):
            raise BackupError(f"{directory} is not empty: back up into a new directory")
        os.chmod(directory, DIRECTORY_MODE)
        return False
    directory.mkdir(mode=DIRECTORY_MODE, parents=True)
    os.chmod(directory, DIRECTORY_MODE)
    return True


def backup_create(directory: Path, *, now: datetime) -> Manifest:
    """Write a backup into `directory` (new or empty): database first, then attachments, secret key and,
    last, the manifest, so that an interrupted backup has no manifest and is never restored."""
    engine = database_engine()
    made = _prepare_directory(directory)
    try:
        database_file = directory / DATABASE_FILES[engine]
        if engine == "sqlite":
            _sqlite_backup(database_file)
        else:
            _pg_dump(database_file)
        _copy_private(_private_root(), directory / PRIVATE)
        key_file = directory / SECRET_KEY
        if os.environ.get("SECRET_KEY"):
            key_file.write_text(os.environ["SECRET_KEY"] + "\n", encoding="utf-8")
            key_source = "environment"
        else:
            shutil.copyfile(_secret_key_file(), key_file)
            key_source = "file"
        files = []
        for relative, path in _files_in(directory):
            os.chmod(path, FILE_MODE)
            files.append(BackupFile(path=relative, size=path.stat().st_size, sha256=file_sha256(path)))
        manifest = Manifest(
            ducha_version=ducha_version(),
            created=timezone.localtime(now).isoformat(timespec="seconds"),
            engine=engine,
            secret_key_source=key_source,
            files=tuple(files),
        )
        (directory / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        os.chmod(directory / MANIFEST, FILE_MODE)
        return manifest
    except BaseException:
        if made:
            shutil.rmtree(directory, ignore_errors=True)
        else:
            for child in directory.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        raise


# ---- Restoring ---------------------------------------------------------------------------------------------


def restore_targets() -> dict[str, str]:
    """What a restore replaces, for the confirmation question and the summary."""
    if database_engine() == "sqlite":
        database = str(_sqlite_path())
    else:
        db = connections["default"].settings_dict
        database = f"PostgreSQL database {db['NAME']} on {db.get('HOST') or 'the local server'}"
    return {
        "database": database,
        "attachments": str(_private_root()),
        "secret key": str(_secret_key_file()),
    }


def _set_directory_mode(path: Path, mode: int) -> None:
    """chmod that keeps a set-group-ID bit inherited from the parent (nginx's group, see the README)."""
    os.chmod(path, mode | (path.stat().st_mode & stat.S_ISGID))


def _restore_private(source: Path) -> None:
    """Replace the attachments with the backup's: copied into a staging folder inside the attachments
    directory first (the directory itself may be a shared mount), then swapped in by renames."""
    root = _private_root()
    file_mode = settings.FILE_UPLOAD_PERMISSIONS or FILE_MODE
    dir_mode = settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS or DIRECTORY_MODE
    root.mkdir(mode=dir_mode, parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restoring-", dir=root))
    replaced = Path(tempfile.mkdtemp(prefix=".replaced-", dir=root))
    try:
        if source.is_dir():
            for folder, dirs, files in os.walk(source):
                relative = Path(folder).relative_to(source)
                for name in sorted(dirs):
                    (staging / relative / name).mkdir()
                    _set_directory_mode(staging / relative / name, dir_mode)
                for name in sorted(files):
                    shutil.copyfile(Path(folder) / name, staging / relative / name)
                    os.chmod(staging / relative / name, file_mode)
        for child in root.iterdir():
            if child not in (staging, replaced):
                child.rename(replaced / child.name)
        for child in staging.iterdir():
            child.rename(root / child.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(replaced, ignore_errors=True)


def _restore_secret_key(source: Path) -> None:
    target = _secret_key_file()
    staging = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, staging)
    os.chmod(staging, FILE_MODE)
    os.replace(staging, target)


def restore_check(directory: Path) -> Manifest:
    """The manifest of a backup that can be restored here: intact, and of this database engine."""
    manifest = backup_verify(directory)
    engine = database_engine()
    if manifest.engine != engine:
        raise BackupError(
            f"backup refused, nothing was changed: it holds a {manifest.engine} database and this ducha uses "
            f"{engine}; restoring across database engines is not supported"
        )
    return manifest


def backup_restore(directory: Path) -> Manifest:
    """Replace the database, the attachments and the secret key with the backup's, once it is checked.

    ducha must be stopped meanwhile (every app server and cron job): SQLite's file is replaced underneath,
    and PostgreSQL's restore waits at most a minute for locks.
    """
    manifest = restore_check(directory)
    database_file = directory / manifest.database_file
    if manifest.engine == "sqlite":
        _sqlite_restore(database_file)
    else:
        _pg_restore(database_file)
    _restore_private(directory / PRIVATE)
    _restore_secret_key(directory / SECRET_KEY)
    return manifest


def size_label(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


def summary_lines(manifest: Manifest) -> list[str]:
    """One line per file, the attachments as one line: what the backup holds and how big it is."""
    attachments = [f for f in manifest.files if f.path.startswith(PRIVATE + "/")]
    rows = [(f.path, size_label(f.size)) for f in manifest.files if f not in attachments]
    rows.append(
        (
            PRIVATE + "/",
            f"{len(attachments)} file{'' if len(attachments) == 1 else 's'}, "
            f"{size_label(sum(f.size for f in attachments))}",
        )
    )
    width = max(len(name) for name, _ in rows)
    return [f"  {name.ljust(width)}  {size}" for name, size in rows]
