"""Two-factor secrets encrypted at rest (people.crypto); the secrets already stored are encrypted."""

from django.db import migrations

import people.fields
from people.migration_ops import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0004_twofactor"),
    ]

    operations = [
        migrations.AlterField(
            model_name="twofactordevice",
            name="secret",
            field=people.fields.EncryptedCharField(max_length=64),
        ),
        encrypt_existing("access", "TwoFactorDevice", "secret"),
    ]
