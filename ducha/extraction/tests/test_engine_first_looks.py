"""The engine's faster patterns find exactly what the patterns they stand for find.

Some patterns look at the first character before trying their alternatives (speed only), and
find_people finds a title's last clause mark with one match instead of a search per mark.
"""

import re

import pytest

from ducha.extraction.engine import gazetteer as gz
from ducha.extraction.engine.extract import _CLAUSE_MARKS, _NUMERAL, _UP_TO_CLAUSE_MARK
from ducha.extraction.engine.numbers import CAPACITY, MONEY
from ducha.lib.quantities import MONEY as PLATFORM_MONEY

SENTENCES = [
    "项目总投资超过10亿元,其中一期投资约3.5亿美元,年产值近百亿元。",
    "计划投资1,200万元建设标准厂房,达到年产5万吨的能力,预计实现销售收入一亿二千万元以上。",
    "市委书记王某率队督查重点项目集中开工现场,并召开现场推进会。",
    "区领导观摩检查了项目签约仪式和开复工活动,随后调研了高新区。",
    "重大项目集中开(竣)工和投产活动举行,共有12个项目。",
    "没有数字也没有活动的句子。",
]


def spans(pattern: re.Pattern, text: str) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("text", SENTENCES)
def test_amounts_are_the_platforms_amounts(text):
    assert spans(MONEY, text) == spans(PLATFORM_MONEY, text)


def test_outing_kinds_are_those_of_the_pattern_without_its_first_look():
    # the pattern inside "(?=[…])(?:…)": the kinds as written before the first look was added
    without_first_look = re.compile(gz.EVENT_KIND.pattern.split("(?:", 1)[1][:-1])
    for text in SENTENCES:
        assert spans(gz.EVENT_KIND, text) == spans(without_first_look, text)
    assert gz.EVENT_KIND.search(SENTENCES[2]).group() == "督查"


@pytest.mark.parametrize(
    "text, lo, hi",
    [
        ("会上,市委书记", 0, 7),
        ("甲,乙;丙“丁”戊", 0, 9),
        ("甲,乙;丙“丁”戊", 3, 5),
        ("没有标点的标题", 0, 7),
        ("一\n二:三", 0, 5),
    ],
)
def test_the_last_clause_mark_is_found_with_one_match(text, lo, hi):
    by_mark = max([lo] + [text.rfind(c, lo, hi) + 1 for c in _CLAUSE_MARKS])
    m = _UP_TO_CLAUSE_MARK.match(text, lo, hi)
    assert (m.end() if m else lo) == by_mark


@pytest.mark.parametrize(
    "name", ["年产50万吨食品添加剂项目", "两条生产线项目", "当升锂电材料产业基地项目", "GWh储能项目"]
)
def test_a_name_without_a_numeral_holds_no_capacity(name):
    assert bool(_NUMERAL.search(name)) or not list(CAPACITY.finditer(name))
