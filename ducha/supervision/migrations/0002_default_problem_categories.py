from django.db import migrations

# The categories the district works with; the office can add, rename or retire them.
DEFAULT_CATEGORIES = ["土地", "资金", "审批", "环评", "能耗", "用工", "拆迁", "其他"]


def add_categories(apps, schema_editor):
    ProblemCategory = apps.get_model("supervision", "ProblemCategory")
    for order, name in enumerate(DEFAULT_CATEGORIES, start=1):
        ProblemCategory.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_rounds_problems_notices")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
