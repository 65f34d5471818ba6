"""The sample deployment under docs/deploy/ is valid: nginx accepts the site (`nginx -t`) and systemd the units
(`systemd-analyze verify`), each where the tool is installed; the units run the commands ducha has, on the
schedule the README gives."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "docs" / "deploy"
SYSTEMD = DEPLOY / "systemd"
SITE = DEPLOY / "nginx" / "ducha.conf"

pytestmark = pytest.mark.skipif(not DEPLOY.exists(), reason="needs the source tree")
# nginx 1.25.1 and later accept `listen … http2` with this warning; the site keeps that form for Debian 12's 1.22.
ALLOWED_NGINX_WARNING = re.compile(r'the "listen \.\.\. http2" directive is deprecated')


def units() -> list[Path]:
    return sorted(SYSTEMD.glob("*.service")) + sorted(SYSTEMD.glob("*.timer"))


def test_every_service_runs_a_command_ducha_has():
    commands = get_commands()
    for unit in SYSTEMD.glob("*.service"):
        for line in re.findall(r"^ExecStart(?:Pre)?=(.+)$", unit.read_text(), flags=re.M):
            called = re.findall(r"(?:^|[/\s'])ducha ([a-z_]+)", line)
            assert called or "/gunicorn ducha.wsgi " in line, f"{unit.name}: {line}"
            assert [name for name in called if name not in commands] == [], f"{unit.name}: {line}"


def test_every_timer_has_its_service_and_the_readmes_daily_jobs_are_there():
    for timer in SYSTEMD.glob("*.timer"):
        assert (SYSTEMD / f"{timer.stem}.service").exists(), timer.name
        assert re.search(r"^OnCalendar=.+ Asia/Shanghai$", timer.read_text(), flags=re.M), timer.name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for minute, hour, command in re.findall(
        r"^(\d+) (\d+) \* \* \*\s+(?:.*?; )?ducha ([a-z_]+)", readme, re.M
    ):
        timers = [
            t for t in SYSTEMD.glob("*.timer") if f"ducha {command}" in t.with_suffix(".service").read_text()
        ]
        assert timers, f"no timer runs ducha {command}"
        assert f"*-*-* {int(hour):02d}:{int(minute):02d}:00" in timers[0].read_text()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    """`systemd-analyze verify` parses each unit and checks that its programs exist: the sample's
    /opt/ducha/venv/bin is replaced by this environment's, which has ducha and gunicorn."""
    here = str(Path(sys.executable).parent)
    for unit in units():
        (tmp_path / unit.name).write_text(unit.read_text().replace("/opt/ducha/venv/bin", here))
    done = subprocess.run(
        ["systemd-analyze", "verify", *sorted(p.name for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), (
        done.stdout + done.stderr
    )


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")
def test_nginx_accepts_the_site(tmp_path):
    """`nginx -t` on a main configuration that includes the site as Debian's does, with a throw-away certificate
    and the data and log directories moved under a temporary directory."""
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        + ["-days", "1", "-subj", "/CN=ducha.example.gov.cn", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    site = SITE.read_text()
    for sample, here in {
        "/etc/ssl/ducha/fullchain.pem": cert,
        "/etc/ssl/ducha/privkey.pem": key,
        "/var/log/nginx": tmp_path,
        "/var/lib/ducha": tmp_path / "data",
    }.items():
        assert sample in site
        site = site.replace(sample, str(here))
    (tmp_path / "ducha.conf").write_text(site)
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    temp_paths = "\n".join(
        f"{kind}_temp_path {tmp_path / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'};\nevents {{}}\n"
        f"http {{\n{mime}\n{temp_paths}\ninclude {tmp_path / 'ducha.conf'};\n}}\n"
    )
    done = subprocess.run(
        [
            "nginx",
            "-t",
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "error.log"),
            "-c",
            str(tmp_path / "nginx.conf"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "test is successful" in output
    problems = [
        line
        for line in output.splitlines()
        if re.search(r"\[(warn|emerg|alert|crit|error)\]", line) and not ALLOWED_NGINX_WARNING.search(line)
    ]
    assert problems == []


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_refuses_a_broken_site(tmp_path):
    """The check above can fail: the same set-up with a typo in the site is refused."""
    (tmp_path / "ducha.conf").write_text("server { listen 8080; proxy_pas http://127.0.0.1:8000; }\n")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nevents {{}}\nhttp {{\ninclude {tmp_path / 'ducha.conf'};\n}}\n"
    )
    done = subprocess.run(
        [
            "nginx",
            "-t",
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "error.log"),
            "-c",
            str(tmp_path / "nginx.conf"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "proxy_pas" in done.stderr
