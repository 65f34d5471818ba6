from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial major project")
    CITY = "city", _("City key project")
    DISTRICT = "district", _("District key project")


class Category(models.TextChoices):
    INDUSTRIAL = "industrial", _("Industrial")
    LIVELIHOOD = "livelihood", _("Livelihood")
    GOVERNMENT = "government", _("Government investment")
    TECHNOLOGY = "technology", _("Science and technology")


class ChainPosition(models.TextChoices):
    UPSTREAM = "upstream", _("Upstream")
    MIDSTREAM = "midstream", _("Midstream")
    DOWNSTREAM = "downstream", _("Downstream")


class ConstructionType(models.TextChoices):
    NEW = "new", _("New")
    CONTINUING = "continuing", _("Continuing")


class Currency(models.TextChoices):
    CNY = "CNY", _("yuan")
    USD = "USD", _("US dollars")
    EUR = "EUR", _("euros")
    HKD = "HKD", _("Hong Kong dollars")
    JPY = "JPY", _("Japanese yen")


class Stage(models.TextChoices):
    """谋划 → 签约 → 开工 → 竣工 → 投产 → 达产, in this order."""

    PLANNING = "planning", _("Planning")
    SIGNED = "signed", _("Signed")
    STARTED = "started", _("Started")
    COMPLETED = "completed", pgettext_lazy("stage", "Completed")
    PRODUCTION = "production", _("In production")
    FULL_PRODUCTION = "full_production", _("Full production")


STAGE_ORDER = {stage: i for i, stage in enumerate(Stage.values)}


class Light(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    REVIEWED = "reviewed", _("Reviewed")
