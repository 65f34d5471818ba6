"""Any input yields a result or a clear error: random bytes, random text, empty, 10 MB, CLI."""

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ducha.extraction.engine import ExtractionError, decode_bytes, extract_document
from ducha.extraction.engine.cli import run

KEYS = {"source", "projects", "indicators", "people", "events"}
REPORT = (
    "本报讯 12月18日,市委书记王强带领各部门负责人督查重点项目。总投资80亿元的华瑞储能电池项目,"
    "可形成18GWh储能电池的年生产能力。1-3月,全区实现工业开票销售收入321.71亿元,同比增长6.89%。\n"
)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_decode_or_raise_a_clear_error(data):
    try:
        text = decode_bytes(data)
    except ExtractionError as error:
        assert str(error)
        return
    assert set(extract_document(text, source="x")) == KEYS


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_random_text_always_gives_the_schema(text):
    result = extract_document(text, source="x")
    assert set(result) == KEYS
    json.dumps(result, ensure_ascii=False)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("项目书记区长、,。的等亿元万吨个12两十月日昨天督查调研\n ()“”")
            + [REPORT[:40], "区委书记", "总投资", "1-3月"]
        ),
        max_size=300,
    ).map("".join)
)
def test_report_like_noise_always_gives_the_schema(text):
    assert set(extract_document(text, source="x")) == KEYS


def test_empty_input():
    assert extract_document("", source="empty") == {
        "source": "empty",
        "projects": [],
        "indicators": [],
        "people": [],
        "events": [],
    }
    assert decode_bytes(b"") == ""


def test_gb18030_and_utf8_and_mixed_lines_decode():
    assert decode_bytes(REPORT.encode("gb18030")) == REPORT
    assert decode_bytes(REPORT.encode("utf-8-sig")) == REPORT
    mixed = "第一行。\n".encode() + "第二行总投资60亿元。\n".encode("gb18030")
    assert decode_bytes(mixed) == "第一行。\n第二行总投资60亿元。\n"


def test_binary_junk_is_a_clear_error():
    try:
        decode_bytes(bytes(range(256)) * 40)
    except ExtractionError as error:
        assert "text" in str(error) or "binary" in str(error)
    else:
        raise AssertionError("binary input decoded")


def test_ten_megabytes_of_text():
    text = REPORT * (10 * 2**20 // len(REPORT.encode("utf-8")) + 1)
    result = extract_document(text, source="big")
    assert len(result["projects"]) == 1
    assert len(result["people"]) == 1


def test_one_very_long_line():
    result = extract_document("项目" * 200_000 + "书记" * 100_000, source="long")
    assert set(result) == KEYS


def test_cli_writes_json_lines_and_reports_unreadable_files(tmp_path):
    good, gbk, junk = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.bin"
    good.write_text(REPORT, encoding="utf-8")
    gbk.write_bytes(REPORT.encode("gb18030"))
    junk.write_bytes(b"\x00\xff" * 500)
    out, err = io.StringIO(), io.StringIO()
    status = run([str(good), str(gbk), str(junk), str(tmp_path / "missing.txt")], "2020-12-19", out, err)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert status == 1
    assert [line["source"] for line in lines] == [str(good), str(gbk)]
    assert lines[0]["events"][0]["date"] == "2020-12-18"
    assert "c.bin" in err.getvalue() and "missing.txt" in err.getvalue()
    assert "Traceback" not in err.getvalue()


def test_cli_rejects_a_bad_date():
    err = io.StringIO()
    assert run([], "18/12/2020", io.StringIO(), err) == 2
    assert "YYYY-MM-DD" in err.getvalue()
