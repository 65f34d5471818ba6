"""The bulletin's content: every figure of one period, gathered from the other apps' selectors and
frozen as plain JSON (strings already formatted) so that the page and the .docx always show the same.

Every count is as of the end of the period (a project 竣工 in September is 开工 in the 1-6月 bulletin) and each
table column has one unit, named once in its header (`tables`): money in 万元 or 亿元, shares in %, counts in 个.

The bulletin is the district's document: it is computed over all projects, whoever asks for it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ducha.evaluation.choices import Flag
from ducha.evaluation.selectors import latest_published_flags
from ducha.indicators.choices import MEASURE_SUFFIX
from ducha.indicators.rules import format_percent
from ducha.indicators.selectors import indicator_table, is_home_district
from ducha.lib.money import format_wan, to_cny, wan_to_yuan
from ducha.lib.periods import Period
from ducha.lib.quantities import WAN, chart_scale, format_in_scale
from ducha.projects.choices import Light, Stage
from ducha.projects.models import PeriodFigures, Project, StageDate, UnitPeriodFigures
from ducha.projects.rollups import year_stored
from ducha.projects.selectors import (
    exchange_rates,
    light_labels,
    period_light_is,
    with_period_figures,
)
from ducha.supervision.selectors import problem_stats_by_department
from ducha.units.models import PeerGroup, Unit

from .selectors import COMPLETED_STAGES, figures, start_rate

VERSION = 2
LIST_LIMIT = 30  # rows of a list of projects (not yet started, lagging); the rest are counted under the table
RANKED_INDICATORS = 3
MONEY_UNIT = "万元"  # the ledger keeps project money in 万 (ducha.lib.money); its tables say so once


def chinese_date(day: date) -> str:
    """2020年12月5日: Arabic numerals without leading zeros, as GB/T 9704 writes the date of a document."""
    return f"{day.year}年{day.month}月{day.day}日"


def _pct(ratio: Decimal | None, digits: int = 1) -> str:
    """A ratio (0.863) in a column headed "%": "86.3"."""
    return "—" if ratio is None else f"{ratio * 100:.{digits}f}"


def _percent(value: Decimal | None, *, signed: bool = False) -> str:
    """A percentage (91.36) in a column headed "%", as the indicator table writes it: "+10.48"."""
    return format_percent(value, signed=signed).removesuffix("%")


def _money(amount: Decimal | None) -> str:
    return format_wan(amount or Decimal(0))


def _money_line(totals: dict[str, Decimal]) -> str:
    parts = [format_wan(totals.get("CNY", Decimal(0)), "CNY")]
    parts += [format_wan(v, c) for c, v in sorted(totals.items()) if c != "CNY" and v]
    return " + ".join(parts)


def bulletin_title(period: Period, region=None) -> str:
    """全区…通报 for a district, 全市…通报 for a city, 全省…通报 for a province."""
    level = getattr(region, "level", "county")
    if level == "city":
        return _("Bulletin on the key projects of the city, %(period)s") % {"period": period}
    if level == "province":
        return _("Bulletin on the key projects of the province, %(period)s") % {"period": period}
    return _("Bulletin on the key projects of the district, %(period)s") % {"period": period}


def _stage_counts(period: Period, units: list[int]) -> Counter:
    """How many projects had reached each stage by the end of the period (the units' stored sums)."""
    rows = UnitPeriodFigures.objects.filter(
        unit_id__in=units,
        year=period.year,
        month=period.month,
        dimension=UnitPeriodFigures.Dimension.STAGE_AT_END,
    )
    counts: Counter = Counter()
    for stage, n in rows.values_list("key", "projects"):
        counts[stage] += n
    return counts


def _overview(period: Period, units: list[int], whole: bool) -> dict:
    projects = Project.objects.filter(unit__in=units)
    f = figures(projects, period, units=units)
    completion = f.completion
    starts = start_rate(None, period) if whole else start_rate(projects, period, units=units)  # stored counts
    lights = light_labels()
    by_stage = _stage_counts(period, units)
    return {
        "projects": f.all.count,
        "total_investment": _money_line(f.all.total),
        "plan": _money(f.all.plan),
        "completed": _money(f.all.completed),
        "completion": f"{_pct(completion.ratio)}%",
        "schedule": f"{_pct(period.schedule_ratio)}%",
        # Points against 序时: negative when behind, as "较序时进度-5.8个百分点".
        "points_behind": "—" if completion.points_behind is None else f"{-completion.points_behind:+.1f}",
        "ahead": completion.ahead,
        # Stages as they were at the end of the period, not as they are today.
        "by_stage": [[str(label), by_stage[stage]] for stage, label in Stage.choices],
        # Lights as of the period, so that an earlier month's bulletin reads as it did then.
        "lights": [[lights[c]["label"], f.light_count(c)] for c in (Light.RED, Light.YELLOW, Light.GREEN)],
        "start_planned": starts.planned,
        "start_started": starts.started,
        "start_rate": f"{_pct(starts.ratio)}%",
        "completed_or_producing": sum(by_stage[s] for s in COMPLETED_STAGES),
    }


def _indicators(period: Period, region) -> dict:
    """The district's indicators, each row in its own unit (stated in the unit column), and the units' values of
    the first indicators, each indicator's column in one unit (stated in its header). A region's bulletin
    compares the units its office evaluates (a city's: its districts); values without a unit are the home
    district's, so only its bulletin has the district's own rows."""
    among = None if region is None else Unit.objects.subjects_of(region)
    table = indicator_table(year=period.year, month=period.month, among=among)
    district = []
    for c in table.district.cells if is_home_district(region) else []:
        scale, unit = chart_scale(
            [c.derived.value, c.derived.target], MEASURE_SUFFIX.get(c.indicator.measure, "")
        )
        district.append(
            [
                c.indicator.name,
                unit,
                format_in_scale(c.derived.value, scale),
                format_in_scale(c.derived.target, scale),
                _percent(c.derived.completion),
                _percent(c.derived.growth, signed=True),
            ]
        )
    ranked = table.indicators[:RANKED_INDICATORS]
    scales = {}
    for indicator in ranked:
        found = [row.cell(indicator.code) for row in table.rows]
        scales[indicator.code] = chart_scale(
            [c.value for c in found if c is not None and c.reported],
            MEASURE_SUFFIX.get(indicator.measure, ""),
        )
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for indicator in ranked:
            cell = row.cell(indicator.code)
            if cell is None or not cell.reported:
                cells += ["—", "—"]
            else:
                place = f"({cell.rank_peer})" if cell.rank_peer else ""
                cells += [
                    format_in_scale(cell.value, scales[indicator.code][0]),
                    f"{_percent(cell.growth, signed=True)}{place}",
                ]
        rows.append([row.label, *cells])
    return {
        "district": district,
        "ranked": [{"name": i.name, "unit": scales[i.code][1]} for i in ranked],
        "units": rows,
    }


def _districts_of(region, units: list[int]) -> dict[int, tuple[str, str]]:
    """For a city's (or province's) bulletin: each unit's district (code, name), so that its tables compare the
    districts; empty for a district's own bulletin, whose tables compare its towns, streets and parks."""
    from .regions import breakdown_regions

    if region is None:
        return {}
    rows = list(Unit.objects.filter(pk__in=units).select_related("region"))
    _top, children = breakdown_regions(list({u.region for u in rows}), region)
    result = {}
    for unit in rows:
        child = next((c for c in children if c.contains(unit.region)), None)
        if child is not None:
            result[unit.pk] = (child.code, child.name)
    return result


def _signed_starts(period: Period, units: list[int], districts: dict[int, tuple[str, str]]) -> dict:
    """签约项目开工情况: projects planned to start this year by the period's end (the evaluation's 开工率
    rule), per unit, with those not yet started and the stage they had reached.

    The per-unit counts are complete (counted in SQL); of the projects not yet started only the LIST_LIMIT
    longest overdue are listed (earliest planned start, then the largest investment), the rest counted."""
    until = period.end
    planned = StageDate.objects.filter(
        stage=Stage.STARTED,
        planned_date__gte=date(period.year, 1, 1),
        planned_date__lte=until,
        project__unit__in=units,
    )
    started = Q(actual_date__isnull=False, actual_date__lte=until)
    counts = {
        row["project__unit"]: (row["n"], row["done"])
        for row in planned.values("project__unit").annotate(n=Count("pk"), done=Count("pk", filter=started))
    }
    rows: list[list] = []
    if districts:  # a city's bulletin: one row per district
        by_district: dict[tuple[str, str], list[int]] = {}
        for unit_id, (n, done) in counts.items():
            sums = by_district.setdefault(districts.get(unit_id, ("", "—")), [0, 0])
            sums[0], sums[1] = sums[0] + n, sums[1] + done
        for (_code, name), (n, done) in sorted(by_district.items()):
            rows.append([name, n, done, _pct(Decimal(done) / n if n else None)])
    for unit in [] if districts else Unit.objects.filter(pk__in=counts.keys()).order_by("order", "name"):
        n, done = counts[unit.pk]
        rows.append([unit.label, n, done, _pct(Decimal(done) / n if n else None)])
    late = planned.exclude(started)
    shown = late.select_related("project__unit").order_by(
        "planned_date", "-project__total_investment", "project__name", "pk"
    )[:LIST_LIMIT]
    listed = list(shown)
    stages = dict(
        PeriodFigures.objects.filter(
            project__in=[sd.project_id for sd in listed], year=period.year, month=period.month
        ).values_list("project_id", "stage_at_end")
    )
    not_started = [
        [
            sd.project.name,
            _unit_label(sd.project.unit, districts),
            chinese_date(sd.planned_date) if sd.planned_date else "—",
            str(Stage(stages.get(sd.project_id, Stage.PLANNING)).label),
        ]
        for sd in listed
    ]
    total = sum(r[1] for r in rows), sum(r[2] for r in rows)
    # Not started = planned − started, as counted above (no second count over the year's stage dates).
    more = total[0] - total[1] - len(not_started) if len(not_started) == LIST_LIMIT else 0
    return {
        "by_district": bool(districts),
        "rows": rows,
        "total": [total[0], total[1], f"{_pct(Decimal(total[1]) / total[0] if total[0] else None)}%"],
        "not_started": not_started,
        "not_started_more": more,
    }


def _unit_label(unit, districts: dict[int, tuple[str, str]]) -> str:
    """A unit as a city's bulletin names it: with its district (武进区湖塘镇)."""
    district = districts.get(unit.pk)
    return f"{district[1]}{unit.label}" if district else unit.label


def _lagging(period: Period, red_count: int, units: list[int], districts: dict[int, tuple[str, str]]) -> dict:
    """The projects red as of the period (not as of today), with the rules that made them red.

    Plan and completion in 万元, projects in other currencies converted at the configured rates (and said so)."""
    order = ("unit__order", "-total_investment", "name")
    # The listed ones first, then their figures (a lookup for 30 projects, not for every red one).
    shown = list(
        Project.objects.filter(_red_in_first_units(period, units))
        .order_by(*order)
        .values_list("pk", flat=True)[:LIST_LIMIT]
    )
    projects = (
        with_period_figures(Project.objects.select_related("unit").filter(pk__in=shown), period)
        .annotate(
            period_reasons=Subquery(
                PeriodFigures.objects.filter(
                    project=OuterRef("pk"), year=period.year, month=period.month
                ).values("light_reasons")[:1]
            )
        )
        .order_by(*order)
    )
    from ducha.core.templatetags.ducha import light_reason

    rates = exchange_rates()
    rows = []
    converted = False
    for p in projects:
        plan_wan, done_wan = getattr(p, "plan_year"), getattr(p, "completed_ytd")  # noqa: B009  (annotated)
        ratio = done_wan / plan_wan if plan_wan and done_wan is not None else None
        reasons = "；".join(
            light_reason(r) for r in _as_list(p.period_reasons) if r.get("colour") != Light.GREEN
        )
        converted |= p.currency != "CNY"
        plan = to_cny(wan_to_yuan(plan_wan), p.currency, rates) if plan_wan is not None else None
        done = to_cny(wan_to_yuan(done_wan or 0), p.currency, rates)
        rows.append(
            [
                p.name,
                _unit_label(p.unit, districts),
                format_in_scale(plan, WAN),
                format_in_scale(done, WAN),
                _pct(ratio),
                reasons,
            ]
        )
    return {"rows": rows, "converted": converted, "more": red_count - len(rows)}


def _red_in_first_units(period: Period, units: list[int]) -> Q:
    """The red projects (as of the period) of the units, in the list's order (Unit.order), that hold its first
    LIST_LIMIT red projects, found from the units' stored counts: the list is then sorted among their month's red
    rows (the figures' (year, month, unit) index), not among a province's 18,000 red projects."""
    if not year_stored(period.year):
        return period_light_is(Light.RED, period) & Q(unit__in=units)
    counts = (
        UnitPeriodFigures.objects.filter(
            unit_id__in=units,
            year=period.year,
            month=period.month,
            dimension=UnitPeriodFigures.Dimension.LIGHT,
            key=Light.RED,
        )
        .values("unit_id")
        .annotate(n=Sum("projects"))
        .order_by()
    )
    red = {row["unit_id"]: row["n"] for row in counts}
    chosen: list[int] = []
    listed, last_order = 0, None
    for pk, order in Unit.objects.filter(pk__in=red).order_by("order").values_list("pk", "order"):
        if last_order is not None and order != last_order:
            break  # units of the same order share the list's places: all of them or none
        chosen.append(pk)
        listed += red[pk]
        if listed >= LIST_LIMIT:
            last_order = order
    rows = PeriodFigures.objects.filter(
        year=period.year, month=period.month, unit_id__in=chosen, light=Light.RED
    )
    return Q(pk__in=rows.values("project_id"))


def _as_list(value) -> list:
    """A JSON list read through an annotation (text on some backends)."""
    return json.loads(value) if isinstance(value, str) else (value or [])


def _problems(period: Period, units: list[int]) -> dict:
    # the departments of the region and below, with the problems on its projects (a city department's
    # problems on other regions' projects are not this region's)
    stats = problem_stats_by_department(year=period.year, until=period.end, projects_of=units)
    in_region = set(units)
    stats = {pk: s for pk, s in stats.items() if pk in in_region}
    names = dict(Unit.objects.filter(pk__in=stats.keys()).values_list("pk", "short_name"))
    full = dict(Unit.objects.filter(pk__in=stats.keys()).values_list("pk", "name"))
    ordered = sorted(stats.items(), key=lambda kv: (-(kv[1].closure_rate or 0), -kv[1].raised))
    rows = [
        [
            names.get(pk) or full.get(pk, "—"),
            s.raised,
            s.closed,
            s.overdue,
            _pct(s.closure_rate),
            "—" if s.avg_days_to_close is None else f"{s.avg_days_to_close}",
        ]
        for pk, s in ordered
    ]
    raised = sum(s.raised for s in stats.values())
    closed = sum(s.closed for s in stats.values())
    overdue = sum(s.overdue for s in stats.values())
    return {
        "rows": rows,
        "total": [raised, closed, overdue, f"{_pct(Decimal(closed) / raised if raised else None)}%"],
    }


def _flags(period: Period, region) -> dict:
    flags = [f for f in latest_published_flags(year=period.year, month=period.month, region=region)]
    if not flags:
        return {"period": "", "rows": []}
    first = flags[0]
    return {
        "period": str(Period(first.year, first.month)),
        "rows": [
            [
                str(PeerGroup(f.peer_group).label) if f.peer_group in PeerGroup.values else f.peer_group,
                f.unit_name,
                f"{f.total:.2f}",
                f"{f.place}/{f.group_size}",
                str(Flag(f.flag).label) if f.flag in Flag.values else f.flag,
                f.flag,
            ]
            for f in flags
        ],
    }


def collect(period: Period, region=None) -> dict:
    """Everything the bulletin of `period` shows, as JSON-ready data: of `region`'s units and those of the
    regions below it (every unit when None)."""
    whole = region is None
    units_of = Unit.objects.all() if whole else Unit.objects.within(region)
    units = list(units_of.values_list("pk", flat=True))
    overview = _overview(period, units, whole)
    districts = _districts_of(region, units)
    return {
        "version": VERSION,
        "title": bulletin_title(period, region),
        "period": {"year": period.year, "month": period.month, "label": str(period)},
        "money_unit": MONEY_UNIT,
        "overview": overview,
        "indicators": _indicators(period, region),
        "signed_starts": _signed_starts(period, units, districts),
        "lagging": _lagging(period, overview["lights"][0][1], units, districts),
        "problems": _problems(period, units),
        "flags": _flags(period, region),
    }


# ---------------------------------------------------------------- tables, for the page and the document


@dataclass
class Table:
    """One table of the bulletin as both the page and the .docx draw it: headers carry the column's unit."""

    key: str
    header: list[str]
    rows: list[list]
    numeric: set[int] = field(default_factory=set)  # columns of figures: centred, never wrapped
    flags: list[str] | None = None  # the flag code of each row, for colouring the last column
    more: int = 0  # rows left out of a list (LIST_LIMIT); said under the table

    @property
    def more_line(self) -> str:
        """另有N个项目未列出, or "" when the table lists every row."""
        if not self.more:
            return ""
        return ngettext(
            "%(n)s more project is not listed.", "%(n)s more projects are not listed.", self.more
        ) % {"n": self.more}

    def html_rows(self) -> list[list[tuple[object, str]]]:
        """Each cell with its CSS classes for the page: figures centred and unwrapped, flags in their colour."""
        result = []
        for i, row in enumerate(self.rows):
            cells = []
            for j, value in enumerate(row):
                css = "text-center text-nowrap" if j in self.numeric else ""
                if self.flags and j == len(self.header) - 1:
                    css = f"{css} fw-bold flag-{self.flags[i]}".strip()
                cells.append((value, css))
            result.append(cells)
        return result


def _headed(label: str, unit: str) -> str:
    return _("%(label)s (%(unit)s)") % {"label": label, "unit": unit} if unit else label


def tables(content: dict) -> dict[str, Table]:
    """The tables of a bulletin's frozen content, headed in the current language.

    Bulletins frozen before each column had one unit (version 1) keep their cells as they were, with plain headers.
    """
    v2 = content.get("version", 1) >= 2
    count = pgettext("unit of a count", "projects") if v2 else ""
    items = pgettext("unit of a count", "problems") if v2 else ""
    pct = "%" if v2 else ""
    money = content.get("money_unit", "") if v2 else ""
    o, ind, s = content["overview"], content["indicators"], content["signed_starts"]
    p, f = content["problems"], content["flags"]
    lagging = content["lagging"]["rows"] if isinstance(content["lagging"], dict) else content["lagging"]
    result = {
        "stages": Table(
            "stages",
            [_("Stage"), *[label for label, _n in o["by_stage"]]],
            [[_headed(_("Projects"), count), *[n for _label, n in o["by_stage"]]]],
            set(range(1, len(o["by_stage"]) + 1)),
        ),
        "lights": Table(
            "lights",
            [_("Light"), *[label for label, _n in o["lights"]]],
            [[_headed(_("Projects"), count), *[n for _label, n in o["lights"]]]],
            set(range(1, len(o["lights"]) + 1)),
        ),
    }
    district = ind["district"]
    if v2:
        result["indicators"] = Table(
            "indicators",
            [
                _("Indicator"),
                _("Unit of measure"),
                Period(content["period"]["year"], content["period"]["month"]).months,
                _("Annual target"),
                _headed(_("Completion"), pct),
                _headed(_("Year on year"), pct),
            ],
            district,
            {1, 2, 3, 4, 5},
        )
        ranked_header = []
        for r in ind["ranked"]:
            ranked_header += [_headed(r["name"], r["unit"]), _headed(_("Year on year"), pct)]
        result["units"] = Table(
            "units", [_("Unit"), *ranked_header], ind["units"], set(range(1, 1 + len(ranked_header)))
        )
    else:
        result["indicators"] = Table(
            "indicators",
            [_("Indicator"), _("Value"), _("Annual target"), _("Completion"), _("Year on year")],
            district,
            {1, 2, 3, 4},
        )
        result["units"] = Table(
            "units",
            [_("Unit"), _("Peer group"), *ind["ranked"]],
            ind["units"],
            set(range(2, 2 + len(ind["ranked"]))),
        )
    result["starts"] = Table(
        "starts",
        [
            _("Region") if s.get("by_district") else _("Unit"),
            _headed(_("Planned to start"), count),
            _headed(_("Started"), count),
            _headed(_("Start rate"), pct),
        ],
        s["rows"],
        {1, 2, 3},
    )
    result["not_started"] = Table(
        "not_started",
        [_("Project"), _("Unit"), _("Planned start"), _("Stage")],
        s["not_started"],
        {2},
        more=s.get("not_started_more", 0),
    )
    result["lagging"] = Table(
        "lagging",
        [
            _("Project"),
            _("Unit"),
            _headed(_("Annual plan"), money),
            _headed(_("Completed"), money),
            _headed(_("Completion"), pct),
            _("Reasons"),
        ],
        lagging,
        {2, 3, 4},
        more=content["lagging"].get("more", 0) if isinstance(content["lagging"], dict) else 0,
    )
    result["problems"] = Table(
        "problems",
        [
            _("Department"),
            _headed(_("Raised"), items),
            _headed(_("Closed"), items),
            _headed(_("Overdue"), items),
            _headed(_("Closure rate"), pct),
            _headed(_("Average days to close"), pgettext("unit of time", "days") if v2 else ""),
        ],
        p["rows"],
        {1, 2, 3, 4, 5},
    )
    result["flags"] = Table(
        "flags",
        [
            _("Peer group"),
            _("Unit"),
            _headed(_("Score"), pgettext("unit of a score", "points") if v2 else ""),
            _("Place"),
            _("Flag"),
        ],
        [r[:5] for r in f["rows"]],
        {2, 3, 4},
        flags=[r[5] for r in f["rows"]],
    )
    return result
