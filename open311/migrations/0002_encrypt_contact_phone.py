"""The Open311 submitter's phone encrypted at rest (people.crypto); the phones already stored are encrypted."""

from django.db import migrations

import people.fields
from people.migration_ops import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("open311", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="open311request",
            name="phone",
            field=people.fields.EncryptedCharField(blank=True, max_length=30),
        ),
        encrypt_existing("open311", "Open311Request", "phone"),
    ]
