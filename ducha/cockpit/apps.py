from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CockpitConfig(AppConfig):
    name = "ducha.cockpit"
    label = "cockpit"
    verbose_name = _("Cockpit and bulletins")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Bulletin

        auditlog.register(Bulletin, exclude_fields=["content"])
