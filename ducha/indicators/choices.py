from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.lib.quantities import CURRENCY_SUFFIX


class Measure(models.TextChoices):
    """The base unit a value is stored in."""

    YUAN = "yuan", _("yuan")
    USD = "usd", _("US dollars")
    HKD = "hkd", _("Hong Kong dollars")
    EUR = "eur", _("euros")
    JPY = "jpy", _("Japanese yen")
    ENTERPRISES = "enterprises", _("enterprises")
    ITEMS = "items", _("items")
    PERCENT = "percent", _("percent")
    TONNES = "tonnes", _("tonnes")
    HEAD = "head", _("head (livestock)")
    SETS = "sets", _("sets")


# The unit a value of each measure is written in (ducha.lib.quantities spelling; currencies as ISO codes).
MEASURE_UNIT: dict[str, str] = {
    Measure.YUAN: "CNY",
    Measure.USD: "USD",
    Measure.HKD: "HKD",
    Measure.EUR: "EUR",
    Measure.JPY: "JPY",
    Measure.ENTERPRISES: "家",
    Measure.ITEMS: "个",
    Measure.PERCENT: "%",
    Measure.TONNES: "吨",
    Measure.HEAD: "头",
    Measure.SETS: "套",
}
MEASURE_SUFFIX: dict[str, str] = {
    measure: CURRENCY_SUFFIX.get(unit, unit) for measure, unit in MEASURE_UNIT.items()
}
