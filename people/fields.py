"""Model fields for personal data at rest (``people.crypto``).

- ``EncryptedCharField``: a CharField whose column holds the AES-GCM ciphertext (a text column; ``max_length`` still
  bounds the value typed). The model reads and writes plain values. It can be looked up only by equality (``exact``,
  ``in``, ``isnull``), and only when the model has a ``DigestField(..., for_lookups=True)`` of it: the lookup is
  answered by the digest's indexed column. ``contains`` and the like raise FieldError rather than finding nothing.
- ``DigestField``: the keyed digest of another field, computed on every save (``DigestedModel`` adds it to a
  ``save(update_fields=[...])`` that names its source). ``bulk_update`` and ``QuerySet.update`` skip ``pre_save``:
  set the digest yourself there (``refresh_digests``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.models import lookups
from django.db.models.expressions import Col

from people import crypto


class EncryptedCharField(models.CharField):
    description = "Text encrypted at rest (people.crypto)"

    def get_internal_type(self) -> str:
        return "TextField"  # the ciphertext is longer than the value: a text column on every database

    def from_db_value(self, value, expression, connection):
        return crypto.decrypt(value) if value else value

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        return crypto.encrypt(value) if value else value

    def lookup_digest(self) -> DigestField | None:
        for f in self.model._meta.concrete_fields:
            if isinstance(f, DigestField) and f.source == self.name and f.for_lookups:
                return f
        return None

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return DigestExact
        if lookup_name == "in":
            return DigestIn
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None  # Django raises FieldError: a ciphertext cannot be searched

    def get_transform(self, lookup_name):
        return None


class DigestField(models.CharField):
    """The keyed digest (``crypto.digest(kind, value)``) of the field named ``source``; "" when it is empty."""

    def __init__(self, *args: Any, source: str, kind: str, for_lookups: bool = False, **kwargs: Any) -> None:
        self.source, self.kind, self.for_lookups = source, kind, for_lookups
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        if self.for_lookups:
            kwargs["for_lookups"] = True
        for key, default in (("max_length", 64), ("blank", True), ("default", ""), ("editable", False)):
            if kwargs.get(key) == default:
                del kwargs[key]
        if kwargs.get("db_index") is True:
            del kwargs["db_index"]
        else:
            kwargs["db_index"] = False
        return name, path, args, kwargs

    def digest_of(self, instance) -> str:
        return crypto.digest(self.kind, getattr(instance, self.source) or "")

    def pre_save(self, model_instance, add):
        value = self.digest_of(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def refresh_digests(instance) -> list[str]:
    """Set every digest of ``instance`` from its sources (before a ``bulk_update``); their names."""
    names = []
    for f in instance._meta.concrete_fields:
        if isinstance(f, DigestField):
            setattr(instance, f.attname, f.digest_of(instance))
            names.append(f.name)
    return names


class DigestedModel(models.Model):
    """Saving a source field with ``update_fields`` saves its digests too."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            names = set(update_fields)
            names |= {
                f.name for f in self._meta.concrete_fields if isinstance(f, DigestField) and f.source in names
            }
            kwargs["update_fields"] = names
        super().save(*args, **kwargs)


class _ByDigest:
    """Equality on an encrypted column, answered by its digest column."""

    def __init__(self, lhs, rhs):
        field = getattr(lhs, "target", None)
        digest_field = field.lookup_digest() if isinstance(field, EncryptedCharField) else None
        if not isinstance(lhs, Col) or digest_field is None:
            raise FieldError(f"{field} is encrypted and has no digest to be looked up by")
        if hasattr(rhs, "resolve_expression"):
            raise FieldError(f"{field} is encrypted: compare it with a value, not an expression")
        super().__init__(Col(lhs.alias, digest_field), self.digests(digest_field, rhs))  # type: ignore[call-arg]

    def digests(self, digest_field: DigestField, rhs):
        return crypto.digest(digest_field.kind, rhs or "")


class DigestExact(_ByDigest, lookups.Exact):
    pass


class DigestIn(_ByDigest, lookups.In):
    def digests(self, digest_field: DigestField, rhs):
        return [crypto.digest(digest_field.kind, v or "") for v in rhs]
