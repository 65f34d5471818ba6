"""ECharts options for the cockpit and the chain map. Pure: plain numbers in, option dicts out.

Amounts arrive in 万元 and are drawn in 亿元, as leaders read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ducha.lib import schedule

YI_IN_WAN = Decimal(10000)
MONTHS = [f"{m}月" for m in range(1, 13)]
COLOURS = {"plan": "#9fa8da", "done": "#1565c0", "schedule": "#9e9e9e", "ratio": "#c62828"}


def _yi(amount: Decimal | None) -> float | None:
    return None if amount is None else round(float(amount / YI_IN_WAN), 2)


def _percent(ratio: Decimal | None) -> float | None:
    return None if ratio is None else round(float(ratio * 100), 1)


def plan_and_completion_bars(rows: Sequence[tuple[str, str, Decimal, Decimal]]) -> dict:
    """Horizontal bars per (name, link, annual plan, completed); clicking a bar opens its link."""
    rows = list(reversed(rows))  # ECharts draws the first category at the bottom
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0, "data": [_("Annual plan"), _("Completed")]},
        "grid": {"left": 8, "right": 24, "top": 28, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "name": _("100 million yuan"), "nameLocation": "end", "nameGap": 4},
        "yAxis": {
            "type": "category",
            "data": [r[0] for r in rows],
            "axisLabel": {"width": 90, "overflow": "truncate"},
        },
        "series": [
            {
                "name": _("Annual plan"),
                "type": "bar",
                "data": [{"value": _yi(r[2]), "link": r[1]} for r in rows],
                "itemStyle": {"color": COLOURS["plan"]},
            },
            {
                "name": _("Completed"),
                "type": "bar",
                "data": [{"value": _yi(r[3]), "link": r[1]} for r in rows],
                "itemStyle": {"color": COLOURS["done"]},
            },
        ],
    }


def monthly_completion_chart(cumulative: Sequence[Decimal | None], plan: Decimal) -> dict:
    """Completion of the annual plan month by month against the 序时 line (elapsed months ÷ 12)."""
    ratios = [
        _percent(schedule.completion_ratio(done, plan)) if done is not None else None for done in cumulative
    ]
    return {
        "tooltip": {"trigger": "axis", "valueFormatter": None},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": MONTHS},
        "yAxis": [
            {"type": "value", "name": _("100 million yuan")},
            {"type": "value", "name": "%", "max": 120, "splitLine": {"show": False}},
        ],
        "series": [
            {
                "name": _("Completed this year"),
                "type": "bar",
                "data": [_yi(v) for v in cumulative],
                "itemStyle": {"color": COLOURS["done"]},
            },
            {
                "name": _("Completion of annual plan"),
                "type": "line",
                "yAxisIndex": 1,
                "data": ratios,
                "itemStyle": {"color": COLOURS["ratio"]},
            },
            {
                "name": _("On-schedule progress"),
                "type": "line",
                "yAxisIndex": 1,
                "data": [_percent(schedule.schedule_ratio_for_month(m)) for m in range(1, 13)],
                "lineStyle": {"type": "dashed"},
                "itemStyle": {"color": COLOURS["schedule"]},
            },
        ],
    }


def indicator_trend_chart(
    *, name: str, suffix: str, this_year: list, last_year: list, year: int, scale: Decimal
) -> dict:
    """An indicator's monthly values this year against last year's same months."""

    def scaled(values):
        return [None if v is None else round(float(v / scale), 2) for v in values]

    return {
        "title": {"text": name, "left": "center", "textStyle": {"fontSize": 13}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 30, "containLabel": True},
        "xAxis": {"type": "category", "data": MONTHS},
        "yAxis": {"type": "value", "name": suffix},
        "series": [
            {"name": str(year), "type": "line", "data": scaled(this_year), "itemStyle": {"color": "#c62828"}},
            {
                "name": str(year - 1),
                "type": "line",
                "data": scaled(last_year),
                "lineStyle": {"type": "dashed"},
                "itemStyle": {"color": "#9e9e9e"},
            },
        ],
    }


POSITION_COLOURS = {"upstream": "#6a1b9a", "midstream": "#1565c0", "downstream": "#2e7d32"}


def chain_sankey(chain) -> dict:
    """The chain as a sankey: industry → position → segment → its largest projects (and one "N more" node),
    widths by total investment (亿元).

    `chain` is a selectors.ChainMap; a project node carries its link so a click opens the project, a segment
    and its "N more" node carry the segment's filtered ledger. The node count is bounded by the segments.
    """
    nodes: list[dict] = [{"name": chain.industry.name, "itemStyle": {"color": "#8b1a1a"}}]
    links: list[dict] = []
    seen: set[str] = {chain.industry.name}

    def node(name: str, **extra) -> str:
        # Sankey node names must be unique; a segment named like a position gets a suffix.
        while name in seen:
            name += " "
        seen.add(name)
        nodes.append({"name": name, **extra})
        return name

    for group in chain.positions:
        if not group.count:
            continue
        colour = POSITION_COLOURS.get(group.position, "#607d8b")
        position = node(str(group.label), itemStyle={"color": colour})
        links.append(
            {
                "source": chain.industry.name,
                "target": position,
                "value": max(_yi(group.investment) or 0, 0.01),
            }
        )
        for segment in group.segments:
            extra = {"link": segment.url} if segment.url else {}
            seg = node(segment.name or str(group.label), itemStyle={"color": colour}, **extra)
            links.append(
                {"source": position, "target": seg, "value": max(_yi(segment.investment) or 0, 0.01)}
            )
            for p in segment.projects:
                value = _yi(p.investment_cny)
                name = node(
                    p.name,
                    link=p.url or reverse("projects:detail", args=[p.pk]),
                    itemStyle={"color": colour, "opacity": 0.75},
                )
                links.append({"source": seg, "target": name, "value": max(value or 0, 0.01)})
            if segment.rest:
                more = node(
                    ngettext("%(n)s more project", "%(n)s more projects", segment.rest) % {"n": segment.rest},
                    itemStyle={"color": colour, "opacity": 0.45},
                    **extra,
                )
                value = _yi(segment.rest_investment)
                links.append({"source": seg, "target": more, "value": max(value or 0, 0.01)})
    return {
        "tooltip": {"trigger": "item", "triggerOn": "mousemove"},
        "series": [
            {
                "type": "sankey",
                "left": 8,
                "right": 160,
                "top": 8,
                "bottom": 8,
                "nodeGap": 6,
                "emphasis": {"focus": "adjacency"},
                "lineStyle": {"color": "gradient", "curveness": 0.5},
                "label": {"fontSize": 11},
                "data": nodes,
                "links": links,
            }
        ],
    }
