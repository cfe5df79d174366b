"""Residents' phones encrypted at rest (people.crypto), with keyed digests for lookups; existing rows encrypted."""

import django.core.validators
from django.db import migrations

import people.fields
from people.migration_ops import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_person_elder_mode"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="phone_digest",
            field=people.fields.DigestField(for_lookups=True, kind="phone", source="phone"),
        ),
        migrations.AddField(
            model_name="person",
            name="phone_tail_digest",
            field=people.fields.DigestField(kind="phone_tail", source="phone"),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=people.fields.EncryptedCharField(
                blank=True,
                max_length=20,
                validators=[
                    django.core.validators.RegexValidator(
                        "^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$", "请输入 11 位手机号或带区号的固定电话"
                    )
                ],
                verbose_name="电话",
            ),
        ),
        encrypt_existing("people", "Person", "phone"),
    ]
