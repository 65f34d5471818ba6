"""ECharts options for the indicator pages. Pure: plain numbers in, option dicts out."""

from __future__ import annotations

from decimal import Decimal

MONTHS = [f"{m}月" for m in range(1, 13)]


def _number(value: Decimal | None, scale: Decimal) -> float | None:
    return None if value is None else round(float(value / scale), 2)


def trend_option(
    *, title: str, unit_label: str, series: dict[str, list[Decimal | None]], scale: Decimal
) -> dict:
    """Monthly values of an indicator, one line per (unit, year)."""
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 60, "right": 20, "top": 40, "bottom": 50},
        "xAxis": {"type": "category", "data": MONTHS},
        "yAxis": {"type": "value", "name": unit_label},
        "series": [
            {"name": name, "type": "line", "connectNulls": False, "data": [_number(v, scale) for v in values]}
            for name, values in series.items()
        ],
    }


def growth_option(*, title: str, series: dict[str, list[Decimal | None]]) -> dict:
    """同比 growth by month in percent, bars per unit."""
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis", "valueFormatter": "%"},
        "legend": {"bottom": 0},
        "grid": {"left": 50, "right": 20, "top": 40, "bottom": 50},
        "xAxis": {"type": "category", "data": MONTHS},
        "yAxis": {"type": "value", "axisLabel": {"formatter": "{value}%"}},
        "series": [
            {"name": name, "type": "bar", "data": [_number(v, Decimal(1)) for v in values]}
            for name, values in series.items()
        ],
    }
