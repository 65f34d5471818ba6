"""Turns a stored item score into the sentence that explains it (translated at display time)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from .scoring import ItemScore, Method


def _n(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.quantize(Decimal('0.01'))}".rstrip("0").rstrip(".")


def explain_item(score: ItemScore) -> str:
    if score.raw is None or score.points is None:
        return _("No data for this period: the item is left out and its weight is shared among the others.")
    if score.method == Method.RATIO:
        return _("min(%(raw)s ÷ %(target)s, %(cap)s) × 100 = %(points)s") % {
            "raw": _n(score.raw),
            "target": _n(score.target),
            "cap": _n(score.cap),
            "points": _n(score.points),
        }
    return _("place %(place)s of %(size)s → 100 × (%(size)s − %(place)s) ÷ (%(size)s − 1) = %(points)s") % {
        "place": score.place,
        "size": score.group_size,
        "points": _n(score.points),
    }


def explain_total(items: list[ItemScore], total: Decimal) -> str:
    used = [i for i in items if i.points is not None and i.weight > 0]
    if not used:
        return _("No item has data: total 0.")
    terms = " + ".join(f"{_n(i.weight)} × {_n(i.points)}" for i in used)
    weights = " + ".join(_n(i.weight) for i in used)
    return f"({terms}) ÷ ({weights}) = {_n(total)}"
