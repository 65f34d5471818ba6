from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "ducha.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (models.Project, models.Phase, models.Capacity, models.StageDate, models.Milestone,
                      models.AnnualPlan, models.ProgressReport, models.LightSettings, models.Industry,
                      models.MilestoneTemplate, models.MilestoneTemplateStep):
            auditlog.register(model)
