from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ducha.lib.periods import Period
from ducha.regions.fields import region_field
from ducha.units.models import PeerGroup

from .choices import INDICATOR_SOURCES, Flag, FlagRuleKind, Method, Source, Status

SCORE = {"max_digits": 8, "decimal_places": 2}
EVALUATED_GROUPS = [
    (g.value, g.label) for g in (PeerGroup.TOWNS_STREETS, PeerGroup.PARKS, PeerGroup.COUNTIES)
]


class Scheme(models.Model):
    """A year's evaluation scheme 考核方案: weighted items and the flag rule."""

    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(_("name"), max_length=100)
    # The region whose office evaluates with the scheme: a city's schemes sit beside its districts' own.
    region = region_field()

    flag_rule = models.CharField(
        _("flag rule"), max_length=20, choices=FlagRuleKind.choices, default=FlagRuleKind.THIRDS
    )
    red_min = models.DecimalField(_("red flag from score"), **SCORE, null=True, blank=True)
    blue_min = models.DecimalField(_("blue flag from score"), **SCORE, null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="one_scheme_per_region_and_year")
        ]
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.flag_rule == FlagRuleKind.THRESHOLDS:
            if self.red_min is None or self.blue_min is None:
                raise ValidationError(_("Score thresholds need both the red and the blue line."))
            if self.red_min < self.blue_min:
                raise ValidationError({"red_min": _("The red line must not be below the blue line.")})


class SchemeItem(models.Model):
    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="items", verbose_name=_("scheme")
    )
    label = models.CharField(_("item"), max_length=60)
    source = models.CharField(_("measures"), max_length=30, choices=Source.choices)
    indicator = models.ForeignKey(
        "indicators.Indicator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indicator"),
    )
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), message=_("A weight must be above 0."))],
    )
    method = models.CharField(_("scoring"), max_length=20, choices=Method.choices, default=Method.RANK_POINTS)
    target = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("For ratio scoring: the value that earns 100 points, in the item's own unit (%)."),
    )
    cap = models.DecimalField(
        _("cap"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.2"),
        validators=[MinValueValidator(1, message=_("The cap must be at least 100%."))],
        help_text=_("Ratio ceiling, e.g. 1.2 (120%); at least 1 (100%)."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("evaluation item")
        verbose_name_plural = _("evaluation items")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="item_weight_positive",
                violation_error_message=_("A weight must be above 0."),
            ),
            models.CheckConstraint(
                condition=Q(cap__gte=1),
                name="item_cap_at_least_100_percent",
                violation_error_message=_("The cap must be at least 100%."),
            ),
            models.UniqueConstraint(
                fields=["scheme", "label"],
                name="one_item_per_label_in_scheme",
                violation_error_message=_("The scheme already has an item with this name."),
            ),
            models.UniqueConstraint(
                fields=["scheme", "source", "indicator"],
                condition=Q(indicator__isnull=False),
                name="one_item_per_indicator_measure_in_scheme",
                violation_error_message=_("The scheme already measures this indicator this way."),
            ),
            models.CheckConstraint(
                condition=~Q(source__in=["indicator_growth", "indicator_completion"])
                | Q(indicator__isnull=False),
                name="indicator_item_has_indicator",
                violation_error_message=_("An indicator item needs its indicator."),
            ),
            models.CheckConstraint(
                condition=~Q(method="ratio") | Q(target__gt=0),
                name="ratio_item_has_target",
                violation_error_message=_("Ratio scoring needs a positive target."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self):
        if self.source in INDICATOR_SOURCES and self.indicator_id is None:
            raise ValidationError({"indicator": _("An indicator item needs its indicator.")})


class SchemePeerGroup(models.Model):
    """The peer group a unit is compared in under a scheme; units without a row keep their own group."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="peer_groups", verbose_name=_("scheme")
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    peer_group = models.CharField(_("peer group"), max_length=20, choices=EVALUATED_GROUPS)

    class Meta:
        ordering = ["scheme", "unit__order"]
        verbose_name = _("peer group of a unit")
        verbose_name_plural = _("peer groups of units")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="one_peer_group_per_unit_in_scheme"),
            models.CheckConstraint(
                condition=Q(peer_group__in=[value for value, _label in EVALUATED_GROUPS]),
                name="scheme_peer_group_is_an_area_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.unit}: {self.peer_group}"


class ManualScore(models.Model):
    """A score given by hand (0–100) for a manual item, one per unit and period."""

    item = models.ForeignKey(
        SchemeItem, on_delete=models.CASCADE, related_name="manual_scores", verbose_name=_("item")
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    month = models.PositiveSmallIntegerField(
        _("period ends in month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    score = models.DecimalField(
        _("score"), **SCORE, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("manual score")
        verbose_name_plural = _("manual scores")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "unit", "month"], name="one_manual_score_per_unit_period"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="manual_score_0_to_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.unit} {self.month}"


class Evaluation(models.Model):
    """The evaluation of one period (1–n月) under a scheme. Published ones are frozen."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("scheme")
    )
    month = models.PositiveSmallIntegerField(
        _("period ends in month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recomputations",
        verbose_name=_("recomputed from"),
    )
    # What the scheme was when computed: items, weights, flag rule, and the sources that had no data.
    snapshot = models.JSONField(_("scheme as computed"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    computed_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("computed by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        ordering = ["-scheme__year", "-month", "-computed_at"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "month"],
                condition=Q(status="published"),
                name="one_published_evaluation_per_period",
            )
        ]

    def __str__(self) -> str:
        return self.period.label

    @property
    def year(self) -> int:
        return self.scheme.year

    @property
    def period(self) -> Period:
        """January to `month` of the scheme's year: written "2020年1-11月" like every other period."""
        return Period(self.scheme.year, self.month)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class EvaluationResult(models.Model):
    """One unit's total, item breakdown (JSON, as computed), place in its peer group and flag."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="results", verbose_name=_("evaluation")
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="evaluation_results", verbose_name=_("unit")
    )
    peer_group = models.CharField(_("peer group"), max_length=20)
    total = models.DecimalField(_("total score"), **SCORE)
    place = models.PositiveIntegerField(_("place"))
    group_size = models.PositiveIntegerField(_("units in the group"))
    flag = models.CharField(_("flag"), max_length=10, choices=Flag.choices)
    items = models.JSONField(_("item scores"), default=list)

    class Meta:
        ordering = ["peer_group", "place", "unit__order"]
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        constraints = [models.UniqueConstraint(fields=["evaluation", "unit"], name="one_result_per_unit")]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.unit}"
