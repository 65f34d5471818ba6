from django.apps import AppConfig

from ducha.lib.admin_names import APP_NAMES


class ProjectsConfig(AppConfig):
    name = "ducha.projects"
    label = "projects"
    verbose_name = APP_NAMES["projects"]

    def ready(self):
        from django.db.models.signals import post_migrate

        from ducha.core.audit import audit_register

        post_migrate.connect(_figures_after_migrate, sender=self)
        _keep_figures_current()

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


def _keep_figures_current() -> None:
    """Every save or delete of what the stored period figures follow refreshes them (rollups.deferred)."""
    from django.db.models.signals import post_delete, post_save, pre_delete

    from . import models, rollups

    post_save.connect(rollups.on_project_saved, sender=models.Project, dispatch_uid="figures-project")
    pre_delete.connect(rollups.on_project_deleting, sender=models.Project, dispatch_uid="figures-project-pre")
    post_delete.connect(rollups.on_project_deleted, sender=models.Project, dispatch_uid="figures-project-del")
    for model in (models.AnnualPlan, models.ProgressReport, models.StageDate, models.Milestone):
        for signal in (post_save, post_delete):
            signal.connect(
                rollups.on_project_row_saved, sender=model, dispatch_uid=f"figures-{model.__name__}-{signal}"
            )


def _figures_after_migrate(using="default", verbosity=1, **kwargs):
    """An installation that had projects before the stored figures existed gets them at its next migrate."""
    import sys

    from .models import PeriodFigures, Project
    from .rollups import progress_on_stderr, rollups_rebuild

    if Project.objects.using(using).exists() and not PeriodFigures.objects.using(using).exists():
        if verbosity:
            sys.stderr.write("Storing the period figures of every project (ducha rollups rebuild)…\n")
        rollups_rebuild(progress=progress_on_stderr() if verbosity else None)
