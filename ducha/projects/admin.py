from django.contrib import admin

from . import models


class CapacityInline(admin.TabularInline):
    model = models.Capacity
    extra = 0


class PhaseInline(admin.TabularInline):
    model = models.Phase
    extra = 0


@admin.register(models.Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "industry", "level", "stage", "total_investment", "currency", "light"]
    list_filter = ["unit", "level", "stage", "light", "construction_type"]
    search_fields = ["name", "company", "national_code"]
    inlines = [PhaseInline, CapacityInline]
    list_select_related = ["unit", "industry"]


class TemplateStepInline(admin.TabularInline):
    model = models.MilestoneTemplateStep
    extra = 1


@admin.register(models.MilestoneTemplate)
class MilestoneTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
    inlines = [TemplateStepInline]


@admin.register(models.Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "order"]
    list_select_related = ["parent"]


admin.site.register(models.LightSettings)
