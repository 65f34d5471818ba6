from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import user_sync_admin_access


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "unit", "is_active", "last_login"]
    list_filter = ["role", "unit", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("ducha"), {"fields": ("role", "unit", "display_name", "phone")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        (_("ducha"), {"fields": ("role", "unit", "display_name")}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        user_sync_admin_access(user=obj)
