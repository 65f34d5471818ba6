"""A city's (or province's) cockpit: its districts side by side, each from the same stored sums its own office
reads, and the drill-down from a district to its units and projects."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.db.models import Sum
from django.http import Http404

from ducha.accounts.access import units_visible_to
from ducha.lib.periods import Period
from ducha.projects.choices import Light
from ducha.projects.models import UnitPeriodFigures
from ducha.regions.models import PREFIX_LENGTH, Region

from .selectors import Bucket, Figures


@dataclass
class RegionRow:
    region: Region
    figures: Bucket
    red: int
    yellow: int
    period: Period

    @property
    def completion(self):
        return self.figures.completion(self.period.schedule_ratio)


def region_from_params(params, user) -> Region | None:
    """The region a page is narrowed to (?region=320413), which must hold units `user` may see; else 404."""
    code = (params.get("region") or "").strip()
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None or not units_visible_to(user).within(region).exists():
        raise Http404
    return region


def breakdown_regions(
    unit_regions: list[Region], within: Region | None = None
) -> tuple[Region | None, list[Region]]:
    """The region the units have in common (or `within`), and its child regions that hold some of the units;
    no children when all the units sit in one region (a district's own cockpit)."""
    if not unit_regions:
        return within, []
    if within is None:
        common = os.path.commonprefix([r.prefix for r in unit_regions])
        length = max((n for n in PREFIX_LENGTH.values() if n <= len(common)), default=0)
        within = Region.objects.filter(prefix=common[:length]).first() if length else None
        if within is None:
            return None, []
    if all(r.pk == within.pk for r in unit_regions):
        return within, []
    children = [c for c in Region.objects.filter(parent=within) if any(c.contains(r) for r in unit_regions)]
    return within, children


def region_rows(f: Figures, period: Period, units: list, within: Region | None) -> list[RegionRow]:
    """One row per child region of `within` (a city's districts): the sums of its units' stored figures, the
    same sums that region's own office reads on its cockpit. Units directly at `within` (a city's own
    departments hold no projects) add a row of their own if they hold any."""
    top, children = breakdown_regions(list({u.region for u in units}), within)
    if not children:
        return []
    # (unit, light) → projects, summed over currencies
    lights = {
        (unit_id, key): n
        for unit_id, key, n in UnitPeriodFigures.objects.filter(
            unit_id__in=[u.pk for u in units],
            year=period.year,
            month=period.month,
            dimension=UnitPeriodFigures.Dimension.LIGHT,
        )
        .values_list("unit_id", "key")
        .annotate(n=Sum("projects"))
        .order_by()
    }
    rows = []
    for region in children + ([top] if top and any(u.region_id == top.pk for u in units) else []):
        bucket, red, yellow = Bucket(), 0, 0
        for unit in units:
            inside = unit.region_id == region.pk if region is top else region.contains(unit.region)
            if not inside:
                continue
            if unit.pk in f.by_unit:
                merge(bucket, f.by_unit[unit.pk])
            red += lights.get((unit.pk, Light.RED), 0)
            yellow += lights.get((unit.pk, Light.YELLOW), 0)
        if bucket.count:
            rows.append(RegionRow(region, bucket, red, yellow, period))
    return rows


def merge(into: Bucket, other: Bucket) -> None:
    """Add a unit's bucket (plans and completion already in yuan) to its region's."""
    into.add(n=other.count, currency="CNY", total=other.total_cny, plan=other.plan, done=other.completed)
    for currency, total in other.total_other.items():
        into.add(n=0, currency=currency, total=total, plan=None, done=None)
