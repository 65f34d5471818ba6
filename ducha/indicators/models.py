from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ducha.units.models import UnitKind

from .choices import Measure

VALUE = {"max_digits": 20, "decimal_places": 4}
AREA_KINDS = [UnitKind.TOWN, UnitKind.STREET, UnitKind.PARK]


def default_reporting_kinds() -> list[str]:
    return [str(kind) for kind in AREA_KINDS]


class IndicatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Indicator(models.Model):
    """An economic indicator 经济指标, defined once and reported monthly."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    cumulative = models.BooleanField(
        _("cumulative year to date"),
        default=True,
        help_text=_(
            "Cumulative figures (1–n月 累计) only grow within a year; point values are a month-end state."
        ),
    )
    reporting_kinds = models.JSONField(
        _("reported by"), default=default_reporting_kinds, help_text=_("Kinds of unit that report it.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive indicators keep their figures but are no longer reported or shown."),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def reporting_kinds_display(self) -> str:
        labels = dict(UnitKind.choices)
        return "、".join(str(labels.get(kind, kind)) for kind in self.reporting_kinds)

    def reported_by(self, unit) -> bool:
        # a district's office reports every indicator of its district as a whole to the city above
        return unit is None or unit.kind == UnitKind.COUNTY or unit.kind in self.reporting_kinds


class IndicatorValue(models.Model):
    """The value of an indicator for one unit (or the district, unit empty) at the end of a month."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("indicator")
    )
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_values",
        verbose_name=_("unit"),
        help_text=_("Empty for the district as a whole."),
    )
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    value = models.DecimalField(_("value"), **VALUE)
    is_correction = models.BooleanField(_("correction"), default=False)
    correction_reason = models.CharField(_("reason for the correction"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    # Raised by every save; a figure typed into a form opened at another version is refused (services.StaleValues).
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["indicator", "unit", "year", "month"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "month"],
                condition=Q(unit__isnull=False),
                name="one_indicator_value_per_unit_month",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "month"],
                condition=Q(unit__isnull=True),
                name="one_district_indicator_value_per_month",
            ),
            models.CheckConstraint(
                condition=Q(is_correction=False) | ~Q(correction_reason=""),
                name="correction_has_reason",
                violation_error_message=_("A correction needs a reason."),
            ),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.unit or '—'} {self.year}-{self.month:02d}"


class IndicatorTarget(models.Model):
    """The annual target 年度目标 of an indicator for a unit (or the district, unit empty)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("indicator")
    )
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_targets",
        verbose_name=_("unit"),
    )
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    value = models.DecimalField(_("annual target"), **VALUE, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["indicator", "unit", "year"]
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year"],
                condition=Q(unit__isnull=False),
                name="one_target_per_unit_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(unit__isnull=True),
                name="one_district_target_per_year",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.unit or '—'} {self.year}"
