import django.db.models.deletion
from django.db import migrations, models

import ducha.regions.services
from ducha.regions.history import to_home_region


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
        ("units", "0002_unit_webhook_secret"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="region",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="units",
                to="regions.region",
                verbose_name="region",
            ),
        ),
        migrations.RunPython(to_home_region("units", "Unit"), migrations.RunPython.noop),
        migrations.AlterField(
            model_name="unit",
            name="region",
            field=models.ForeignKey(
                default=ducha.regions.services.home_region_id,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="units",
                to="regions.region",
                verbose_name="region",
            ),
        ),
        migrations.AlterField(
            model_name="unit",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(fields=("region", "name"), name="unit_name_unique_in_region"),
        ),
    ]
