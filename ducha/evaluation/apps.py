from django.apps import AppConfig

from ducha.lib.admin_names import APP_NAMES


class EvaluationConfig(AppConfig):
    name = "ducha.evaluation"
    label = "evaluation"
    verbose_name = APP_NAMES["evaluation"]

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Evaluation, EvaluationResult, ManualScore, Scheme, SchemeItem

        for model in (Scheme, SchemeItem, ManualScore, Evaluation, EvaluationResult):
            auditlog.register(model)
