"""Rewriting an encrypted column's stored values in place: the data migrations that encrypt existing rows (and
decrypt them when going back), and ``manage.py reencrypt_personal_data`` after a key change.

Plain SQL in batches of primary keys, so that it works the same on historical models (migrations) and on today's,
on SQLite and PostgreSQL, and never holds a whole table in memory.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connections
from django.db.migrations import RunPython

from people import crypto
from people.fields import DigestField

BATCH = 1000


def rewrite_column(
    model, field_name: str, *, using: str = "default", decrypting: bool = False, batch: int = BATCH
) -> int:
    """Encrypt every value of ``model.field_name`` stored in plain text or under an old key (or, ``decrypting``,
    store them all in plain text) and recompute its digests; the number of rows rewritten."""
    field = model._meta.get_field(field_name)
    digests = [
        f for f in model._meta.concrete_fields if isinstance(f, DigestField) and f.source == field_name
    ]
    connection = connections[using]
    qn = connection.ops.quote_name
    table, pk, column = qn(model._meta.db_table), qn(str(model._meta.pk.column)), qn(str(field.column))
    assignments = ", ".join(f"{c} = %s" for c in [column, *(qn(str(d.column)) for d in digests)])
    select = f"SELECT {pk}, {column} FROM {table} WHERE {pk} > %s AND {column} <> '' ORDER BY {pk}"
    update = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"
    done, last = 0, None
    with connection.cursor() as cursor:
        while True:
            cursor.execute(select + f" LIMIT {int(batch)}", [last if last is not None else _lowest(model)])
            rows = cursor.fetchall()
            if not rows:
                return done
            changes = []
            for key, stored in rows:
                last = key
                if decrypting:
                    if not crypto.is_encrypted(stored):
                        continue
                    value = crypto.decrypt(stored)
                    changes.append([value, *("" for _ in digests), key])
                elif crypto.needs_reencryption(stored):
                    value = crypto.decrypt(stored)
                    changes.append(
                        [crypto.encrypt(value), *(crypto.digest(d.kind, value) for d in digests), key]
                    )
            if changes:
                cursor.executemany(update, changes)
                done += len(changes)


def _lowest(model):
    return -1 if model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField", "IntegerField"} else ""


def encrypt_existing(app_label: str, model_name: str, *field_names: str) -> RunPython:
    """A migration operation: encrypt the rows already stored (and compute their digests); back: plain text."""

    def runner(decrypting: bool) -> Callable:
        def run(apps, schema_editor):
            model = apps.get_model(app_label, model_name)
            for name in field_names:
                rewrite_column(model, name, using=schema_editor.connection.alias, decrypting=decrypting)

        return run

    return RunPython(runner(False), runner(True), elidable=False)
