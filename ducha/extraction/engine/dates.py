"""Dates as reports write them, resolved against the document's date when one is known."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .numbers import chinese_numeral

_RELATIVE_DAYS = {
    "前天": -2,
    "昨天": -1,
    "昨日": -1,
    "今天": 0,
    "今日": 0,
    "当天": 0,
    "当日": 0,
    "明天": 1,
    "明日": 1,
}
_N = r"(?:\d{1,4}|[零〇○一二三四五六七八九十]{1,4})"
DATE = re.compile(
    rf"(?:(?P<year>\d{{4}}|[零〇○一二三四五六七八九]{{4}})年)?(?P<month>{_N})月(?P<day>{_N})[日号]"
    r"|(?P<iso>\d{4}-\d{1,2}-\d{1,2})(?!\d)"
    r"|(?P<relative>前天|昨天|昨日|今天|今日|当天|当日|明天|明日)"
)
DATE = re.compile(
    r"(?=[\d零〇○一二三四五六七八九十前昨今当明])(?:" + DATE.pattern + ")"
)  # (a quick first look)
# "2019年度常州市…会": the year an annual event belongs to.
EVENT_YEAR = re.compile(r"(\d{4})年度")


def _int(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else chinese_numeral(text)


def _safe_date(year: int | None, month: int | None, day: int | None) -> date | None:
    try:
        return date(year, month, day) if year and month and day else None
    except (TypeError, ValueError):
        return None


def resolve_date(m: re.Match, doc_date: date | None, year_hint: int | None = None) -> date | None:
    """The date a DATE match names. Month-day dates take the year stated with them, else the
    sentence's year hint, else the document's year (the last such date before it)."""
    if m.group("iso"):
        y, mo, d = (int(x) for x in m.group("iso").split("-"))
        return _safe_date(y, mo, d)
    if m.group("relative"):
        return doc_date + timedelta(days=_RELATIVE_DAYS[m.group("relative")]) if doc_date else None
    month, day = _int(m.group("month")), _int(m.group("day"))
    year = _int(m.group("year")) or year_hint
    if year is None and doc_date is not None:
        year = doc_date.year
        candidate = _safe_date(year, month, day)
        if candidate and candidate > doc_date + timedelta(days=31):  # December news read in January
            year -= 1
    return _safe_date(year, month, day)


def parse_date(text: str, doc_date: date | None = None) -> date | None:
    """'12月18日' with doc date 2019-12-19 → 2019-12-18; '昨天' → the day before the doc date."""
    m = DATE.search(text)
    if not m:
        return None
    hint = EVENT_YEAR.search(text)
    return resolve_date(m, doc_date, int(hint.group(1)) if hint else None)


# 22号,…仪式在西昌举行 / (记者 X) 19日,随着…: a day of the report's month, at a sentence's head.
_DAY_ONLY = re.compile(r"(?:[^,，。;；\n]{0,60}?[)）]\s*)?(\d{1,2})[日号](?=[,，上下早晚])")


def day_of_month(sentence: str, doc_date: date | None) -> date | None:
    """The day a sentence opens on (19日,…), in the month of the report's date or the one before
    (a report of 2 October telling 29日 means 29 September)."""
    m = _DAY_ONLY.match(sentence) if doc_date is not None else None
    if m is None or doc_date is None:
        return None
    day = int(m.group(1))
    if day > doc_date.day:
        first = doc_date.replace(day=1) - timedelta(days=1)
        return _safe_date(first.year, first.month, day)
    return _safe_date(doc_date.year, doc_date.month, day)


# A newspaper masthead or report header states the issue date near the top.
# (\d\d{3}, not \d{4}: a pattern that opens on one character class is scanned for that class)
_FULL_DATE = re.compile(r"(\d\d{3})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")


def document_date(text: str) -> date | None:
    """The issue date printed in the first lines of a report, if any."""
    for m in _FULL_DATE.finditer(text[:400]):
        found = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if found and 1949 < found.year < 2100:
            return found
    return None


_PERIOD = re.compile(
    r"(?P<from>\d{1,2}|[一二三四五六七八九十]{1,2})\s*[-~至到]\s*(?P<to>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?"
    r"|前(?P<first>\d{1,2}|[一二三四五六七八九十]{1,3})个?月"
    r"|(?P<point>(?:截至|截止)\d{4}年(?:底|末))"  # a running total up to a year's end: no period
    r"|(?:截至|截止|至)(?:\d{4}年|今年|本年)?(?P<upto>\d{1,2}|[一二三四五六七八九十]{1,3})月(?:底|末)"
    r"|(?P<year>\d{4})年(?!度?(?:\d{1,2}\s*[-~至到月]|[一二三四五六七八九十]+月|第?[一二三四1-4]季度|前三季度|上半年|下半年))(?:度|底|末|全年)?"
    r"|(?P<recent>近[\d一二三四五六七八九十]+年来?)"
    r"|(?P<first_quarters>前三季度|上半年|一季度|第一季度|1季度)"
    r"|(?P<quarter>[二三四2-4])季度|(?P<half>下半年)"
    r"|(?P<january>元月)"  # (元月: January as a whole)
)
# Every period starts with one of these: trying the alternatives only there is 3× faster.
# (较一季度提高20.4个百分点, 比上年: the period compared with is not the statistic's own)
_PERIOD = re.compile(r"(?=[\d一二三四五六七八九十前截至近上下第元])(?<![较比])(?:" + _PERIOD.pattern + ")")
# Periods from the start of the year, as the contract writes them (SCHEMA.md: indicators).
_FROM_JANUARY = {"前三季度": 9, "上半年": 6, "一季度": 3, "第一季度": 3, "1季度": 3}


def parse_period(text: str) -> tuple[str | None, re.Match | None]:
    """'1~3月' → '1-3月', '1—11月份' → '1-11月', '上半年' → '1-6月', '前三季度' → '1-9月',
    '至8月底' → '1-8月', '2019年' → '2019年', else None."""
    if "月" not in text and "年" not in text and "季" not in text:
        return None, None  # most clauses: skip the regex
    m = _PERIOD.search(text)
    if not m:
        return None, None
    if m.group("point"):
        return None, m
    if m.group("from"):
        return f"{_int(m.group('from'))}-{_int(m.group('to'))}月", m
    if m.group("first") or m.group("upto"):
        return f"1-{_int(m.group('first') or m.group('upto'))}月", m
    if m.group("first_quarters"):
        return f"1-{_FROM_JANUARY[m.group('first_quarters')]}月", m
    if m.group("quarter"):
        last = 3 * (_int(m.group("quarter")) or 0)
        return f"{last - 2}-{last}月", m
    if m.group("january"):
        return "1月", m
    if m.group("year"):
        return f"{m.group('year')}年", m
    return m.group(), m
