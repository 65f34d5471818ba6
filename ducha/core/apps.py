from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ducha.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.contrib import admin

        admin.site.site_header = _("ducha · settings")
        admin.site.site_title = _("ducha")
        admin.site.index_title = _("Users, units and templates")
