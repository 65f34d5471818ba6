from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "ducha.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Evaluation, EvaluationResult, ManualScore, Scheme, SchemeItem

        for model in (Scheme, SchemeItem, ManualScore, Evaluation, EvaluationResult):
            auditlog.register(model)
