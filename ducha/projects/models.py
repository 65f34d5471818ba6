import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ducha.lib.quantities import format_amount, unit_spelling

from .choices import (
    Category,
    ChainPosition,
    ConstructionType,
    Currency,
    Level,
    Light,
    ReportStatus,
    Stage,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
NATIONAL_CODE_RE = re.compile(r"^(19|20)\d{2}-\d{6}-\d{2}-\d{2}-\d{6}$")


def validate_national_code(value: str) -> None:
    """全国投资项目在线审批监管平台 code: YYYY-AAAAAA-BB-CC-NNNNNN, 24 characters."""
    if value and not NATIONAL_CODE_RE.match(value):
        raise ValidationError(
            _("A national project code has 24 characters in the form 2020-320482-38-03-512345."),
            code="national_code",
        )


class Industry(models.Model):
    """A node of the configurable industry taxonomy (e.g. 三新一特 → 新能源汽车)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(models.QuerySet):
    # A query set with the same rows that is cheaper to count (the ledger sorted by a stored figure joins the
    # month's rows to sort by their index; counting that join reads them all). Dropped by any further filter.
    _count_from: models.QuerySet | None = None

    def for_ledger(self):
        return self.select_related("unit", "industry", "responsible_department")

    def counted_as(self, same_rows: models.QuerySet):
        clone = self.all()
        clone._count_from = same_rows
        return clone

    def count(self) -> int:
        if self._count_from is not None and self._result_cache is None:
            return self._count_from.count()
        return super().count()

    def _clone(self):
        clone = super()._clone()
        clone._count_from = self._count_from
        return clone

    def _filter_or_exclude(self, negate, args, kwargs):
        clone = super()._filter_or_exclude(negate, args, kwargs)
        clone._count_from = None
        return clone


class Project(models.Model):
    name = models.CharField(_("project name"), max_length=200)
    company = models.CharField(_("investor company"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="projects"
    )
    responsible_leader = models.CharField(_("responsible leader"), max_length=60, blank=True)
    responsible_department = models.ForeignKey(
        "units.Unit",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="department_projects",
        limit_choices_to={"kind": "department"},
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.DISTRICT)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.INDUSTRIAL
    )
    foreign_funded = models.BooleanField(_("foreign-funded"), default=False)
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    chain_position = models.CharField(
        _("chain position"), max_length=20, choices=ChainPosition.choices, blank=True
    )
    chain_segment = models.CharField(
        _("chain segment"), max_length=60, blank=True, help_text=_("e.g. power batteries, cathode materials")
    )
    construction_type = models.CharField(
        _("new or continuing"), max_length=20, choices=ConstructionType.choices, default=ConstructionType.NEW
    )
    total_investment = models.DecimalField(
        _("total investment (10k)"),
        **MONEY,
        validators=[MinValueValidator(0)],
        help_text=_("In 万 of the currency."),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY)
    annual_revenue = models.DecimalField(
        _("annual revenue at full production (10k)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    annual_revenue_currency = models.CharField(
        _("revenue currency"), max_length=3, choices=Currency.choices, default=Currency.CNY
    )
    national_code = models.CharField(
        _("national project code"), max_length=24, blank=True, validators=[validate_national_code]
    )
    in_statistics = models.BooleanField(_("in the official statistics"), default=False)
    statistics_date = models.DateField(_("date entered the statistics"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.PLANNING)
    target_date = models.DateField(_("target production date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Where the project is: WGS-84 degrees (GPS, OC4IDS, the bundled boundaries); coordinates read off Chinese
    # map services are GCJ-02 and converted on the way in (lib.geo).
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    # Derived by services.project_refresh_light from the rules; stored so that the ledger can filter on it.
    light = models.CharField(_("light"), max_length=10, choices=Light.choices, default=Light.GREEN)
    light_reasons = models.JSONField(_("light reasons"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Raised by every save through project_save; a form that was opened at another version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-total_investment", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment__gte=0), name="project_investment_not_negative"
            ),
            models.UniqueConstraint(fields=["unit", "name"], name="project_name_unique_in_unit"),
            # A point has both coordinates or none.
            models.CheckConstraint(
                condition=Q(longitude__isnull=True, latitude__isnull=True)
                | Q(longitude__isnull=False, latitude__isnull=False),
                name="project_location_complete",
            ),
        ]
        # Every ledger sort (selectors.LEDGER_SORTS) and filter (selectors.ledger) has an index; unit and
        # industry filters use their foreign keys' own. No (unit, -total_investment): it sorts nothing alone
        # (the unit order is the unit's) and SQLite then picks it for the default page (0.7 s, not 20 ms).
        indexes = [
            models.Index(fields=["stage"]),
            models.Index(fields=["light"]),
            models.Index(fields=["-total_investment", "name"], name="project_ledger_default_order"),
            models.Index(fields=["name"], name="project_ledger_by_name"),
            models.Index(fields=["-updated_at"], name="project_ledger_by_updated"),
            models.Index(fields=["level"], name="project_ledger_level"),
            models.Index(fields=["construction_type"], name="project_ledger_construction"),
            models.Index(fields=["chain_position"], name="project_ledger_chain_position"),
            # The chain map's largest projects of a segment: one ordered range for a segment of one industry,
            # a few short ones for a named segment across the chain's industries; with the unit (the user's
            # scope) and the id, PostgreSQL reads them from the index alone (SQLite ignores `include`).
            models.Index(
                fields=["chain_position", "chain_segment", "industry", "-total_investment", "name"],
                include=["unit", "id"],
                name="project_chain_segment_largest",
            ),
            # The map's view, zoomed in: the projects in a box (a range of longitudes, each latitude checked in
            # the index), then sorted (selectors.map_points; zoomed out it walks the ledger order instead).
            models.Index(fields=["longitude", "latitude"], name="project_location"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("projects:detail", args=[self.pk])


class Phase(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="phases", verbose_name=_("project")
    )
    name = models.CharField(_("phase"), max_length=40)
    investment = models.DecimalField(
        _("investment (10k)"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    capacity_note = models.CharField(_("capacity"), max_length=200, blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_completion__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_completion__gte=F("planned_start")),
                name="phase_completion_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.name}"


class Capacity(models.Model):
    """Designed capacity: 18GWh动力电池, 5万吨正极材料 (stored as 50000 吨)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="capacities", verbose_name=_("project")
    )
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="capacities",
        verbose_name=_("phase"),
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=16, decimal_places=3, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit of measure"), max_length=20)
    product = models.CharField(_("product"), max_length=80)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")

    def __str__(self) -> str:
        """ "18GWh动力电池", "10万吨正极材料": written as every page writes a quantity, with no spaces."""
        return f"{format_amount(self.quantity, unit_spelling(self.unit))}{self.product}"


class StageDate(models.Model):
    """Planned and actual date of one stage (奠基 counts as 开工 when no other date is given)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="stage_dates", verbose_name=_("project")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    actual_date = models.DateField(_("actual date"), null=True, blank=True)

    class Meta:
        verbose_name = _("stage date")
        verbose_name_plural = _("stage dates")
        constraints = [models.UniqueConstraint(fields=["project", "stage"], name="one_date_per_stage")]
        # The year's planned starts (开工率 on the cockpit, in the bulletin and the evaluation), counted from the
        # index alone: the actual date and the project (for its unit) are in it too (SQLite has no INCLUDE).
        indexes = [
            models.Index(
                fields=["stage", "planned_date", "actual_date", "project"], name="stage_date_by_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.get_stage_display()}"


class MilestoneTemplate(models.Model):
    """The district's backward-scheduling template (倒排工期)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("milestone template")
        verbose_name_plural = _("milestone templates")

    def __str__(self) -> str:
        return self.name


class MilestoneTemplateStep(models.Model):
    template = models.ForeignKey(
        MilestoneTemplate, on_delete=models.CASCADE, related_name="steps", verbose_name=_("template")
    )
    name = models.CharField(_("node"), max_length=60)
    days_before_target = models.PositiveIntegerField(_("days before the target date"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("template step")
        verbose_name_plural = _("template steps")

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    name = models.CharField(_("node"), max_length=60)
    order = models.PositiveIntegerField(_("order"), default=0)
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)

    class Meta:
        ordering = ["planned_date", "order"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name


class AnnualPlan(models.Model):
    """年度计划投资: the year's planned investment and, for new projects, the planned start."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="annual_plans", verbose_name=_("project")
    )
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    planned_investment = models.DecimalField(
        _("planned investment (10k)"), **MONEY, validators=[MinValueValidator(0)]
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_plan_per_project_year"),
            models.CheckConstraint(condition=Q(planned_investment__gte=0), name="plan_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"


class ProgressReport(models.Model):
    """月度进度填报: submitted by unit staff, reviewed by the office."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="reports", verbose_name=_("project")
    )
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    investment_month = models.DecimalField(
        _("investment this month (10k)"), **MONEY, validators=[MinValueValidator(0)]
    )
    investment_ytd = models.DecimalField(
        _("investment this year to date (10k)"), **MONEY, validators=[MinValueValidator(0)]
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    narrative = models.TextField(_("progress narrative"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    # Raised by every write (submission, review); a form opened at another version is refused (StaleEdit).
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="one_report_per_project_month"),
            models.CheckConstraint(
                condition=Q(investment_ytd__gte=F("investment_month")), name="ytd_includes_month"
            ),
        ]
        indexes = [models.Index(fields=["year", "month"])]

    def __str__(self) -> str:
        return f"{self.project} {self.year}-{self.month:02d}"


class LightSettings(models.Model):
    """The district's light rules, names and colours (one row)."""

    yellow_points_behind = models.DecimalField(
        _("yellow when behind 序时 by (points)"), max_digits=5, decimal_places=1, default=10
    )
    red_points_behind = models.DecimalField(
        _("red when behind 序时 by more than (points)"), max_digits=5, decimal_places=1, default=30
    )
    start_late_yellow_months = models.PositiveSmallIntegerField(
        _("yellow when start is late by (months)"), default=1
    )
    start_late_red_months = models.PositiveSmallIntegerField(
        _("red when start is late by (months)"), default=3
    )
    unstatisticised_yellow_months = models.PositiveSmallIntegerField(
        _("yellow when started but not in statistics for (months)"), default=1
    )
    unstatisticised_red_months = models.PositiveSmallIntegerField(
        _("red when started but not in statistics for (months)"), default=2
    )
    green_label = models.CharField(_("green name"), max_length=20, default="绿灯")
    yellow_label = models.CharField(_("yellow name"), max_length=20, default="黄灯")
    red_label = models.CharField(_("red name"), max_length=20, default="红灯")
    green_colour = models.CharField(_("green colour"), max_length=7, default="#2e7d32")
    yellow_colour = models.CharField(_("yellow colour"), max_length=7, default="#f9a825")
    red_colour = models.CharField(_("red colour"), max_length=7, default="#c62828")

    class Meta:
        verbose_name = _("light settings")
        verbose_name_plural = _("light settings")

    def __str__(self) -> str:
        return str(_("Light settings"))

    def clean(self):
        if self.red_points_behind < self.yellow_points_behind:
            raise ValidationError(
                {"red_points_behind": _("The red threshold must not be below the yellow one.")}
            )


class PeriodFigures(models.Model):
    """A project's figures as of the end of one reporting month (1-`month`月 of `year`), stored by the write
    services (ducha.projects.rollups) in the same transaction as the change they follow, so that the ledger,
    the cockpit, the units page and the bulletin read them instead of recomputing every project's year.

    Every project has one row per month of every stored year; `ducha rollups rebuild` recomputes them all.
    The project's own attributes (unit, industry, currency, stage, investment) are copied so that the
    per-unit sums (UnitPeriodFigures) and the ledger's sorts are read from one table.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="period_figures")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    industry = models.ForeignKey(Industry, null=True, on_delete=models.SET_NULL, related_name="+")
    currency = models.CharField(max_length=3)
    stage = models.CharField(max_length=20)  # the project's stage now (the cockpit's stage counts)
    stage_at_end = models.CharField(
        max_length=20
    )  # the stage it had reached at the month's end (the bulletin)
    total_investment = models.DecimalField(max_digits=14, decimal_places=2)
    plan = models.DecimalField(max_digits=14, decimal_places=2, null=True)  # the year's planned investment
    # The latest cumulative figure reported up to the month (none before the first report).
    completed = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    ratio = models.DecimalField(max_digits=12, decimal_places=4, null=True)  # completed ÷ plan
    # False when there is no ratio (no plan, or nothing reported yet): those sort last, by the index below.
    has_ratio = models.BooleanField(default=False)
    light = models.CharField(max_length=10, choices=Light.choices)
    light_reasons = models.JSONField(default=list)

    class Meta:
        verbose_name = _("period figures")
        verbose_name_plural = _("period figures")
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="one_figures_per_project_month")
        ]
        indexes = [
            # The ledger of a month sorted by completion (projects without a plan last) or by light.
            models.Index(fields=["year", "month", "-has_ratio", "ratio"], name="figures_by_ratio"),
            # The month's red (yellow …) projects, largest first (the cockpit's list, the ledger's light filter).
            models.Index(
                fields=["year", "month", "light", "-total_investment"], name="figures_by_light_size"
            ),
            models.Index(fields=["year", "month", "unit"], name="figures_by_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}-{self.month:02d}"


class UnitPeriodFigures(models.Model):
    """The sums of a unit's PeriodFigures for one month, one row per group of one `dimension`:
    all projects, by stage, by stage at the month's end, by light and by industry; per currency
    (plans and completion are converted to yuan when read, at the configured rates)."""

    class Dimension(models.TextChoices):
        ALL = "all"
        STAGE = "stage"
        STAGE_AT_END = "stage_end"
        LIGHT = "light"
        INDUSTRY = "industry"
        CHAIN = "chain"  # key: rollups.chain_key(industry, chain position, chain segment)
        # 开工率's counts (rules.start_months), key "planned" or "started"; no currency, no amounts.
        STARTS = "starts"

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    # The stage, light, industry id or chain key (rollups.chain_key); "" for all.
    key = models.CharField(max_length=100, blank=True)
    currency = models.CharField(max_length=3)
    projects = models.PositiveIntegerField()
    total_investment = models.DecimalField(max_digits=20, decimal_places=2)
    plan = models.DecimalField(max_digits=20, decimal_places=2)
    completed = models.DecimalField(max_digits=20, decimal_places=2)

    class Meta:
        verbose_name = _("unit period figures")
        verbose_name_plural = _("unit period figures")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "month", "dimension", "key", "currency"],
                name="one_unit_figures_per_group",
            )
        ]
        # A dimension's groups in a month or in months up to one (the cockpit's chart), and one chain's segments
        # (a key range of its industries). The dimension before the month: a range of months then skips the
        # other dimensions' rows (a province's chain segments are most of them). Every column is in the index so
        # that summing thousands of rows never reads the table (3× faster on SQLite).
        indexes = [
            models.Index(
                fields=[
                    "year", "dimension", "month", "key", "currency", "unit", "projects", "total_investment",
                    "plan", "completed",
                ],
                name="unit_figures_by_dimension",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}-{self.month:02d} {self.dimension}={self.key}"
