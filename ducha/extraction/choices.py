from django.db import models
from django.utils.translation import gettext_lazy as _


class FactKind(models.TextChoices):
    PROJECT = "project", _("Project")
    INDICATOR = "indicator", _("Indicator")
    PERSON = "person", _("Person")
    EVENT = "event", _("Event")


class FactStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
