"""The README's production environment passes `check --deploy` with no warning left."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def readme_production_environment() -> dict[str, str]:
    """The variables of the README's /etc/ducha/ducha.env block; a `<…>` placeholder is filled with a random
    value, as the operator does for SECRET_KEY."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```ini\n# /etc/ducha/ducha\.env.*?\n(.*?)```", readme, re.S)
    assert block, "the README's production section has no /etc/ducha/ducha.env block"
    env = {}
    for line in block.group(1).splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = secrets.token_urlsafe(50) if value.startswith("<") else value
    return env


def test_readme_production_environment_sets_the_deployment_settings():
    env = readme_production_environment()
    assert env["DEBUG"] == "0"
    assert env["SECURE_COOKIES"] == "1"
    assert int(env["DUCHA_HSTS_SECONDS"]) >= 31536000
    assert env["DUCHA_SSL_REDIRECT"] == "1"
    assert env["DUCHA_TRUSTED_PROXIES"]
    assert len(env["SECRET_KEY"]) >= 50


def test_check_deploy_passes_with_the_readme_production_environment(tmp_path):
    env = {
        **readme_production_environment(),
        "DUCHA_DATA_DIR": str(tmp_path / "data"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
