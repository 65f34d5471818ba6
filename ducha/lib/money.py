"""The ledger's convention: project money is kept in 万 (ten thousands) of its currency, as offices write it.

Reading and writing go through the one vocabulary in ducha.lib.quantities; this module only converts 万.
"""

from __future__ import annotations

from decimal import Decimal

from .quantities import CURRENCY_SUFFIX, WAN, format_money, parse_money, to_cny

__all__ = ["CURRENCY_SUFFIX", "format_wan", "parse_money_wan", "to_cny", "wan_to_yuan", "yuan_to_wan"]


def wan_to_yuan(amount_wan: Decimal | int | float | None) -> Decimal | None:
    return None if amount_wan is None else Decimal(str(amount_wan)) * WAN


def yuan_to_wan(amount: Decimal | int | float | None) -> Decimal | None:
    if amount is None:
        return None
    value = Decimal(str(amount)) / WAN
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def format_wan(amount: Decimal | int | float | None, currency: str = "CNY") -> str:
    """80000 (万元) → "80亿元"; 2500 → "2,500万元"; 72000 USD → "7.2亿美元"."""
    return format_money(wan_to_yuan(amount), currency)


def parse_money_wan(text: str | int | float | Decimal) -> tuple[Decimal, str | None]:
    """ "80亿元", "7.2亿美元", "一亿二千万元", "2500万", "1,200" (万) → (amount in 万, currency or None).

    A bare number is in 万. Raises ValueError on anything else, negative amounts included.
    """
    amount, currency = parse_money(text, bare_scale=WAN)
    if amount < 0:
        raise ValueError(f"negative amount: {text!r}")
    return yuan_to_wan(amount) or Decimal(0), currency
