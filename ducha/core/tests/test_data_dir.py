"""Everything ducha creates in a fresh data directory belongs to its service account alone: files 0600,
directories 0700 (the SQLite database with its -wal and -shm, the secret key, attachments, uploads)."""

import json
import os
import subprocess
import sys

import pytest

# Run inside `ducha shell` while the database connection is open (so -wal and -shm exist): store an
# attachment and an upload, then print the mode of every folder and file in the data directory.
SCRIPT = """
import json, os
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from ducha.supervision.models import PrivateStorage

SessionStore().create()
PrivateStorage().save("visits/2020/site.jpg", ContentFile(b"jpeg"))
default_storage.save("uploads/report.docx", ContentFile(b"docx"))
modes = {"folders": {}, "files": {}}
for folder, dirs, files in os.walk(settings.DATA_DIR):
    modes["folders"][os.path.relpath(folder, settings.DATA_DIR)] = oct(os.stat(folder).st_mode & 0o777)
    for name in files:
        path = os.path.join(folder, name)
        modes["files"][os.path.relpath(path, settings.DATA_DIR)] = oct(os.stat(path).st_mode & 0o777)
print(json.dumps(modes))
"""


def fresh_data_dir(tmp_path, **extra_env) -> dict[str, dict[str, str]]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update(DUCHA_DATA_DIR=str(tmp_path / "data"), **extra_env)
    ducha = [sys.executable, "-m", "ducha.cli"]
    for command in (["migrate", "-v0"], ["shell", "-c", SCRIPT]):
        # umask 022, as in a login shell: ducha itself must make its files private.
        result = subprocess.run(
            ducha + command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, umask=0o022
        )
        assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def modes(tmp_path_factory):
    return fresh_data_dir(tmp_path_factory.mktemp("fresh"))


def test_data_directory_and_every_folder_in_it_are_0700(modes):
    folders = modes["folders"]
    assert {".", "static", "private", "private/visits/2020", "media/uploads"} <= set(folders)
    assert folders == dict.fromkeys(folders, "0o700")


def test_database_secret_key_attachments_and_uploads_are_0600(modes):
    files = modes["files"]
    assert {
        "ducha.sqlite3",
        "ducha.sqlite3-wal",
        "ducha.sqlite3-shm",
        "secret_key",
        "private/visits/2020/site.jpg",
        "media/uploads/report.docx",
    } <= set(files)
    assert files == dict.fromkeys(files, "0o600")


def test_attachments_are_readable_by_nginxs_group_when_nginx_sends_them(tmp_path):
    modes = fresh_data_dir(tmp_path, DUCHA_X_ACCEL_REDIRECT_PREFIX="/protected/")
    assert modes["files"]["private/visits/2020/site.jpg"] == "0o640"
    assert modes["folders"]["private/visits/2020"] == "0o750"
    assert modes["files"]["ducha.sqlite3"] == "0o600"
    assert modes["files"]["secret_key"] == "0o600"
