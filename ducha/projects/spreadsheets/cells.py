"""Reading one cell: money, dates, yes/no and capacities, through the shared vocabulary."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ducha.lib.money import parse_money_wan
from ducha.lib.quantities import parse_capacity

from ..choices import Currency
from .columns import norm_header
from .results import CapacitySpec, CellError

_FORMULA_MARK = re.compile(
    r"^'(?=[=+\-@\t\r])"
)  # the quote ducha.lib.xlsx.safe_cell puts before formula-like text


# ---------------------------------------------------------------- cells


def cell_text(value: Any) -> str:
    if type(value) is str:  # most cells: the formula mark only ever follows a quote
        text = value.strip()
        return _FORMULA_MARK.sub("", text) if text.startswith("'") else text
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return _FORMULA_MARK.sub("", str(value).strip())


def _decimal(value: float | int) -> Decimal:
    number = Decimal(str(value))
    rounded = number.quantize(Decimal("0.01"))
    # Excel arithmetic leaves 1234.5600000001; keep cents.
    return rounded if abs(number - rounded) < Decimal("0.000001") else number


_ONE = Decimal(1)
_ZERO = Decimal(0)
_PLAIN_NUMBERS = Decimal(10) ** 15  # larger ones (and negative ones) take the general path and its messages


def parse_money(value: Any) -> tuple[Decimal | None, str | None]:
    """A money cell: a number in 万, or text such as 80亿元, 一亿二千万元, 1.5亿港币. (None, None) when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        raise CellError(_("not an amount"))
    if type(value) is int or type(value) is float:
        # A number cell is an amount in 万: what parse_money_wan gives for it (×10,000 yuan, back to 万, tidied)
        # is the number itself, tidied, without its three conversions through text.
        number = _decimal(value)
        if 0 <= number < _PLAIN_NUMBERS:
            return (
                number.quantize(_ONE) if number == number.to_integral_value() else number.normalize()
            ) or _ZERO, None
    try:
        amount, currency = parse_money_wan(_decimal(value) if isinstance(value, int | float) else str(value))
    except ValueError:
        raise CellError(_("not an amount; write a number in 万 or text such as 80亿元")) from None
    if currency is not None and currency not in Currency.values:
        raise CellError(_("this currency is not supported"))
    return amount, currency


def parse_degrees(value: Any) -> Decimal | None:
    """A longitude or latitude cell: decimal degrees (WGS-84), stored to six places. None when empty."""
    from ..rules import stored_point

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("not a number of degrees"))
    try:
        degrees = float(str(value).strip().rstrip("°"))
    except ValueError:
        raise CellError(_("not a number of degrees; write decimal degrees such as 119.5625")) from None
    if degrees != degrees or degrees in (float("inf"), float("-inf")):
        raise CellError(_("not a number of degrees; write decimal degrees such as 119.5625"))
    return stored_point(degrees, 0.0)[0]


def parse_date(value: Any) -> date | None:
    """A date cell, or text: 2020-03-15, 2020/3/15, 2020.3.15, 2020年3月15日; 2020年3月 means the 1st."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月)?", text)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
        except ValueError:
            pass
    raise CellError(_("not a date; write it as 2020-03-15"))


def parse_bool(value: Any) -> bool:
    text = norm_header(cell_text(value))
    if text in {"", "否", "no", "n", "false", "0", "×", "x", "未入统"}:
        return False
    if text in {"是", "yes", "y", "true", "1", "√", "✓", "已入统"}:
        return True
    raise CellError(_("write 是 or 否"))


def parse_capacities(text: str) -> list[CapacitySpec]:
    """ "18GWh动力电池；20万套电池系统；年产5万头生猪" → [(18, GWh, 动力电池), (200000, 套, 电池系统), (50000, 头, 生猪)]."""
    specs = []
    for item in re.split(r"[；;，,、\n]+", text or ""):
        item = item.strip()
        if not item:
            continue
        try:
            quantity, product = parse_capacity(item)
        except ValueError:
            raise CellError(
                _(
                    "cannot read the capacity “%(item)s”; write a number, a unit and the product, e.g. 18GWh动力电池"
                )
                % {"item": item}
            ) from None
        specs.append(CapacitySpec(quantity.quantity, quantity.unit, product[:80]))
    return specs
