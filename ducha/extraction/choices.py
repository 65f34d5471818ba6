from django.db import models
from django.utils.translation import pgettext_lazy


class FactKind(models.TextChoices):
    PROJECT = "project", pgettext_lazy("report import", "Project")
    INDICATOR = "indicator", pgettext_lazy("report import", "Indicator")
    PERSON = "person", pgettext_lazy("report import", "Person")
    EVENT = "event", pgettext_lazy("report import", "Event")


class FactStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("report import", "Pending")
    ACCEPTED = "accepted", pgettext_lazy("report import", "Accepted")
    REJECTED = "rejected", pgettext_lazy("report import", "Rejected")
