"""The indicator clause's value is read once: the helpers give what the full search gives."""

import re

import pytest

from ducha.extraction.engine.extract import (
    _AMOUNT_RANGE,
    INDICATOR_VALUE,
    first_statistic_value,
    indicator_number,
)
from ducha.extraction.engine.numbers import parse_number


@pytest.mark.parametrize("text", ["456", "1,234.5", "7.2", "0.35", "12,000,000", "321.71", "百", "千"])
def test_indicator_number_is_parse_numbers_number(text):
    assert indicator_number(text) == parse_number(text)


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
