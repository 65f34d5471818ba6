"""The evaluation engine 绩效评价: item points, weighted totals, places and flags.

Pure and ORM-free: it takes plain per-unit raw values, so the same code scores the real
district and a benchmark of a thousand synthetic units. Every number it returns carries the
figures its formula used, so that each score can explain itself.

- rank points 位次得分: within the peer group, first place 100, last 0, linear in between:
  points = 100 × (n − place) ÷ (n − 1); a group of one scores 100.
- ratio to target 目标比值: points = min(raw ÷ target, cap) × 100, never below 0.
- an item without data for a unit is left out and its weight is shared among the unit's other
  items: total = Σ(weight × points) ÷ Σ(weight of the items with data).
- a unit with no data on any item is not evaluated: it gets no score, no place and no flag
  (evaluate leaves it out; `units_without_data` names it), rather than a 0 that ranks it last.
- flags by thirds: in each peer group the first third (k = round(n ÷ 3) places) 红旗, the last
  third 黄旗, the rest 蓝旗; by thresholds: total ≥ red line 红旗, ≥ blue line 蓝旗, else 黄旗.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from ducha.indicators.rules import rank

HUNDRED = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")


class Method(StrEnum):
    RANK_POINTS = "rank_points"
    RATIO = "ratio"


class FlagRuleKind(StrEnum):
    THIRDS = "thirds"
    THRESHOLDS = "thresholds"


class Flag(StrEnum):
    RED = "red"
    BLUE = "blue"
    YELLOW = "yellow"


@dataclass(frozen=True)
class ItemSpec:
    key: str
    label: str
    weight: Decimal
    method: Method = Method.RANK_POINTS
    higher_is_better: bool = True
    target: Decimal | None = None
    cap: Decimal = Decimal("1.2")


@dataclass(frozen=True)
class FlagRule:
    kind: FlagRuleKind = FlagRuleKind.THIRDS
    red_min: Decimal | None = None
    blue_min: Decimal | None = None


@dataclass(frozen=True)
class UnitInput:
    unit_id: int
    group: str
    raw: Mapping[str, Decimal | None]


@dataclass(frozen=True)
class ItemScore:
    key: str
    label: str
    weight: Decimal
    method: str
    raw: Decimal | None
    points: Decimal | None
    place: int | None = None
    group_size: int = 0
    target: Decimal | None = None
    cap: Decimal | None = None

    @property
    def available(self) -> bool:
        return self.points is not None

    def as_json(self) -> dict:
        return {
            k: (None if v is None else str(v) if isinstance(v, Decimal) else v)
            for k, v in asdict(self).items()
        }

    @classmethod
    def from_json(cls, data: dict) -> ItemScore:
        decimals = ("weight", "raw", "points", "target", "cap")
        return cls(**{k: (Decimal(v) if k in decimals and v is not None else v) for k, v in data.items()})


@dataclass(frozen=True)
class UnitResult:
    unit_id: int
    group: str
    total: Decimal
    place: int
    group_size: int
    flag: Flag
    items: tuple[ItemScore, ...]

    @property
    def weight_used(self) -> Decimal:
        return sum((i.weight for i in self.items if i.available), ZERO)

    @property
    def weighted_sum(self) -> Decimal:
        return sum((i.weight * i.points for i in self.items if i.points is not None), ZERO)


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rank_points(place: int | None, size: int) -> Decimal | None:
    """100 × (n − place) ÷ (n − 1); alone in the group: 100."""
    if place is None:
        return None
    if size <= 1:
        return HUNDRED
    return HUNDRED * (size - place) / (size - 1)


def ratio_points(raw: Decimal | None, target: Decimal | None, cap: Decimal) -> Decimal | None:
    """min(raw ÷ target, cap) × 100, not below 0; None without a raw value or a positive target."""
    if raw is None or target is None or target <= 0:
        return None
    return max(ZERO, min(raw / target, cap)) * HUNDRED


def weighted_total(scores: Sequence[ItemScore]) -> Decimal:
    """Σ(weight × points) ÷ Σ(weight) over the items with data; 0 when none has data."""
    used = [s for s in scores if s.points is not None and s.weight > 0]
    weight = sum((s.weight for s in used), ZERO)
    if weight == 0:
        return ZERO
    return sum((s.weight * s.points for s in used), ZERO) / weight


def flag_for(place: int, size: int, total: Decimal, rule: FlagRule) -> Flag:
    if rule.kind == FlagRuleKind.THRESHOLDS:
        if rule.red_min is not None and total >= rule.red_min:
            return Flag.RED
        if rule.blue_min is not None and total >= rule.blue_min:
            return Flag.BLUE
        return Flag.YELLOW
    if size <= 2:
        return Flag.RED if place == 1 else Flag.BLUE
    k = max(1, round(size / 3))
    if place <= k:
        return Flag.RED
    if place > size - k:
        return Flag.YELLOW
    return Flag.BLUE


def units_without_data(items: Sequence[ItemSpec], units: Sequence[UnitInput]) -> list[int]:
    """The units that have no figure for any item: they cannot be placed or flagged."""
    return [u.unit_id for u in units if all(u.raw.get(item.key) is None for item in items)]


def evaluate(
    items: Sequence[ItemSpec], units: Sequence[UnitInput], rule: FlagRule = FlagRule()
) -> list[UnitResult]:
    """Score every unit with data on every item, total, place within the peer group and flag."""
    without_data = set(units_without_data(items, units))
    groups: dict[str, list[UnitInput]] = defaultdict(list)
    for unit in units:
        if unit.unit_id not in without_data:
            groups[unit.group].append(unit)

    results: list[UnitResult] = []
    for group, members in groups.items():
        scores: dict[int, list[ItemScore]] = {u.unit_id: [] for u in members}
        for item in items:
            raws = {u.unit_id: u.raw.get(item.key) for u in members}
            places = rank(raws, higher_is_better=item.higher_is_better)
            size = sum(1 for v in raws.values() if v is not None)
            for unit_id, raw in raws.items():
                place = places[unit_id]
                if item.method == Method.RATIO:
                    points = ratio_points(raw, item.target, item.cap)
                else:
                    points = rank_points(place, size)
                scores[unit_id].append(
                    ItemScore(
                        item.key,
                        item.label,
                        item.weight,
                        str(item.method),
                        raw,
                        None if points is None else _q(points),
                        place,
                        size,
                        item.target,
                        item.cap if item.method == Method.RATIO else None,
                    )
                )
        totals = {unit_id: _q(weighted_total(s)) for unit_id, s in scores.items()}
        places = rank(totals)
        for unit_id, total in totals.items():
            place = places[unit_id]
            results.append(
                UnitResult(
                    unit_id,
                    group,
                    total,
                    place,
                    len(members),
                    flag_for(place, len(members), total, rule),
                    tuple(scores[unit_id]),
                )
            )
    results.sort(key=lambda r: (r.group, r.place, r.unit_id))
    return results
