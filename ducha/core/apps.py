from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from ducha.lib.admin_names import APP_NAMES


class CoreConfig(AppConfig):
    name = "ducha.core"
    label = "core"
    verbose_name = APP_NAMES["core"]

    def ready(self):
        from auditlog.models import LogEntry
        from django.contrib import admin
        from django.db.models.signals import post_save

        from .audit_chain import audit_seal

        post_save.connect(audit_seal, sender=LogEntry, dispatch_uid="ducha_audit_seal")

        # The libraries' applications have no Chinese names of their own.
        from django.apps import apps

        for label, name in APP_NAMES.items():
            if label in apps.app_configs:
                apps.get_app_config(label).verbose_name = name

        admin.site.site_header = _("ducha · settings")
        admin.site.site_title = _("ducha")
        admin.site.index_title = _("Users, units and templates")
