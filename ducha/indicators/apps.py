from django.apps import AppConfig

from ducha.lib.admin_names import APP_NAMES


class IndicatorsConfig(AppConfig):
    name = "ducha.indicators"
    label = "indicators"
    verbose_name = APP_NAMES["indicators"]

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Indicator, IndicatorTarget, IndicatorValue

        auditlog.register(Indicator)
        auditlog.register(IndicatorValue)
        auditlog.register(IndicatorTarget)
