"""The extractor's view of numbers: the platform's one vocabulary (ducha.lib.quantities), as the
JSON contract writes it (plain ints and floats in base units).

All functions work on width-normalised text (see text.normalise).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ducha.lib.quantities import (
    CURRENCY_WORDS,
    MONEY,
    NUMBER,
    QUANTITY,
    Money,
    Quantity,
    quantity_from_match,
)
from ducha.lib.quantities import money_from_match as _money_from_match
from ducha.lib.quantities import parse_number as _parse_decimal

__all__ = [
    "CAPACITY",
    "MONEY",
    "NUMBER",
    "Money",
    "Quantity",
    "chinese_numeral",
    "money_from_match",
    "parse_money",
    "parse_number",
    "parse_quantity",
    "plain",
    "quantity_from_match",
]

# (every quantity starts with a digit or a numeral: a first look at the character, as for MONEY)
CAPACITY = re.compile(r"(?=[\d零〇○一二两三四五六七八九十百千])(?:" + QUANTITY.pattern + ")", QUANTITY.flags)
# Every amount starts with a digit, a numeral or its bound (超过, 约, 近 …); the platform's pattern
# starts with the optional bound, so the regex cannot look for that character first by itself.
# Looking first makes a search over a sentence about 1.4× faster.
MONEY = re.compile(
    r"(?=[超逾约近达突高\d零〇○一二两三四五六七八九十百千])(?:" + MONEY.pattern + ")", MONEY.flags
)


def _with_one(text: str) -> str:
    """百亿 → 一百亿: a bare 百 or 千 counts one hundred or one thousand (超百亿元, 近千万元)."""
    return "一" + text if text[:1] in ("百", "千") else text


def money_from_match(m: re.Match) -> Money | None:
    """The amount of a MONEY match, 超百亿元 included."""
    money = _money_from_match(m)
    number = m.group("number")
    if money is None and number[:1] in ("百", "千"):
        try:
            amount = _parse_decimal(_with_one(number) + (m.group("scale") or ""))
        except ValueError:
            return None
        return Money(amount, CURRENCY_WORDS[m.group("currency")], m.start(), m.end())
    return money


# ASCII digits with an optional decimal part and nothing else (no comma, sign, space, exponent,
# full-width digit or numeral), most numbers in a report, go straight to float(): it rounds their exact
# value once, as float() of the exact decimal below does, so the result is the same, at any length,
# without the look for numerals and scales.
_ASCII_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@lru_cache(maxsize=4096)
def parse_number(text: str) -> float | None:
    """'1,000' → 1000, '7.2' → 7.2, '十二' → 12, '一万二千' → 12000, '百' → 100; None when the text is not a number."""
    if _ASCII_DECIMAL.fullmatch(text):
        return float(text)
    text = _with_one(text)
    try:
        return float(_parse_decimal(text))
    except ValueError:
        return None


def chinese_numeral(text: str) -> int | None:
    """十二 → 12, 两 → 2, 一百零五 → 105, 二〇三五 → 2035; None if not a whole numeral."""
    if not text or re.search(r"[\d.,]", text):
        return None
    try:
        value = _parse_decimal(text)
    except ValueError:
        return None
    return int(value) if value == value.to_integral_value() else None


def plain(value: float) -> int | float:
    """Whole numbers as int so JSON shows 6000000000, not 6000000000.0."""
    nearest = round(value)
    if abs(value - nearest) <= 1e-9 * max(1.0, abs(value)):  # 321.71 * 1e8 is not exact in floats
        return int(nearest)
    return round(value, 6)


def parse_money(text: str) -> Money | None:
    """'60亿元' → Money(6000000000, 'CNY'); the first amount in the text, else None."""
    for m in MONEY.finditer(text):
        money = money_from_match(m)
        if money is not None:
            return money
    return None


def parse_quantity(text: str) -> Quantity | None:
    """'5万吨' → Quantity(50000, '吨'), '10Gwh' → Quantity(10, 'GWh'); else None."""
    for m in QUANTITY.finditer(text):
        quantity = quantity_from_match(m)
        if quantity is not None:
            return quantity
    return None
