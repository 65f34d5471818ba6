"""Money in the ledger is kept in 万 (ten thousands) of its currency, as offices write it."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

YI_IN_WAN = Decimal(10000)
CURRENCY_SUFFIX = {"CNY": "元", "USD": "美元", "EUR": "欧元", "JPY": "日元", "HKD": "港元"}
_SUFFIX_CURRENCY = {v: k for k, v in CURRENCY_SUFFIX.items()}
_MONEY_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(亿|万)?\s*(美元|欧元|日元|港元|元)?\s*$")


def _trim(value: Decimal) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text or "0"


def format_wan(amount: Decimal | int | float | None, currency: str = "CNY") -> str:
    """80000 (万元) → "80亿元"; 2500 → "2,500万元"; 72000 USD → "7.2亿美元"."""
    if amount is None:
        return "—"
    amount = Decimal(str(amount))
    suffix = CURRENCY_SUFFIX.get(currency, currency)
    if abs(amount) >= YI_IN_WAN:
        return f"{_trim(amount / YI_IN_WAN)}亿{suffix}"
    return f"{_trim(amount)}万{suffix}"


def parse_money_wan(text: str) -> tuple[Decimal, str | None]:
    """Read "80亿元", "7.2亿美元", "2500万", "1,200" (万) into (amount in 万, currency or None).

    Raises ValueError with a readable message on anything else.
    """
    cleaned = (text or "").replace(",", "").replace("，", "").replace(" ", "")
    match = _MONEY_RE.match(cleaned)
    if not match:
        raise ValueError(f"not an amount: {text!r}")
    number, magnitude, suffix = match.groups()
    try:
        value = Decimal(number)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise ValueError(f"not an amount: {text!r}") from exc
    if magnitude == "亿":
        value *= YI_IN_WAN
    elif magnitude is None and suffix:
        value /= YI_IN_WAN  # plain 元
    return value, _SUFFIX_CURRENCY.get(suffix) if suffix else None


def to_cny(amount: Decimal | None, currency: str, rates: dict[str, Decimal]) -> Decimal:
    """An amount in another currency in yuan at the district's configured rate, for sums across projects.

    Each project keeps its own currency; only totals over several projects are converted.
    """
    if not amount:
        return Decimal(0)
    if currency == "CNY":
        return Decimal(amount)
    if currency not in rates:
        raise ValueError(f"no exchange rate configured for {currency}")
    return Decimal(amount) * rates[currency]
