"""Attachments move out of MEDIA_ROOT (which nginx may serve to anyone) into the private storage."""

import os
import shutil

from django.conf import settings
from django.db import migrations, models

import ducha.supervision.models


def move_existing_files(apps, schema_editor):
    """Files uploaded before keep their names; they are moved, so /media/ no longer serves them."""
    Attachment = apps.get_model("supervision", "Attachment")
    private = ducha.supervision.models.private_storage()
    for name in Attachment.objects.exclude(file="").values_list("file", flat=True).iterator():
        old = os.path.join(settings.MEDIA_ROOT, name)
        new = private.path(name)
        if os.path.isfile(old) and not os.path.exists(new):
            os.makedirs(os.path.dirname(new), exist_ok=True)
            shutil.move(old, new)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0004_translation_contexts_for_shared_words"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="file",
            field=models.FileField(
                max_length=300,
                storage=ducha.supervision.models.private_storage,
                upload_to=ducha.supervision.models.attachment_path,
                verbose_name="file",
            ),
        ),
        migrations.RunPython(move_existing_files, migrations.RunPython.noop, elidable=True),
    ]
