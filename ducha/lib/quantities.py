"""Numbers, money and quantities as Chinese offices write them — the one vocabulary of the platform.

The ledger import, indicator entry, the report extractor, charts and documents all read and write
figures through this module, so "一亿二千万元", "1亿2000万元" and "12000万元" mean the same thing everywhere.

Reading: Arabic numbers (with thousands commas and decimals), Chinese numerals (cn2an reads the
colloquial forms: 三千五 = 3500, 一万二千 = 12000) and mixtures (1亿2000万), scales (十/百/千/万/亿),
currencies (元, 美元, 港元/港币, 欧元, 日元, 英镑) and capacity units (吨, GWh, 套, 头, 羽, 公斤 …).
Bounded and approximate forms (超100亿元, 60多亿元, 约5亿元, 1亿元以上) keep their stated number.

Text given to these functions should be width-normalised (full-width digits → ASCII) first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

import cn2an

WAN = Decimal(10_000)
YI = Decimal(100_000_000)

# ---------------------------------------------------------------- numbers

_DIGITS = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN_DIGIT = "零〇○一二两三四五六七八九"
_CN_ALL = _CN_DIGIT + "十百千"
# 千 after Arabic digits is a scale (3千万), except in the units 千瓦, 千克, 千米.
_ARABIC_SEGMENT = rf"{_DIGITS}(?:[十百千](?![瓦克米]))?[万亿]*"
# A number: one segment, then more segments that start with a digit (1亿2000万, 一亿二千万, 两亿零五百万).
# Atomic so that long runs of numerals cannot make the regex backtrack exponentially.
NUMBER = (
    rf"(?>(?:{_ARABIC_SEGMENT}|[{_CN_ALL}][{_CN_ALL}]*[万亿]*)"
    rf"(?:{_ARABIC_SEGMENT}|[{_CN_DIGIT}][{_CN_ALL}]*[万亿]*)*)"
)
_SCALES = {"": 1, "十": 10, "百": 100, "千": 1000, "万": 10**4, "十万": 10**5, "百万": 10**6, "千万": 10**7}
_SCALES |= {"亿": 10**8, "十亿": 10**9, "百亿": 10**10, "千亿": 10**11, "万亿": 10**12}
_PLAIN = re.compile(rf"({_DIGITS})({'|'.join(k for k in _SCALES if k)})?")


def parse_number(text: str) -> Decimal:
    """ "1,200" → 1200, "1.5亿" → 150000000, "一亿二千万" → 120000000, "三千五" → 3500.

    Raises ValueError when the text is not a number.
    """
    cleaned = (text or "").strip().replace(" ", "")
    match = _PLAIN.fullmatch(cleaned)
    if match:  # Arabic digits with at most one scale: exact decimal arithmetic, however many digits
        digits = match.group(1).replace(",", "")
        scale = _SCALES[match.group(2) or ""]
        if len(digits) <= 15:  # with a scale's 13 digits at most (万亿), within the default context's 28
            return _tidy(Decimal(digits) * scale)
        exact = Context(prec=len(digits) + 13)
        return _tidy(exact.multiply(Decimal(digits), scale), exact)
    if not cleaned or not re.fullmatch(NUMBER, cleaned):
        raise ValueError(f"not a number: {text!r}")
    if cleaned[0] in "百千":  # 超百亿元, 近千万元: a bare 百 or 千 counts one hundred or one thousand
        cleaned = "一" + cleaned
    try:
        value = cn2an.cn2an(cleaned.replace(",", ""), "smart")
    except (ValueError, KeyError, IndexError) as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    return _tidy(Decimal(str(value)))


def _tidy(number: Decimal, context: Context | None = None) -> Decimal:
    """1.5 × 10⁸ is 150000000, not 150000000.0. `context`: one wide enough for the number's digits, where the
    default context's 28 are not; a whole number of more digits gets one of its own."""
    if number == number.to_integral_value():
        if number.adjusted() >= 28:
            context = Context(prec=number.adjusted() + 1)
        return number.quantize(_ONE, context=context)
    return number.normalize(context=context)


_ONE = Decimal(1)


def plain(value: Decimal) -> int | float:
    """A Decimal as JSON writes numbers: whole numbers as int (6000000000, not 6000000000.0)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# ---------------------------------------------------------------- money

CURRENCY_WORDS = {
    "元": "CNY",
    "人民币": "CNY",
    "美元": "USD",
    "港元": "HKD",
    "港币": "HKD",
    "欧元": "EUR",
    "日元": "JPY",
    "英镑": "GBP",
}
CURRENCY_SUFFIX = {"CNY": "元", "USD": "美元", "HKD": "港元", "EUR": "欧元", "JPY": "日元", "GBP": "英镑"}
_CURRENCY = "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True))
BOUND_BEFORE = r"超过|超|逾|约|近|达到|达|突破|高达"
MONEY = re.compile(
    rf"(?P<bound>{BOUND_BEFORE})?(?P<number>{NUMBER})(?P<approx>多|余)?"
    r"(?P<scale>万亿|千万|百万|十万|亿|万|千)?"
    rf"(?P<currency>{_CURRENCY})(?:人民币)?(?P<after>以上|左右|以内)?"
)
# A form field: a number, optionally with a scale and a currency, nothing else.
_MONEY_FIELD = re.compile(
    rf"(?P<number>{NUMBER})(?P<scale>万亿|千万|百万|十万|亿|万|千)?(?P<currency>{_CURRENCY})?(?:人民币)?"
)


@dataclass(frozen=True)
class Money:
    """An amount in base units (元, 美元 …) and its ISO currency code."""

    amount: Decimal
    currency: str
    start: int = 0
    end: int = 0

    def as_json(self) -> dict:
        return {"amount": plain(self.amount), "currency": self.currency}


def _value(number: str, approx: str | None, scale: str | None) -> Decimal:
    # "60多亿": the 多 sits between the number and its scale; drop it, keep the number.
    del approx
    return parse_number(number + (scale or ""))


def money_from_match(m: re.Match) -> Money | None:
    try:
        amount = _value(m.group("number"), m.group("approx"), m.group("scale"))
    except ValueError:
        return None
    return Money(amount, CURRENCY_WORDS[m.group("currency")], m.start(), m.end())


def parse_money(
    text: str | int | float | Decimal, *, bare_scale: Decimal | int = 1
) -> tuple[Decimal, str | None]:
    """A typed or spreadsheet amount → (amount in base units, currency code or None when none was written).

    A bare number without scale or currency is in units of `bare_scale` (the ledger writes 万).
    Raises ValueError on anything that is not one amount.
    """
    if isinstance(text, bool):
        raise ValueError(f"not an amount: {text!r}")
    if isinstance(text, int | float | Decimal):
        return _tidy(Decimal(str(text)) * bare_scale), None
    cleaned = re.sub(r"[\s,，]", "", str(text))
    match = _MONEY_FIELD.fullmatch(cleaned)
    if not match:
        raise ValueError(f"not an amount: {text!r}")
    amount = _value(match.group("number"), None, match.group("scale"))
    written_scale = match.group("scale") or re.search(r"[十百千万亿]", match.group("number"))
    if not written_scale and not match.group("currency"):
        amount *= bare_scale
    currency = CURRENCY_WORDS[match.group("currency")] if match.group("currency") else None
    return amount, currency


def to_cny(amount: Decimal | None, currency: str, rates: dict[str, Decimal]) -> Decimal:
    """An amount in another currency in yuan at the configured rate, for sums across projects.

    Each project keeps its own currency; only totals over several projects are converted.
    """
    if not amount:
        return Decimal(0)
    if currency == "CNY":
        return Decimal(amount)
    if currency not in rates:
        raise ValueError(f"no exchange rate configured for {currency}")
    return Decimal(amount) * rates[currency]


# ---------------------------------------------------------------- quantities

# Output spelling of units: energy and power keep SI capitalisation; the rest as Chinese writes them.
_UNIT_SPELLING = {
    "gwh": "GWh",
    "mwh": "MWh",
    "kwh": "kWh",
    "twh": "TWh",
    "gw": "GW",
    "mw": "MW",
    "kw": "kW",
    "kva": "kVA",
    "mva": "MVA",
    "t": "吨",
    "千克": "公斤",
    "平米": "平方米",
}
CAPACITY_UNITS = (
    "GWh", "MWh", "kWh", "TWh", "GW", "MW", "kW", "kVA", "MVA", "t",
    "千伏安", "千瓦时", "千瓦", "兆瓦时", "兆瓦", "吉瓦", "瓦", "吨", "公斤", "千克", "升", "立方米", "立方", "平方米", "平米", "公里", "米",
    "标箱", "重量箱", "套", "台", "辆", "片", "件", "只", "颗", "块", "个", "支", "条", "根", "组", "双", "箱", "瓶", "盒",
    "卷", "张", "部", "头", "羽", "株", "锭", "樘", "码", "亩",
)  # fmt: skip
# A Latin unit must not run on into a word (5G, 10MWh is not 10MW); a Chinese one may be followed
# by Latin letters (年产600万米PSP管材).
_LATIN_UNIT = "|".join(sorted((u for u in CAPACITY_UNITS if u.isascii()), key=len, reverse=True))
_HAN_UNIT = "|".join(sorted((u for u in CAPACITY_UNITS if not u.isascii()), key=len, reverse=True))
_UNIT = "|".join(sorted(CAPACITY_UNITS, key=len, reverse=True))
QUANTITY = re.compile(
    rf"(?P<number>{NUMBER})(?P<approx>多|余)?(?P<scale>万亿|亿|千万|百万|十万|万|千(?![瓦克米]))?"
    rf"(?P<unit>{_HAN_UNIT}|(?:{_LATIN_UNIT})(?![a-zA-Z]))",
    re.IGNORECASE,
)


def unit_spelling(unit: str) -> str:
    return _UNIT_SPELLING.get(unit.lower(), _UNIT_SPELLING.get(unit, unit))


@dataclass(frozen=True)
class Quantity:
    quantity: Decimal
    unit: str
    start: int = 0
    end: int = 0


def quantity_from_match(m: re.Match) -> Quantity | None:
    try:
        value = _value(m.group("number"), m.group("approx"), m.group("scale"))
    except ValueError:
        return None
    return Quantity(value, unit_spelling(m.group("unit")), m.start(), m.end())


_CAPACITY_ITEM = re.compile(rf"(?:年产|年产能|年加工|年处理|产能)?\s*(?P<q>{NUMBER}.*)")


def parse_capacity(text: str) -> tuple[Quantity, str]:
    """ "年产5万头生猪" → (Quantity(50000, 头), "生猪"); "18GWh动力电池" → (18 GWh, "动力电池").

    Raises ValueError unless the text is a quantity, a unit and a product, in that order.
    """
    item = re.sub(r"\s+", "", text or "")
    lead = _CAPACITY_ITEM.fullmatch(item)
    m = QUANTITY.match(lead.group("q")) if lead else None
    if not lead or not m or m.group("approx"):
        raise ValueError(f"not a capacity: {text!r}")
    quantity = quantity_from_match(m)
    product = lead.group("q")[m.end() :].strip()
    if quantity is None or not product:
        raise ValueError(f"not a capacity: {text!r}")
    return quantity, product


# Units that count things in statistics rather than production capacities.
COUNT_UNITS = ("家", "户", "人", "项", "所", "%")
_FIGURE_FIELD = re.compile(
    rf"(?:年产|年产能)?(?P<sign>[+-])?(?P<number>{NUMBER})(?P<scale>万亿|千万|百万|十万|亿|万|千)?"
    rf"(?P<unit>{_CURRENCY}|{_UNIT}|{'|'.join(COUNT_UNITS)})?(?:人民币)?",
    re.IGNORECASE,
)


def parse_figure(text: str | int | float | Decimal) -> tuple[Decimal, str | None]:
    """A typed statistic → (value in base units, unit or None): "321.71亿元" → (32171000000, "CNY"),
    "5万头" → (50000, "头"), "12.5%" → (12.5, "%"), "-3" → (-3, None). Currencies come back as ISO codes.

    Raises ValueError when the text is not one figure.
    """
    if isinstance(text, bool):
        raise ValueError(f"not a number: {text!r}")
    if isinstance(text, int | float | Decimal):
        return _tidy(Decimal(str(text))), None
    cleaned = re.sub(r"[\s,，]", "", str(text))
    match = _FIGURE_FIELD.fullmatch(cleaned)
    if not match:
        raise ValueError(f"not a number: {text!r}")
    value = _value(match.group("number"), None, match.group("scale"))
    if match.group("sign") == "-":
        value = -value
    unit = match.group("unit")
    if unit is not None:
        unit = CURRENCY_WORDS.get(unit) or unit_spelling(unit)
    return value, unit


# ---------------------------------------------------------------- display


def _trim(value: Decimal, *, grouped: bool) -> str:
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{rounded:,}" if grouped else f"{rounded}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_amount(value: Decimal | int | float | None, suffix: str = "") -> str:
    """A figure in base units as offices write it: 32171000000 元 → "321.71亿元",
    25000000 → "2,500万元", 456 家 → "456家". 亿 figures are written without thousands commas
    (as newspapers do: 1425.2亿元), smaller ones with them. None → "—".
    """
    if value is None:
        return "—"
    value = Decimal(str(value))
    if abs(value) >= YI:
        return f"{_trim(value / YI, grouped=False)}亿{suffix}"
    if abs(value) >= WAN:
        return f"{_trim(value / WAN, grouped=True)}万{suffix}"
    return f"{_trim(value, grouped=True)}{suffix}"


def format_money(amount: Decimal | int | float | None, currency: str = "CNY") -> str:
    """An amount in base units of its currency: 7200000000 USD → "72亿美元"."""
    return format_amount(amount, CURRENCY_SUFFIX.get(currency, currency))


def chart_scale(values: Iterable[Decimal | int | float | None], suffix: str) -> tuple[Decimal, str]:
    """The scale a chart draws figures in, and its axis label: 亿 when the largest is at least 1亿,
    万 when at least 1万, else as they are. Drawn figures are value ÷ scale."""
    largest = max((abs(Decimal(str(v))) for v in values if v is not None), default=Decimal(0))
    if largest >= YI:
        return YI, f"亿{suffix}"
    if largest >= WAN:
        return WAN, f"万{suffix}"
    return Decimal(1), suffix


def format_in_scale(value: Decimal | int | float | None, scale: Decimal | int) -> str:
    """A figure written in a fixed scale, for a table column whose header states the unit once
    (the scale from `chart_scale` or 万 for the ledger's money): 606000000 in 万 → "60,600", in 亿 → "6.06".
    Written as `format_amount` writes that scale: 亿 without thousands commas, smaller scales with them."""
    if value is None:
        return "—"
    scale = Decimal(scale)
    return _trim(Decimal(str(value)) / scale, grouped=scale < YI)
