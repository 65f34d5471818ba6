from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "ducha.units"
    label = "units"
    verbose_name = _("Units")

    def ready(self):
        from ducha.core.audit import audit_register

        from .models import Unit

        audit_register(Unit, exclude=("webhook_secret",))  # a credential: never copied into the trail
