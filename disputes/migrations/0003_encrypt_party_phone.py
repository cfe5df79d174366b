"""Parties' phones encrypted at rest (people.crypto); the phones already stored are encrypted."""

from django.db import migrations

import people.fields
from people.migration_ops import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("disputes", "0002_kinds"),
    ]

    operations = [
        migrations.AlterField(
            model_name="party",
            name="phone",
            field=people.fields.EncryptedCharField(blank=True, max_length=20, verbose_name="联系电话"),
        ),
        encrypt_existing("disputes", "Party", "phone"),
    ]
