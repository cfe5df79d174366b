"""After a key change: rewrite every encrypted value (and its digests) with the current LINLI_DATA_KEY.

Put the new key in LINLI_DATA_KEY and the old one in LINLI_DATA_KEY_FALLBACKS, restart, run this command, then
drop the fallback. Values stored in plain text (written before encryption) are encrypted as well. Idempotent.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from people.fields import EncryptedCharField
from people.migration_ops import rewrite_column


class Command(BaseCommand):
    help = "Re-encrypt residents' phones and two-factor secrets with the current LINLI_DATA_KEY."

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, EncryptedCharField):
                    with transaction.atomic():
                        count = rewrite_column(model, field.name)
                    total += count
                    self.stdout.write(f"{model._meta.label}.{field.name}: {count}")
        self.stdout.write(self.style.SUCCESS(f"re-encrypted {total} values"))
