"""ECharts options for the project pages: plain dicts, built from plain data."""

from decimal import Decimal

from django.utils.translation import gettext as _

from ducha.lib import schedule


def progress_chart(reports, annual_plan: Decimal | None, year: int) -> dict:
    """Monthly investment bars, and the cumulative completion ratio against the 序时 line."""
    by_month = {r.month: r for r in reports}
    months = list(range(1, 13))
    monthly = [float(by_month[m].investment_month) if m in by_month else None for m in months]
    ratio_line, schedule_line = [], []
    for m in months:
        schedule_line.append(round(float(schedule.schedule_ratio_for_month(m)) * 100, 1))
        ratio = schedule.completion_ratio(by_month[m].investment_ytd, annual_plan) if m in by_month else None
        ratio_line.append(round(float(ratio) * 100, 1) if ratio is not None else None)
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 50, "right": 50, "bottom": 30, "top": 40},
        "xAxis": {"type": "category", "data": [_("%(m)d月") % {"m": m} for m in months]},
        "yAxis": [
            {"type": "value", "name": _("10k yuan")},
            {"type": "value", "name": "%", "max": 120},
        ],
        "series": [
            {
                "name": _("Investment this month"),
                "type": "bar",
                "data": monthly,
                "itemStyle": {"color": "#5470c6"},
            },
            {
                "name": _("Completion of annual plan"),
                "type": "line",
                "yAxisIndex": 1,
                "data": ratio_line,
                "connectNulls": True,
                "itemStyle": {"color": "#c62828"},
            },
            {
                "name": _("On-schedule progress"),
                "type": "line",
                "yAxisIndex": 1,
                "data": schedule_line,
                "lineStyle": {"type": "dashed"},
                "itemStyle": {"color": "#999"},
            },
        ],
    }
