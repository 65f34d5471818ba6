import os
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ducha.regions.fields import region_field

from .choices import (
    Channel,
    DeliveryStatus,
    NoticeKind,
    OrderKind,
    ProblemAction,
    ProblemSource,
    ProblemStatus,
    RoundLevel,
)
from .rules import Urgency, UrgencyBadge


class ProblemCategory(models.Model):
    """土地, 资金, 审批, 环评, 能耗, 用工, 拆迁 … — the office keeps the list."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")

    def __str__(self) -> str:
        return self.name


class SupervisionRound(models.Model):
    """督查活动: e.g. 2020年“两个加快全面决战年”第一次集中现场督查."""

    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(
        pgettext_lazy("round", "level"),
        max_length=20,
        choices=RoundLevel.choices,
        default=RoundLevel.DISTRICT,
    )
    campaign = models.CharField(
        _("campaign"), max_length=100, blank=True, help_text=_("e.g. 两个加快全面决战年")
    )
    year = models.PositiveIntegerField(_("year"))
    ordinal = models.PositiveSmallIntegerField(
        _("ordinal"), null=True, blank=True, help_text=_("1 for the first round")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    leaders = models.CharField(_("leaders"), max_length=300, help_text=_("Names separated by 、"))
    meeting_place = models.CharField(_("assembly point"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The region whose office runs the round: a city's rounds sit beside its districts' own.
    region = region_field()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("supervision round")
        verbose_name_plural = _("supervision rounds")
        constraints = [
            models.UniqueConstraint(fields=["date", "title"], name="round_title_unique_per_date"),
            models.UniqueConstraint(
                fields=["campaign", "year", "ordinal"],
                condition=Q(ordinal__isnull=False) & ~Q(campaign=""),
                name="round_ordinal_unique_in_campaign",
                violation_error_message=_("This campaign already has a round with this ordinal."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:round_detail", args=[self.pk])


class RoundVisit(models.Model):
    """One project visited during a round, in order, with what was found there."""

    round = models.ForeignKey(
        SupervisionRound, on_delete=models.CASCADE, related_name="visits", verbose_name=_("round")
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        related_name="supervision_visits",
        verbose_name=_("project"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    arrival_time = models.TimeField(_("arrival time"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="project_visited_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.project}"


class Problem(models.Model):
    """矛盾问题 / 督办事项: assigned to a lead department, chased until the office closes it (销号)."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="problems", verbose_name=_("project")
    )
    source = models.CharField(
        _("source"), max_length=20, choices=ProblemSource.choices, default=ProblemSource.OTHER
    )
    round = models.ForeignKey(
        SupervisionRound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
        verbose_name=_("round"),
    )
    report = models.ForeignKey(
        "projects.ProgressReport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raised_problems",
        verbose_name=_("progress report"),
    )
    category = models.ForeignKey(
        ProblemCategory,
        on_delete=models.PROTECT,
        related_name="problems",
        verbose_name=pgettext_lazy("problem", "category"),
    )
    description = models.TextField(pgettext_lazy("problem", "description"))
    lead_department = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="led_problems",
        verbose_name=_("lead department"),
    )
    co_departments = models.ManyToManyField(
        "units.Unit", blank=True, related_name="co_problems", verbose_name=_("co-departments")
    )
    responsible_leader = models.CharField(_("responsible leader"), max_length=60, blank=True)
    raised_on = models.DateField(_("raised on"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.PENDING
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("raised by"),
    )
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # Raised by every edit and every step; a form opened at another version is refused (services.StaleEdit).
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("raised_on")),
                name="problem_deadline_not_before_raise",
                violation_error_message=_("The deadline cannot be before the day the problem was raised."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["resolved", "verified"], resolved_on__isnull=False)
                | Q(status__in=["pending", "in_progress"], resolved_on__isnull=True),
                name="problem_resolved_on_matches_status",
            ),
            models.CheckConstraint(
                condition=~Q(source="round") | Q(round__isnull=False),
                name="problem_from_round_names_round",
                violation_error_message=_("A problem raised at a round must name the round."),
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"]), models.Index(fields=["raised_on"])]

    def __str__(self) -> str:
        return f"{self.project} · {self.category}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:problem_detail", args=[self.pk])


class ProblemStep(models.Model):
    """One step of a problem's history: who did what, when, with which comment."""

    problem = models.ForeignKey(
        Problem, on_delete=models.CASCADE, related_name="steps", verbose_name=_("problem")
    )
    action = models.CharField(_("action"), max_length=20, choices=ProblemAction.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=ProblemStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ProblemStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    unit = models.ForeignKey(
        "units.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unit"),
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("problem step")
        verbose_name_plural = _("problem steps")

    def __str__(self) -> str:
        return f"{self.problem_id} {self.action}"


def default_office_name() -> str:
    """The issuing office until the office saves its own: settings.DUCHA_OFFICE_NAME."""
    return settings.DUCHA_OFFICE_NAME


class SupervisionSettings(models.Model):
    """The district's wording and colours of 三色督办 and of its formal orders (one row, kept by the office)."""

    office_name = models.CharField(
        _("issuing office"),
        max_length=100,
        default=default_office_name,
        help_text=_("Printed at the head and the foot of every formal order."),
    )
    near_days = models.PositiveSmallIntegerField(_("yellow when the deadline is within (days)"), default=3)
    near_label = models.CharField(_("yellow badge name"), max_length=20, default="临期")
    near_colour = models.CharField(_("yellow badge colour"), max_length=7, default="#f9a825")
    behind_label = models.CharField(_("orange badge name"), max_length=20, default="滞后")
    behind_colour = models.CharField(_("orange badge colour"), max_length=7, default="#ef6c00")
    overdue_label = models.CharField(_("red badge name"), max_length=20, default="逾期")
    overdue_colour = models.CharField(_("red badge colour"), max_length=7, default="#c62828")
    reminder_prefix = models.CharField(_("number prefix of reminder slips"), max_length=10, default="督提")
    order_prefix = models.CharField(_("number prefix of supervision orders"), max_length=10, default="督办")
    letter_prefix = models.CharField(_("number prefix of supervision letters"), max_length=10, default="督函")

    class Meta:
        verbose_name = _("supervision settings")
        verbose_name_plural = _("supervision settings")

    def __str__(self) -> str:
        return str(_("Supervision settings"))

    def clean(self):
        wrong = {
            field: _("Give the colour as #rrggbb, e.g. #c62828.")
            for field in ("near_colour", "behind_colour", "overdue_colour")
            if not re.fullmatch(r"#[0-9a-fA-F]{6}", getattr(self, field) or "")
        }
        if wrong:
            raise ValidationError(wrong)

    def badges(self) -> dict[str, "UrgencyBadge"]:
        """Urgency value → its name and colour, mildest first."""
        return {
            Urgency.NEAR: UrgencyBadge(Urgency.NEAR, self.near_label, self.near_colour),
            Urgency.BEHIND: UrgencyBadge(Urgency.BEHIND, self.behind_label, self.behind_colour),
            Urgency.OVERDUE: UrgencyBadge(Urgency.OVERDUE, self.overdue_label, self.overdue_colour),
        }

    def prefix_for(self, kind: str) -> str:
        return {
            OrderKind.REMINDER: self.reminder_prefix,
            OrderKind.ORDER: self.order_prefix,
            OrderKind.LETTER: self.letter_prefix,
        }[kind]


class SupervisionOrder(models.Model):
    """A formal order on a problem: 提示单, 督办单 or 督办函, numbered per kind and year (督办〔2020〕12号)."""

    problem = models.ForeignKey(
        Problem, on_delete=models.PROTECT, related_name="orders", verbose_name=_("problem")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrderKind.choices)
    year = models.PositiveIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("running number"))
    number = models.CharField(_("number"), max_length=40)
    text = models.TextField(_("text"))
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("reply due on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    office_name = models.CharField(_("issuing office"), max_length=100)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("formal order")
        verbose_name_plural = _("formal orders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "seq"], name="order_number_unique_per_kind_and_year"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("issued_on")),
                name="order_due_not_before_issue",
                violation_error_message=_("The reply date cannot be before the issue date."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("supervision:order_detail", args=[self.pk])


class PrivateStorage(FileSystemStorage):
    """Attachments live outside MEDIA_ROOT and have no URL: only the access-checked attachment view serves them.

    The directory is settings.DUCHA_PRIVATE_ROOT, by default $DUCHA_DATA_DIR/private; read on every use so
    that tests (and a changed setting) take effect at once.
    """

    @property
    def base_location(self):
        return Path(settings.DUCHA_PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of attachments (a callable, so that migrations name this function and not its class)."""
    return _private_storage


def attachment_path(instance, filename: str) -> str:
    """A random name keeping only the extension: the original name is in Attachment.original_name."""
    from django.utils import timezone

    ext = Path(filename).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", ext):
        ext = ""
    return f"supervision/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{ext}"


class Attachment(models.Model):
    """A photo or document taken on site, attached to a visit or a problem (or a step of it)."""

    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    visit = models.ForeignKey(
        RoundVisit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("visit"),
    )
    problem = models.ForeignKey(
        Problem,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("problem"),
    )
    step = models.ForeignKey(
        ProblemStep,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        verbose_name=_("step"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(visit__isnull=False, problem__isnull=True)
                | Q(visit__isnull=True, problem__isnull=False),
                name="attachment_belongs_to_visit_or_problem",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.original_name.lower().rsplit(".", 1)[-1] in {"jpg", "jpeg", "png", "gif", "webp"}


class Notice(models.Model):
    """An in-app notice for one person or for everyone in a unit."""

    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    recipient_unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_user__isnull=False) | Q(recipient_unit__isnull=False),
                name="notice_has_recipient",
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]


class ReminderLog(models.Model):
    """One delivery of one reminder on one day through one channel: makes `ducha remind` idempotent.

    A failed delivery keeps its row with status=failed and is retried by the next run.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    object_key = models.CharField(_("about"), max_length=60)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    target = models.CharField(_("target"), max_length=300)
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-day", "pk"]
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "channel", "target", "day"],
                name="one_reminder_per_target_and_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.object_key} {self.channel}"
