"""For migrations: give rows that predate regions the installation's home region, with historical models."""

from django.conf import settings

from .divisions import divisions
from .models import division_prefix


def home_region_in_history(apps):
    """The home division (DUCHA_HOME_REGION) and its ancestors as stored rows; returns the home row."""
    Region = apps.get_model("regions", "Region")
    by_code = {d.code: d for d in divisions()}
    chain, code = [], settings.DUCHA_HOME_REGION
    while code:  # top down
        chain.insert(0, by_code[code])
        code = by_code[code].parent
    region = None
    for division in chain:
        region, _created = Region.objects.get_or_create(
            code=division.code,
            defaults={
                "name": division.name,
                "level": division.level,
                "prefix": division_prefix(division.code, division.level),
                "parent": region,
            },
        )
    return region


def to_home_region(app_label: str, model_name: str):
    """A RunPython function setting `region` on every row of the model that has none."""

    def forwards(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        if model.objects.filter(region__isnull=True).exists():
            model.objects.filter(region__isnull=True).update(region=home_region_in_history(apps))

    return forwards
