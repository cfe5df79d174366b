"""Bulk writes for the many plain rows of the demo (households, residents, memberships).

Going through the service for each of them costs a dozen queries a row (foreign-key checks, audit row); for a
few hundred rows that is most of the load time. Here every row is still validated field by field (phones,
floor areas, choices), the foreign keys come from objects the loader has just created, and one audit row per
batch says what was registered in bulk.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.db.models import Model

from audit.models import record

M = TypeVar("M", bound=Model)


def bulk_register(objects: Sequence[M], *, summary: str) -> list[M]:
    """Validate each object's own fields, insert them all, and write one audit row for the batch."""
    if not objects:
        return []
    model = type(objects[0])
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    for obj in objects:
        obj.clean_fields(exclude=relations)
    created = model._default_manager.bulk_create(objects)
    record(
        actor=None, action="bulk_create", summary=summary, model=model._meta.label_lower, count=len(created)
    )
    return created
