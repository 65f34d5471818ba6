from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class JobsConfig(AppConfig):
    name = "ducha.jobs"
    label = "jobs"
    verbose_name = pgettext_lazy("application", "Background jobs")

    def ready(self):
        from ducha.core.audit import audit_register

        from . import models

        # The progress counters tick many times per job: derived figures, not a change by anyone.
        audit_register(models.Job, exclude=("progress_done", "progress_total"))
