"""ECharts options for the problem statistics (pure: data in, dict out)."""

from django.utils.translation import gettext as _

from .rules import ProblemStats


def closure_chart(rows: list[tuple[str, ProblemStats]]) -> dict:
    """Stacked bars: closed, open and overdue problems per unit or department."""
    names = [name for name, _stats in rows]
    closed = [s.closed for _n, s in rows]
    overdue = [s.overdue for _n, s in rows]
    other_open = [s.raised - s.closed - s.overdue for _n, s in rows]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("Closed"), _("Open"), _("Overdue")]},
        "grid": {"left": 40, "right": 20, "bottom": 60, "containLabel": True},
        "xAxis": {"type": "category", "data": names, "axisLabel": {"rotate": 30}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": _("Closed"),
                "type": "bar",
                "stack": "n",
                "data": closed,
                "itemStyle": {"color": "#2e7d32"},
            },
            {
                "name": _("Open"),
                "type": "bar",
                "stack": "n",
                "data": other_open,
                "itemStyle": {"color": "#f9a825"},
            },
            {
                "name": _("Overdue"),
                "type": "bar",
                "stack": "n",
                "data": overdue,
                "itemStyle": {"color": "#c62828"},
            },
        ],
    }
