"""Numbers as Chinese reports write them: 321.71, 1,000, 十二, 两, 二〇三五; money and capacities.

All functions work on width-normalised text (see text.normalise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL = "零〇○一二两三四五六七八九十百千"
# An Arabic number (thousands commas, decimals) or a run of Chinese numerals.
NUMBER = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|[零〇○一二两三四五六七八九十百千]+)"


def chinese_numeral(text: str) -> int | None:
    """十二 → 12, 两 → 2, 一百零五 → 105, 二〇三五 → 2035 (digit by digit); None if not a numeral."""
    if not text or any(c not in _DIGITS and c not in _SMALL_UNITS for c in text):
        return None
    if not any(c in _SMALL_UNITS for c in text):  # 二〇三五: digits read one by one
        return int("".join(str(_DIGITS[c]) for c in text))
    total, digit = 0, None
    for c in text:
        if c in _DIGITS:
            digit = _DIGITS[c]
        else:  # 十 alone means 10, as in 十二
            total += (1 if digit is None else digit) * _SMALL_UNITS[c]
            digit = None
    return total + (digit or 0)


def parse_number(text: str) -> float | None:
    """'1,000' → 1000, '7.2' → 7.2, '十二' → 12; None when the text is not a number."""
    text = text.strip()
    try:
        return float(text.replace(",", ""))
    except ValueError:
        value = chinese_numeral(text)
        return float(value) if value is not None else None


def plain(value: float) -> int | float:
    """Whole numbers as int so JSON shows 6000000000, not 6000000000.0."""
    nearest = round(value)
    if abs(value - nearest) <= 1e-9 * max(1.0, abs(value)):  # 321.71 * 1e8 is not exact
        return int(nearest)
    return round(value, 6)


# ---- money -------------------------------------------------------------------------------

CURRENCIES = {
    "元": "CNY",
    "人民币": "CNY",
    "美元": "USD",
    "欧元": "EUR",
    "港元": "HKD",
    "港币": "HKD",
    "日元": "JPY",
    "英镑": "GBP",
}
_SCALE = {
    "": 1,
    "十": 10,
    "百": 100,
    "千": 1000,
    "万": 10_000,
    "十万": 100_000,
    "百万": 1_000_000,
    "千万": 10_000_000,
    "亿": 100_000_000,
    "十亿": 1_000_000_000,
    "百亿": 10_000_000_000,
    "千亿": 100_000_000_000,
    "万亿": 1_000_000_000_000,
}
# Bounds (超/逾/约/近 before, 多/余/以上/左右 after) keep the stated number, as SCHEMA.md asks.
MONEY = re.compile(
    r"(?P<bound>超过|超|逾|约|近|达到|达|突破|高达)?"
    rf"(?P<number>{NUMBER})(?P<approx>多|余)?"
    r"(?P<scale>万亿|千万|百万|十万|十亿|百亿|千亿|亿|万|千)?"
    r"(?P<currency>美元|欧元|港元|港币|日元|英镑|元)(?:人民币)?(?P<after>以上|左右|以内)?"
)


@dataclass(frozen=True)
class Money:
    amount: int | float
    currency: str
    start: int = 0
    end: int = 0

    def as_json(self) -> dict:
        return {"amount": self.amount, "currency": self.currency}


def money_from_match(m: re.Match) -> Money | None:
    number = parse_number(m.group("number"))
    if number is None:
        return None
    amount = number * _SCALE[m.group("scale") or ""]
    return Money(plain(amount), CURRENCIES[m.group("currency")], m.start(), m.end())


def parse_money(text: str) -> Money | None:
    """'60亿元' → Money(6000000000, 'CNY'); the first amount in the text, else None."""
    m = MONEY.search(text)
    return money_from_match(m) if m else None


# ---- capacities --------------------------------------------------------------------------

# Output unit spelling: energy and power units keep SI capitalisation.
_UNIT_SPELLING = {
    "gwh": "GWh",
    "mwh": "MWh",
    "kwh": "kWh",
    "twh": "TWh",
    "gw": "GW",
    "mw": "MW",
    "kw": "kW",
    "t": "吨",
}
# Count and mass units used for production capacity across industries.
CAPACITY_UNITS = (
    "GWh|MWh|kWh|TWh|GW|MW|kW|吨|套|台|辆|片|件|只|颗|块|个|平方米|立方米|"
    "千瓦时|千瓦|瓦|支|条|米|根|组|双|箱|瓶|盒|卷|部|万头|头|羽|公斤|千克|升"
)
CAPACITY = re.compile(
    rf"(?P<number>{NUMBER})(?P<scale>万亿|亿|千万|百万|十万|万|千)?"
    rf"(?P<unit>{CAPACITY_UNITS})(?![a-zA-Z])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quantity:
    quantity: int | float
    unit: str
    start: int
    end: int


def quantity_from_match(m: re.Match) -> Quantity | None:
    number = parse_number(m.group("number"))
    if number is None:
        return None
    unit = m.group("unit")
    unit = _UNIT_SPELLING.get(unit.lower(), unit)
    return Quantity(plain(number * _SCALE[m.group("scale") or ""]), unit, m.start(), m.end())


def parse_quantity(text: str) -> Quantity | None:
    """'5万吨' → Quantity(50000, '吨'), '10Gwh' → Quantity(10, 'GWh'); else None."""
    m = CAPACITY.search(text)
    return quantity_from_match(m) if m else None


def parse_percent(text: str) -> float | None:
    m = re.search(r"(-?\d+(?:\.\d+)?)\s*%", text)
    return float(m.group(1)) if m else None
