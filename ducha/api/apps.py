from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "ducha.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from ducha.core.audit import audit_register

        from . import models

        # Issuing and revoking are recorded; the key's hash is nobody's business and the last use changes on
        # every request (it is written with a queryset update, which records nothing anyway).
        audit_register(models.ApiToken, exclude=("key_hash", "last_used_at"))
