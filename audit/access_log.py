"""PIPL access log: ``reveal`` returns a resident's full value and writes who saw it, where (the page or API call
of the current request, from linli.logs) and when. Seeing one's own data is not logged; a value shown masked is
not logged. Call it at the point where the full value is put in front of someone."""

from __future__ import annotations

from collections.abc import Iterable

from audit.models import PersonalDataView
from linli import clock, logs


def _where() -> tuple[str, str]:
    context = logs._request.get() or {}
    return str(context.get("path") or "")[:200], str(context.get("request_id") or "")[:64]


def _is_self(user, person) -> bool:
    return person.user_id is not None and person.user_id == getattr(user, "pk", None)


def reveal(*, user, person, value: str, field: str = PersonalDataView.Field.PHONE, where: str = "") -> str:
    """``value`` unchanged; a row in the access log when it is someone else's and not empty."""
    if value and not _is_self(user, person):
        path, request_id = _where()
        PersonalDataView.objects.create(
            at=clock.now(),
            actor=user if getattr(user, "is_authenticated", False) else None,
            person=person,
            field=field,
            where=(where or path)[:200],
            request_id=request_id,
        )
    return value


def reveal_many(*, user, people: Iterable, field: str = PersonalDataView.Field.PHONE, where: str = "") -> int:
    """One row per person shown in full on a list (those given are the ones shown in full)."""
    path, request_id = _where()
    now = clock.now()
    actor = user if getattr(user, "is_authenticated", False) else None
    rows = [
        PersonalDataView(
            at=now, actor=actor, person=p, field=field, where=(where or path)[:200], request_id=request_id
        )
        for p in people
        if not _is_self(user, p)
    ]
    PersonalDataView.objects.bulk_create(rows)
    return len(rows)
