from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "ducha.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Indicator, IndicatorTarget, IndicatorValue

        auditlog.register(Indicator)
        auditlog.register(IndicatorValue)
        auditlog.register(IndicatorTarget)
