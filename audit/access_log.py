"""PIPL access log: ``reveal`` returns a resident's full value and writes who saw it, where (the page or API call
of the current request, from linli.logs) and when. Seeing one's own data is not logged; a value shown masked is
not logged. Call it at the point where the full value is put in front of someone.

- a full phone: ``reveal`` / ``reveal_many`` (``access.scope.Scope.phone_of`` and ``phones_of`` call them);
- a person's home addresses (building and door): ``reveal_homes``, one row per page whatever the number of homes;
- a dispute's parties: ``reveal_parties``, one row per party and per piece shown in full (phone, address,
  statement), naming the party (``subject``) since a party need not be on the register.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from audit.models import PersonalDataView
from linli import clock, logs

Field = PersonalDataView.Field


def _where() -> tuple[str, str]:
    context = logs._request.get() or {}
    return str(context.get("path") or "")[:200], str(context.get("request_id") or "")[:64]


def _is_self(user, person) -> bool:
    return person is not None and person.user_id is not None and person.user_id == getattr(user, "pk", None)


def _row(user, *, person=None, field: str, where: str, now=None, subject: str = "") -> PersonalDataView:
    path, request_id = _where()
    return PersonalDataView(
        at=now or clock.now(),
        actor=user if getattr(user, "is_authenticated", False) else None,
        person=person,
        field=field,
        subject=subject[:60],
        where=(where or path)[:200],
        request_id=request_id,
    )


def reveal(*, user, person, value: str, field: str = Field.PHONE, where: str = "") -> str:
    """``value`` unchanged; a row in the access log when it is someone else's and not empty."""
    if value and not _is_self(user, person):
        _row(user, person=person, field=field, where=where).save()
    return value


def reveal_many(*, user, people: Iterable, field: str = Field.PHONE, where: str = "") -> int:
    """One row per person shown in full on a list (those given are the ones shown in full)."""
    now = clock.now()
    rows = [_row(user, person=p, field=field, where=where, now=now) for p in people if not _is_self(user, p)]
    PersonalDataView.objects.bulk_create(rows)
    return len(rows)


def reveal_homes(*, user, person, homes: Iterable[Any], where: str = "") -> list[Any]:
    """``homes`` (the person's household memberships, as a list) unchanged; one address row when there is any."""
    homes = list(homes)
    if homes and not _is_self(user, person):
        _row(user, person=person, field=Field.ADDRESS, where=where).save()
    return homes


def reveal_parties(*, user, shown: Iterable[tuple[Any, Mapping[str, str]]], where: str = "") -> int:
    """``shown``: (party, {"phone": …, "address": …, "statement": …}) as put in front of ``user`` (an empty value
    was not shown). One row per party and non-empty piece, in one insert; none for the user's own party."""
    from people.models import Person

    shown = list(shown)
    person_ids = {p.person_id for p, _ in shown if p.person_id}
    me = getattr(user, "pk", None)
    mine = (
        set(Person.objects.filter(pk__in=person_ids, user_id=me).values_list("pk", flat=True))
        if person_ids and me
        else set()
    )
    now = clock.now()
    rows = []
    for party, values in shown:
        if party.person_id and party.person_id in mine:
            continue
        subject = f"{party._meta.label_lower}#{party.pk}"
        for field in (Field.PHONE, Field.ADDRESS, Field.STATEMENT):
            if values.get(field):
                row = _row(user, field=field, where=where, now=now, subject=subject)
                row.person_id = party.person_id
                rows.append(row)
    PersonalDataView.objects.bulk_create(rows)
    return len(rows)
