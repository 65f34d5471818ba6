from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "ducha.units"
    label = "units"
    verbose_name = _("Units")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Unit

        auditlog.register(Unit)
