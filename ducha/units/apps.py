from django.apps import AppConfig

from ducha.lib.admin_names import APP_NAMES


class UnitsConfig(AppConfig):
    name = "ducha.units"
    label = "units"
    verbose_name = APP_NAMES["units"]

    def ready(self):
        from ducha.core.audit import audit_register

        from .models import Unit

        audit_register(Unit, exclude=("webhook_secret",))  # a credential: never copied into the trail
