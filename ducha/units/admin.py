from django.contrib import admin

from .models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "peer_group", "order"]
    list_filter = ["kind", "peer_group"]
    search_fields = ["name", "short_name"]
