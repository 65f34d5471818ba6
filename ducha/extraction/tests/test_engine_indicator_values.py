"""The indicator clause's value is read once, and its number the one way: the helpers give what
the full search and the full reading give."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ducha.extraction.engine.extract import _AMOUNT_RANGE, INDICATOR_VALUE, first_statistic_value
from ducha.extraction.engine.numbers import parse_number
from ducha.lib.quantities import parse_number as exact_decimal


@pytest.mark.parametrize(
    "text, number",
    [
        ("456", 456.0),
        ("7.2", 7.2),
        ("0.35", 0.35),
        ("321.71", 321.71),
        ("007", 7.0),
        ("5.0", 5.0),
        ("1234567890123456789012345678", 1234567890123456789012345678.0),  # 28 digits
        ("0.30000000000000004", 0.30000000000000004),
    ],
)
def test_ascii_digits_read_straight_give_the_exact_decimals_float(text, number):
    assert parse_number.__wrapped__(text) == float(exact_decimal(text)) == number
    assert type(parse_number.__wrapped__(text)) is float


@pytest.mark.parametrize(
    "text, number",
    [
        ("1,234.5", 1234.5),  # a comma: the full reading
        ("12,000,000", 12000000.0),
        ("１２", 12.0),  # full-width digits
        ("٣٤", 34.0),  # other decimal digits
        ("百", 100.0),  # 超百亿元
        ("千", 1000.0),
        ("十二", 12.0),
        ("一万二千", 12000.0),
        ("1.5亿", 150000000.0),
        (" 12", 12.0),
        ("12.", None),
        (".5", None),
        ("1e3", None),
        ("-5", None),
        ("1_000", None),
        ("", None),
    ],
)
def test_anything_else_takes_the_full_reading(text, number):
    assert parse_number.__wrapped__(text) == number


@given(st.from_regex(r"\A[0-9]{1,20}(\.[0-9]{1,8})?\Z"))
def test_any_ascii_number_of_up_to_28_digits_reads_as_the_exact_decimal_does(text):
    assert parse_number.__wrapped__(text) == float(exact_decimal(text))


def ranges_of(clause: str) -> list[tuple[int, int]]:
    return [r.span() for r in _AMOUNT_RANGE.finditer(clause)]


def span_of(m: re.Match | None) -> tuple[int, int] | None:
    return m.span() if m else None


@pytest.mark.parametrize(
    "clause, value",
    [
        ("全区规模以上企业456家", "456家"),
        ("5亿元以上项目5个", "5个"),  # a threshold is part of the name
        ("500万元-1亿元项目12个", "12个"),  # so is a span of amounts
        ("10亿元以上项目", None),
        ("没有数字", None),
    ],
)
def test_the_first_value_skips_thresholds_and_spans(clause, value):
    found = first_statistic_value(clause, ranges_of(clause))
    assert (found.group() if found else None) == value


@pytest.mark.parametrize(
    "clause", ["全区规模以上企业456家", "5亿元以上项目5个", "500万元-1亿元项目12个", "10亿元以上项目"]
)
def test_a_first_match_from_the_caller_gives_what_the_full_search_gives(clause):
    ranges = ranges_of(clause)
    first = INDICATOR_VALUE.search(clause)
    from_the_first = first_statistic_value(clause, ranges, first)
    assert span_of(from_the_first) == span_of(first_statistic_value(clause, ranges))


def test_a_match_in_another_text_is_not_taken_as_the_clauses():
    other = INDICATOR_VALUE.search("建成项目9个")
    assert first_statistic_value("全区规模以上企业456家", [], other).group() == "456家"
