from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ducha.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from auditlog.models import LogEntry
        from django.contrib import admin
        from django.db.models.signals import post_save

        from .audit_chain import audit_seal

        post_save.connect(audit_seal, sender=LogEntry, dispatch_uid="ducha_audit_seal")

        admin.site.site_header = _("ducha · settings")
        admin.site.site_title = _("ducha")
        admin.site.index_title = _("Users, units and templates")
