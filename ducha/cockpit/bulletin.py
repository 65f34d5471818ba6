"""The bulletin's content: every figure of one period, gathered from the other apps' selectors and
frozen as plain JSON (strings already formatted) so that the page and the .docx always show the same.

The bulletin is the district's document: it is computed over all projects, whoever asks for it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from ducha.evaluation.choices import Flag
from ducha.evaluation.selectors import latest_published_flags
from ducha.indicators.selectors import indicator_table
from ducha.lib.money import format_wan
from ducha.lib.periods import Period
from ducha.projects.choices import Light, Stage
from ducha.projects.models import Project, StageDate
from ducha.projects.selectors import light_labels, with_period_figures
from ducha.projects.services import project_lights_for_period
from ducha.supervision.selectors import problem_stats_by_department
from ducha.units.models import PeerGroup, Unit

from .selectors import figures, start_rate

LAGGING_LIMIT = 30
RANKED_INDICATORS = 3


def _pct(ratio: Decimal | None, digits: int = 1) -> str:
    return "—" if ratio is None else f"{ratio * 100:.{digits}f}%"


def _money(amount: Decimal | None) -> str:
    return format_wan(amount or Decimal(0))


def _money_line(totals: dict[str, Decimal]) -> str:
    parts = [format_wan(totals.get("CNY", Decimal(0)), "CNY")]
    parts += [format_wan(v, c) for c, v in sorted(totals.items()) if c != "CNY" and v]
    return " + ".join(parts)


def bulletin_title(period: Period) -> str:
    return _("Bulletin on the key projects of the district, %(period)s") % {"period": period}


def _overview(period: Period, lights_by_project: dict) -> dict:
    everything = Project.objects.all()
    f = figures(everything, period)
    completion = f.completion
    starts = start_rate(everything, period)
    lights = light_labels()
    colours = Counter(str(light.colour) for light in lights_by_project.values())
    return {
        "projects": f.all.count,
        "total_investment": _money_line(f.all.total),
        "plan": _money(f.all.plan),
        "completed": _money(f.all.completed),
        "completion": _pct(completion.ratio),
        "schedule": _pct(period.schedule_ratio),
        # Points against 序时: negative when behind, as "较序时进度-5.8个百分点".
        "points_behind": "—" if completion.points_behind is None else f"{-completion.points_behind:+.1f}",
        "ahead": completion.ahead,
        "by_stage": [[str(label), f.stage_count(stage)] for stage, label in Stage.choices],
        # Lights as of the period, so that an earlier month's bulletin reads as it did then.
        "lights": [[lights[c]["label"], colours[c]] for c in (Light.RED, Light.YELLOW, Light.GREEN)],
        "start_planned": starts.planned,
        "start_started": starts.started,
        "start_rate": _pct(starts.ratio),
        "completed_or_producing": f.completed_or_producing,
    }


def _indicators(period: Period) -> dict:
    table = indicator_table(year=period.year, month=period.month)
    district = [
        [c.indicator.name, c.value_text, c.target_text, c.completion_text, c.growth_text]
        for c in table.district.cells
    ]
    ranked = table.indicators[:RANKED_INDICATORS]
    rows = []
    for row in table.rows:
        cells = []
        for indicator in ranked:
            cell = row.cell(indicator.code)
            if cell is None or not cell.reported:
                cells.append("—")
            else:
                place = f"（{cell.rank_peer}）" if cell.rank_peer else ""
                cells.append(f"{cell.value_text} {cell.growth_text}{place}")
        rows.append([row.label, str(PeerGroup(row.unit.peer_group).label), *cells])
    return {"district": district, "ranked": [i.name for i in ranked], "units": rows}


def _signed_starts(period: Period) -> dict:
    """签约项目开工情况: projects planned to start this year by the period's end (the evaluation's 开工率
    rule), per unit, with those not yet started."""
    until = period.end
    dates = (
        StageDate.objects.filter(
            stage=Stage.STARTED, planned_date__gte=date(period.year, 1, 1), planned_date__lte=until
        )
        .select_related("project__unit")
        .order_by("project__unit__order", "planned_date", "project__name")
    )
    per_unit: dict[int, list] = {}
    not_started = []
    for sd in dates:
        unit = sd.project.unit
        entry = per_unit.setdefault(unit.pk, [unit.label, 0, 0])
        entry[1] += 1
        if sd.actual_date and sd.actual_date <= until:
            entry[2] += 1
        else:
            not_started.append(
                [
                    sd.project.name,
                    unit.label,
                    sd.planned_date.isoformat(),
                    str(sd.project.get_stage_display()),
                ]
            )
    rows = [[label, n, done, _pct(Decimal(done) / n if n else None)] for label, n, done in per_unit.values()]
    total = sum(r[1] for r in rows), sum(r[2] for r in rows)
    return {
        "rows": rows,
        "total": [total[0], total[1], _pct(Decimal(total[1]) / total[0] if total[0] else None)],
        "not_started": not_started,
    }


def _lagging(period: Period, lights: dict) -> list[list]:
    """The projects red as of the period (not as of today), with the rules that made them red."""
    red = [pk for pk, light in lights.items() if light.colour == Light.RED]
    projects = with_period_figures(
        Project.objects.filter(pk__in=red).select_related("unit"), period
    ).order_by("unit__order", "-total_investment", "name")[:LAGGING_LIMIT]
    from ducha.core.templatetags.ducha import light_reason

    rows = []
    for p in projects:
        ratio = p.completed_ytd / p.plan_year if p.plan_year else None
        reasons = "；".join(
            light_reason(r.as_dict()) for r in lights[p.pk].reasons if r.colour != Light.GREEN
        )
        rows.append(
            [
                p.name,
                p.unit.label,
                format_wan(p.plan_year, p.currency) if p.plan_year is not None else "—",
                format_wan(p.completed_ytd or 0, p.currency),
                _pct(ratio),
                reasons,
            ]
        )
    return rows


def _problems(period: Period) -> dict:
    stats = problem_stats_by_department(year=period.year, until=period.end)
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
        "total": [raised, closed, overdue, _pct(Decimal(closed) / raised if raised else None)],
    }


def _flags(period: Period) -> dict:
    flags = [f for f in latest_published_flags(year=period.year, month=period.month)]
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


def collect(period: Period) -> dict:
    """Everything the bulletin of `period` shows, as JSON-ready data."""
    lights = project_lights_for_period(projects=list(Project.objects.all()), period=period)
    return {
        "version": 1,
        "title": bulletin_title(period),
        "period": {"year": period.year, "month": period.month, "label": str(period)},
        "overview": _overview(period, lights),
        "indicators": _indicators(period),
        "signed_starts": _signed_starts(period),
        "lagging": _lagging(period, lights),
        "problems": _problems(period),
        "flags": _flags(period),
    }
