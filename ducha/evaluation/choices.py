from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """What an evaluation item measures."""

    INDICATOR_GROWTH = "indicator_growth", _("Indicator growth (同比)")
    INDICATOR_COMPLETION = "indicator_completion", _("Indicator target completion")
    START_RATE = "start_rate", _("Project start rate (开工率)")
    INVESTMENT_SCHEDULE = "investment_schedule", _("Investment completion against 序时")
    PROBLEM_CLOSURE = "problem_closure", _("Problem closure rate")
    MANUAL = "manual", _("Manual score")


INDICATOR_SOURCES = {Source.INDICATOR_GROWTH, Source.INDICATOR_COMPLETION}


class Method(models.TextChoices):
    RANK_POINTS = "rank_points", _("Rank points")
    RATIO = "ratio", _("Ratio to target, capped")


class FlagRuleKind(models.TextChoices):
    THIRDS = "thirds", _("Thirds of each peer group")
    THRESHOLDS = "thresholds", _("Score thresholds")


class Flag(models.TextChoices):
    RED = "red", _("Red flag")
    BLUE = "blue", _("Blue flag")
    YELLOW = "yellow", _("Yellow flag")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
