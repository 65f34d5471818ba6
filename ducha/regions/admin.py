from django.contrib import admin

from .models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "name", "level", "parent"]  # the national list is loaded, not typed

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
