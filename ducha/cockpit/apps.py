from django.apps import AppConfig

from ducha.lib.admin_names import APP_NAMES


class CockpitConfig(AppConfig):
    name = "ducha.cockpit"
    label = "cockpit"
    verbose_name = APP_NAMES["cockpit"]

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Bulletin

        auditlog.register(Bulletin, exclude_fields=["content"])
