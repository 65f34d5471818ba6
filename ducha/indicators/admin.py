from django.contrib import admin

from .models import Indicator, IndicatorTarget


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "measure", "cumulative", "higher_is_better", "order"]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "unit", "year", "value"]
    list_filter = ["year", "indicator"]
