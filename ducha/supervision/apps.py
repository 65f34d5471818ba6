from django.apps import AppConfig

from ducha.lib.admin_names import APP_NAMES


class SupervisionConfig(AppConfig):
    name = "ducha.supervision"
    label = "supervision"
    verbose_name = APP_NAMES["supervision"]

    def ready(self):
        from auditlog.registry import auditlog

        from .models import (
            Attachment,
            Problem,
            ProblemCategory,
            ProblemStep,
            RoundVisit,
            SupervisionOrder,
            SupervisionRound,
            SupervisionSettings,
        )

        auditlog.register(ProblemCategory)
        auditlog.register(SupervisionRound)
        auditlog.register(RoundVisit)
        auditlog.register(Problem, m2m_fields={"co_departments"})
        auditlog.register(ProblemStep)
        auditlog.register(Attachment)
        auditlog.register(SupervisionOrder)
        auditlog.register(SupervisionSettings)
