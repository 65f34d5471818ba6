from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    CITY = "city", _("City")


class ProblemSource(models.TextChoices):
    ROUND = "round", _("Supervision round")
    REPORT = "report", _("Monthly progress report")
    OTHER = "other", _("Other")


class ProblemStatus(models.TextChoices):
    """待办 → 办理中 → 已办结 → 已销号; 逾期 is derived, never stored."""

    PENDING = "pending", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    VERIFIED = "verified", _("Verified and closed")


OPEN_STATUSES = (ProblemStatus.PENDING, ProblemStatus.IN_PROGRESS)
CLOSED_STATUSES = (ProblemStatus.RESOLVED, ProblemStatus.VERIFIED)


class ProblemAction(models.TextChoices):
    RAISE = "raise", _("Raised")
    ACCEPT = "accept", _("Accepted")
    ANSWER = "answer", _("Answered")
    RESOLVE = "resolve", _("Resolved")
    VERIFY = "verify", _("Verified and closed")
    REOPEN = "reopen", _("Reopened")
    ORDER = "order", _("Formal order issued")


class OrderKind(models.TextChoices):
    """The formal orders of 督办, from the mildest to the most formal."""

    REMINDER = "reminder", _("Reminder slip")  # 提示单
    ORDER = "order", _("Supervision order")  # 督办单
    LETTER = "letter", _("Supervision letter")  # 督办函


class NoticeKind(models.TextChoices):
    NEW_PROBLEM = "new_problem", _("New problem")
    DUE_SOON = "due_soon", _("Problem due soon")
    OVERDUE = "overdue", _("Problem overdue")
    MISSING_REPORT = "missing_report", _("Monthly report missing")
    ORDER = "order", _("Formal order")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In-app")
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk group robot")


class DeliveryStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
