from django.apps import AppConfig

from ducha.lib.admin_names import APP_NAMES


class ProjectsConfig(AppConfig):
    name = "ducha.projects"
    label = "projects"
    verbose_name = APP_NAMES["projects"]

    def ready(self):
        from ducha.core.audit import audit_register

        from . import models

        audit_register(
            models.Project,
            models.Phase,
            models.Capacity,
            models.StageDate,
            models.Milestone,
            models.AnnualPlan,
            models.ProgressReport,
            models.LightSettings,
            models.Industry,
            models.MilestoneTemplate,
            models.MilestoneTemplateStep,
            # The light is derived from the audited facts above and recomputed daily: not a change by anyone.
            exclude=("created_at", "updated_at", "light", "light_reasons", "version"),
        )
