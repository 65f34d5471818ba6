"""The pure rules of the review: name matching, periods, money, highlighting."""

from datetime import date
from decimal import Decimal

import pytest

from ducha.extraction.review import (
    Segment,
    best_matches,
    best_name,
    fact_terms,
    highlight,
    normalise_name,
    resolve_period,
    to_wan,
)

LEDGER = [
    (1, "蜂巢能源动力电池项目"),
    (2, "蜂巢能源动力电池二期项目"),
    (3, "SK新能源汽车电池隔膜项目"),
    (4, "东方日升光伏组件"),
    (5, "金坛区人民医院门诊楼"),
]


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("蜂巢能源动力电池项目", "蜂巢能源动力电池"),
        ("蜂巢能源（常州） 动力电池 项目", "蜂巢能源常州动力电池"),
        ("ＳＫ新能源汽车电池隔膜项目", "sk新能源汽车电池隔膜"),
        ("“华罗庚”科创园建设项目", "华罗庚科创园"),
        ("", ""),
    ],
)
def test_names_are_normalised_before_matching(raw, normalised):
    assert normalise_name(raw) == normalised


@pytest.mark.parametrize(
    ("name", "best_pk"),
    [
        ("蜂巢能源动力电池项目", 1),
        ("东方日升光伏组件项目", 4),
        ("ＳＫ新能源汽车电池隔膜", 3),
        ("sk新能源汽车电池隔膜项目", 3),
    ],
)
def test_the_best_ledger_match_comes_first(name, best_pk):
    matches = best_matches(name, LEDGER)
    assert matches[0].pk == best_pk
    assert matches[0].score >= 90


def test_unrelated_names_match_nothing():
    assert best_matches("中联水泥熟料生产线项目", LEDGER) == []
    assert best_matches("", LEDGER) == []
    assert best_matches("蜂巢能源动力电池项目", []) == []


def test_matches_are_sorted_and_limited():
    matches = best_matches("蜂巢能源动力电池项目", LEDGER, limit=2)
    assert [m.pk for m in matches] == [1, 2]
    assert matches[0].score > matches[1].score


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("工业开票销售收入", "工业开票销售收入"),
        ("全区工业开票销售收入", "工业开票销售收入"),
        ("工业投资", None),
        ("新建学校", None),
    ],
)
def test_indicator_names_match_only_when_close(name, known):
    assert best_name(name, ["工业开票销售收入", "工业实际投入", "实际到账外资"]) == known


@pytest.mark.parametrize(
    ("period", "doc_date", "expected"),
    [
        ("1-3月", date(2020, 4, 20), (2020, 3)),
        ("1-11月", date(2020, 12, 5), (2020, 11)),
        ("1－3月", date(2020, 4, 20), (2020, 3)),
        ("2019年", None, (2019, 12)),
        ("2020年1-3月", None, (2020, 3)),
        ("2020年1-11月份", date(2019, 1, 1), (2020, 11)),
        ("1-3月", None, None),
        ("近5年来", date(2020, 1, 1), None),
        ("1-13月", date(2020, 1, 1), None),
        (None, date(2020, 1, 1), None),
        ("", date(2020, 1, 1), None),
    ],
)
def test_periods_resolve_to_a_year_and_month_only_when_the_text_fixes_them(period, doc_date, expected):
    assert resolve_period(period, doc_date) == expected


@pytest.mark.parametrize(
    ("amount", "wan"),
    [
        (8000000000, Decimal("800000.00")),
        (720000000, Decimal("72000.00")),
        (12345, Decimal("1.23")),
        (15000.0, Decimal("1.50")),
        (None, None),
    ],
)
def test_base_units_convert_to_wan(amount, wan):
    assert to_wan(amount) == wan


def test_highlight_marks_every_occurrence_and_keeps_the_sentence():
    sentence = "总投资80亿元的蜂巢能源动力电池项目,蜂巢能源动力电池已投产。"
    segments = highlight(sentence, fact_terms("project", {"name": "蜂巢能源动力电池项目"}))
    assert "".join(s.text for s in segments) == sentence
    assert [s.text for s in segments if s.marked] == ["蜂巢能源动力电池项目", "蜂巢能源动力电池"]


def test_highlight_without_terms_is_one_plain_segment():
    assert highlight("没有事实的句子。", []) == [Segment("没有事实的句子。", False)]
    assert highlight("", ["x"]) == []


@pytest.mark.parametrize(
    ("kind", "payload", "terms"),
    [
        ("person", {"name": "汪泉", "titles": ["常州市委书记"]}, ["汪泉", "常州市委书记"]),
        ("event", {"kind": "集中现场督查", "leaders": ["狄志强"]}, ["集中现场督查", "狄志强"]),
        ("indicator", {"name": "工业开票销售收入"}, ["工业开票销售收入"]),
        ("project", {"name": "X项目", "company": None}, ["X项目"]),
    ],
)
def test_fact_terms_name_what_is_marked(kind, payload, terms):
    assert fact_terms(kind, payload) == terms
