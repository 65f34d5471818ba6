import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from .conftest import REPORT

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture
def report_file(tmp_path):
    path = tmp_path / "快报.txt"
    path.write_bytes(REPORT.encode("gb18030"))
    return path


def test_extract_writes_one_json_line_per_file(report_file, tmp_path, capsys):
    second = tmp_path / "second.txt"
    second.write_text("全区召开安全生产会议。", encoding="utf-8")
    call_command("extract", str(report_file), str(second), "--date", "2020-04-20")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["source"] == str(report_file)
    assert {p["name"] for p in first["projects"]} == {
        "蜂巢能源动力电池项目",
        "北电爱思特三元材料动力电池项目",
    }
    assert set(json.loads(lines[1])) >= {"source", "projects", "indicators", "people", "events"}


def test_unreadable_input_exits_non_zero_with_one_clear_line_and_keeps_the_others(
    report_file, tmp_path, capsys
):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x00")
    with pytest.raises(SystemExit) as exit_info:
        call_command("extract", str(binary), str(tmp_path / "missing.txt"), str(report_file))
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    errors = captured.err.splitlines()
    assert len(errors) == 2
    assert "image.txt" in errors[0] and "binary" in errors[0]
    assert "missing.txt: cannot read" in errors[1]
    assert "Traceback" not in captured.err


def test_a_bad_date_is_refused(report_file, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("extract", str(report_file), "--date", "2020-02-30")
    assert exit_info.value.code == 2
    assert "--date must be YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")
def test_the_ducha_command_extracts_the_seed_pages():
    seeds = sorted(str(p) for p in SEEDS.glob("*.txt"))
    result = subprocess.run(
        [sys.executable, "-m", "ducha.cli", "extract", *seeds],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["source"] for line in lines] == seeds
    assert all(line["projects"] or line["indicators"] for line in lines)
