import django.db.models.deletion  # noqa: F401
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

import ducha.lib.clock


def number_issues_per_year(apps, schema_editor):
    """Existing bulletins: issued on the day they were generated, numbered 1, 2 … within that year."""
    Bulletin = apps.get_model("cockpit", "Bulletin")
    Counter = apps.get_model("cockpit", "BulletinIssueCounter")
    last: dict[int, int] = {}
    for bulletin in Bulletin.objects.order_by("generated_at", "pk"):
        day = timezone.localtime(bulletin.generated_at).date()
        last[day.year] = last.get(day.year, 0) + 1
        bulletin.issued_on = day
        bulletin.issue_year = day.year
        bulletin.issue = last[day.year]
        bulletin.issuer = settings.DUCHA_BULLETIN_ISSUER
        bulletin.masthead = settings.DUCHA_BULLETIN_MASTHEAD
        bulletin.recipients = settings.DUCHA_BULLETIN_RECIPIENTS
        bulletin.copies = settings.DUCHA_BULLETIN_COPIES
        bulletin.save()
    for year, n in last.items():
        Counter.objects.update_or_create(year=year, defaults={"last_issue": n})


class Migration(migrations.Migration):
    dependencies = [
        ("cockpit", "0001_bulletin"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="bulletin", name="one_bulletin_issue_per_period"),
        migrations.CreateModel(
            name="BulletinIssueCounter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveIntegerField(unique=True, verbose_name="year")),
                ("last_issue", models.PositiveIntegerField(default=0, verbose_name="last issue number")),
            ],
            options={
                "verbose_name": "bulletin issue counter",
                "verbose_name_plural": "bulletin issue counters",
            },
        ),
        migrations.AddField(
            model_name="bulletin",
            name="issue_year",
            field=models.PositiveIntegerField(default=2000, verbose_name="year of issue"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="bulletin",
            name="issued_on",
            field=models.DateField(default=ducha.lib.clock.today, verbose_name="date of issue"),
        ),
        migrations.AddField(
            model_name="bulletin",
            name="issuer",
            field=models.CharField(default="", max_length=200, verbose_name="issuing office"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="bulletin",
            name="masthead",
            field=models.CharField(default="", max_length=100, verbose_name="masthead"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="bulletin",
            name="recipients",
            field=models.CharField(blank=True, max_length=500, verbose_name="main recipients"),
        ),
        migrations.AddField(
            model_name="bulletin",
            name="copies",
            field=models.CharField(blank=True, max_length=500, verbose_name="copies to"),
        ),
        migrations.RunPython(number_issues_per_year, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="bulletin",
            options={
                "ordering": ["-issue_year", "-issue"],
                "verbose_name": "bulletin",
                "verbose_name_plural": "bulletins",
            },
        ),
        migrations.AddConstraint(
            model_name="bulletin",
            constraint=models.CheckConstraint(
                condition=models.Q(issue__gte=1), name="bulletin_issue_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="bulletin",
            constraint=models.UniqueConstraint(
                fields=("issue_year", "issue"), name="one_bulletin_per_issue_number_in_year"
            ),
        ),
    ]
