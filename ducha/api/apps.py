from django.apps import AppConfig

from ducha.lib.admin_names import APP_NAMES


class ApiConfig(AppConfig):
    name = "ducha.api"
    label = "api"
    verbose_name = APP_NAMES["api"]

    def ready(self):
        from ducha.core.audit import audit_register

        from . import models

        # Issuing and revoking are recorded; the key's hash is nobody's business and the last use changes on
        # every request (it is written with a queryset update, which records nothing anyway).
        audit_register(models.ApiToken, exclude=("key_hash", "last_used_at"))
