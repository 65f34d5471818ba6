from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    LEDGER_EXPORT = "ledger_export", _("Ledger export")
    LEDGER_IMPORT = "ledger_import", _("Ledger import")


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
