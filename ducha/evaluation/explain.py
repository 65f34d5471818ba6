"""Turns a stored item score into the sentence that explains it (translated at display time)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from ducha.lib.quantities import format_amount

from .scoring import ItemScore, Method


def explain_item(score: ItemScore) -> str:
    if score.raw is None or score.points is None:
        return _("No data for this period: the item is left out and its weight is shared among the others.")
    if score.method == Method.RATIO:
        return _("min(%(raw)s ÷ %(target)s, %(cap)s) × 100 = %(points)s") % {
            "raw": format_amount(score.raw),
            "target": format_amount(score.target),
            "cap": format_amount(score.cap),
            "points": format_amount(score.points),
        }
    return _("place %(place)s of %(size)s → 100 × (%(size)s − %(place)s) ÷ (%(size)s − 1) = %(points)s") % {
        "place": score.place,
        "size": score.group_size,
        "points": format_amount(score.points),
    }


def explain_total(items: list[ItemScore], total: Decimal) -> str:
    used = [i for i in items if i.points is not None and i.weight > 0]
    if not used:
        return _("No item has data: total 0.")
    terms = " + ".join(f"{format_amount(i.weight)} × {format_amount(i.points)}" for i in used)
    weights = " + ".join(format_amount(i.weight) for i in used)
    return f"({terms}) ÷ ({weights}) = {format_amount(total)}"
