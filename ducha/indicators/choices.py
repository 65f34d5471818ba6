from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    """The base unit a value is stored in."""

    YUAN = "yuan", _("yuan")
    USD = "usd", _("US dollars")
    ENTERPRISES = "enterprises", _("enterprises")
    ITEMS = "items", _("items")
    PERCENT = "percent", _("percent")


MEASURE_SUFFIX = {
    Measure.YUAN: "元",
    Measure.USD: "美元",
    Measure.ENTERPRISES: "家",
    Measure.ITEMS: "个",
    Measure.PERCENT: "%",
}
