"""One way of writing figures and dates (issue 12 §7): the template filters call ducha.lib.quantities, templates
use no formatter of their own, and the Chinese catalogs put no space between Chinese and a figure."""

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import polib  # type: ignore[import-untyped]
import pytest
from django.template import Context, Template

import ducha

ROOT = Path(ducha.__file__).parent

# Catalogs and templates of other owners that still break the rule; the lead removes an entry once it is fixed.
KNOWN_SPACED_CATALOGS: dict[str, str] = {}
KNOWN_OWN_FORMATTERS: dict[str, str] = {}

# A space between a Chinese character and a figure or a placeholder, either way round.
_HAN = r"[\u4e00-\u9fff）]"
_FIGURE = r"(?:\d|%\(\w+\)[sdf]|%\(\w+\)0\d[sdf])"
SPACED = re.compile(rf"{_HAN} {_FIGURE}|(?:\d|%\(\w+\)0?\d?[sdf]) {_HAN}")


def render(source: str, **context) -> str:
    return Template("{% load ducha %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("{{ v|wan }}", {"v": Decimal("61000")}, "6.1亿元"),
        ("{{ v|wan:'USD' }}", {"v": Decimal("72000")}, "7.2亿美元"),
        ("{{ v|wan_figure }}", {"v": Decimal("61000")}, "61,000"),
        ("{{ v|wan_figure }}", {"v": Decimal("317700")}, "317,700"),
        ("{{ v|wan_figure:'USD' }}", {"v": Decimal("72000")}, "7.2亿美元"),
        ("{{ v|wan_figure }}", {"v": None}, "—"),
        ("{{ v|money }}", {"v": Decimal("3217100000")}, "32.17亿元"),
        ("{{ v|amount:'套' }}", {"v": 200000}, "20万套"),
        ("{{ v|amount:'t' }}", {"v": Decimal("100000")}, "10万吨"),
        ("{{ v|amount:'家' }}", {"v": 456}, "456家"),
        ("{{ v|amount }}", {"v": Decimal("97155.00")}, "9.72万"),
        ("{{ v|amount }}", {"v": Decimal("15.00")}, "15"),
        ("{{ v|amount }}", {"v": None}, "—"),
        ("{{ v|day }}", {"v": date(2020, 12, 31)}, "2020-12-31"),
        ("{{ v|moment }}", {"v": datetime(2020, 12, 31, 0, 30, tzinfo=ZoneInfo("UTC"))}, "2020-12-31 08:30"),
        ("{{ v|day }}", {"v": None}, "—"),
    ],
)
def test_figures_and_dates_are_written_the_one_way(source, context, expected):
    assert render(source, **context) == expected


def test_templates_use_the_ducha_filters_and_no_formatter_of_their_own():
    offending = sorted(
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/templates/**/*.html")
        if re.search(r"\|\s*(floatformat|intcomma|intword)", path.read_text())
        and str(path.relative_to(ROOT)) not in KNOWN_OWN_FORMATTERS
    )
    assert offending == []


def test_chinese_catalogs_put_no_space_between_chinese_and_a_figure():
    spaced = []
    for path in sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")):
        app = path.parts[-5]
        if app in KNOWN_SPACED_CATALOGS:
            continue
        for entry in polib.pofile(str(path)):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if not entry.obsolete and SPACED.search(text):
                    spaced.append(f"{app}: {text}")
    assert spaced == []


def test_the_spacing_rule_catches_the_reported_sentence():
    assert SPACED.search("%(unit)s：%(n)d 个项目未填报 %(year)d 年 %(month)02d 月进度")
    assert SPACED.search("权重 %(weight)s") and SPACED.search("200000 套")
    assert not SPACED.search("序时进度 = %(m)s ÷ 12 = %(s)s；请用 --port 选择其他端口，约10 MB")
