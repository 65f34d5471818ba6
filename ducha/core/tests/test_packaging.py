"""The package: `ducha --version` is ducha's version, the wheel carries every runtime file and no test, and it
installs and runs in a fresh virtual environment; the favicon."""

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import django
import pytest

from ducha import cli

ROOT = Path(__file__).resolve().parents[3]
PYPROJECT = ROOT / "pyproject.toml"
# What pip prints when it cannot reach the package index for the build environment (no network, no cache).
NO_INDEX = re.compile(
    r"No matching distribution|Could not find a version|NewConnectionError|Network is unreachable"
)

needs_source_tree = pytest.mark.skipif(not PYPROJECT.exists(), reason="needs the source tree")


def project_version() -> str:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]


@needs_source_tree
def test_version_prints_the_projects_version_not_djangos(capsys):
    cli.main(["ducha", "--version"])
    printed = capsys.readouterr().out.strip()
    assert printed == metadata.version("ducha") == project_version()
    assert printed != django.get_version()


def test_version_works_without_the_settings(capsys, monkeypatch):
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "no.such.settings")
    cli.main(["ducha", "version"])
    assert capsys.readouterr().out.strip() == metadata.version("ducha")


def test_version_of_a_never_installed_tree_says_so(monkeypatch):
    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", missing)
    assert cli.version() == "0+unknown"


@needs_source_tree
def test_the_license_file_is_the_agpl_that_pyproject_names():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.lstrip().startswith("GNU AFFERO GENERAL PUBLIC LICENSE\n                       Version 3")
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    assert project["license"] == "AGPL-3.0-or-later" and project["license-files"] == ["LICENSE"]


# --- the wheel ---------------------------------------------------------------------------------------------


def _runtime_files(package: Path) -> set[str]:
    """The files a wheel must carry: everything under ducha/ except tests, the extraction corpus (evaluation
    data of the tests) and compiled bytecode."""
    files = set()
    for path in package.rglob("*"):
        parts = path.relative_to(package.parent).parts
        if path.is_dir() or "__pycache__" in parts or "tests" in parts or path.suffix == ".pyc":
            continue
        if parts[:3] == ("ducha", "extraction", "corpus"):
            continue
        files.add("/".join(parts))
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, set[str]]:
    """The wheel built from a copy of the source tree (so that no build/ or egg-info lands in the checkout),
    offline when this environment has a setuptools that reads pyproject.toml's metadata, else in pip's
    isolated build environment; and the runtime files it must hold."""
    if not PYPROJECT.exists():
        pytest.skip("needs the source tree")
    src, out = tmp_path_factory.mktemp("src"), tmp_path_factory.mktemp("wheel")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "ducha", src / "ducha", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    try:
        offline = int(metadata.version("setuptools").split(".")[0]) >= 77
    except metadata.PackageNotFoundError:
        offline = False
    command = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--quiet",
        "--wheel-dir",
        str(out),
        str(src),
    ]
    if offline:
        command.insert(4, "--no-build-isolation")
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=src)
    if done.returncode and not offline and NO_INDEX.search(done.stdout + done.stderr):
        pytest.skip("no setuptools>=77 here and the package index is out of reach")
    assert done.returncode == 0, done.stdout + done.stderr
    (wheel,) = out.glob("ducha-*.whl")
    return wheel, _runtime_files(src / "ducha")


def test_the_wheel_carries_no_tests(built):
    wheel, _ = built
    names = zipfile.ZipFile(wheel).namelist()
    assert [n for n in names if "/tests/" in n or re.search(r"(^|/)(test_[^/]*\.py|conftest\.py)$", n)] == []


def test_the_wheel_carries_every_runtime_file_and_the_license(built):
    wheel, runtime = built
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {n for n in names if n.startswith("ducha/")} == runtime
    # spot checks, should the walk above ever go wrong
    assert {
        "ducha/core/static/ducha/favicon.ico",
        "ducha/supervision/migrations/0001_rounds_problems_notices.py",
    } <= runtime
    assert any(n.endswith("/locale/zh_Hans/LC_MESSAGES/django.mo") for n in runtime)
    version = project_version()
    info = f"ducha-{version}.dist-info"
    assert f"{info}/licenses/LICENSE" in names
    meta = zipfile.ZipFile(wheel).read(f"{info}/METADATA").decode()
    assert "License-Expression: AGPL-3.0-or-later" in meta and "License-File: LICENSE" in meta


def test_the_wheel_installs_in_a_fresh_virtualenv_and_runs(built, tmp_path):
    """`pip install` of the wheel alone into a new environment: `ducha --version` prints the project's version.
    Then, with the dependencies lent from this environment (a .pth file, no download), Django's system checks
    pass on the installed copy: every module the app imports is in the wheel."""
    wheel, _ = built
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    clean = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}

    def run(*args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            args, capture_output=True, text=True, timeout=120, cwd=tmp_path, env={**clean, **extra}
        )

    version = run(str(env_dir / "bin" / "ducha"), "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == project_version()

    site = Path(
        run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    )
    (site / "zz_lent_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    where = run(str(python), "-c", "import ducha; print(ducha.__file__)")
    assert where.stdout.strip().startswith(str(site)), where.stdout + where.stderr
    tests = run(str(python), "-c", "import ducha.core.tests")
    assert "ModuleNotFoundError" in tests.stderr
    check = run(str(env_dir / "bin" / "ducha"), "check", DUCHA_DATA_DIR=str(tmp_path / "data"))
    assert check.returncode == 0, check.stdout + check.stderr
    assert "no issues" in check.stdout


# --- the favicon -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_icon_for_anyone(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == "/static/ducha/favicon.ico"
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    assert body == (ROOT / "ducha/core/static/ducha/favicon.ico").read_bytes()


@pytest.mark.django_db
def test_pages_link_their_icons(client):
    page = client.get("/accounts/login/").content.decode()
    for href in re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', page):
        assert client.get(href).status_code == 200, href
    assert '<link rel="icon" href="/static/ducha/favicon.ico"' in page
    assert '<link rel="apple-touch-icon" href="/static/ducha/apple-touch-icon.png"' in page
