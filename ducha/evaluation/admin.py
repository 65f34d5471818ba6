from django.contrib import admin

from .models import ManualScore, Scheme, SchemeItem


class SchemeItemInline(admin.TabularInline):
    model = SchemeItem
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "flag_rule"]
    inlines = [SchemeItemInline]


@admin.register(ManualScore)
class ManualScoreAdmin(admin.ModelAdmin):
    list_display = ["item", "unit", "month", "score"]
    list_filter = ["item__scheme", "month"]
