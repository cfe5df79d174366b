"""PIPL access log: ``reveal`` returns a resident's full value and writes who saw it, where (the page or API call
of the current request, from linli.logs) and when. Seeing one's own data is not logged; a value shown masked is
not logged. Call it at the point where the full value is put in front of someone.

- a full phone: ``reveal`` / ``reveal_many`` (``access.scope.Scope.phone_of`` and ``phones_of`` call them);
- a person's home addresses (building and door): ``reveal_homes``, one row per page whatever the number of homes;
- a dispute's parties: ``reveal_parties``, one row per party and per piece shown in full (phone, address,
  statement), naming the party (``subject``) since a party need not be on the register;
- a record whose value is a person's (an appeal's place is its raiser's address, a household's door its members'):
  ``reveal_records``, one row per (record, person) shown, naming the record (``subject``).

A page that reveals several things (a raiser's phone and the appeal's address, a list of phones and homes) wraps
them in ``one_insert()``: its rows are written together, in one insert, when it has put them in front of the user.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from audit.models import PersonalDataView
from linli import clock, logs

Field = PersonalDataView.Field

_batch: ContextVar[list[PersonalDataView] | None] = ContextVar("linli_access_log_batch", default=None)


@contextmanager
def one_insert() -> Iterator[None]:
    """The rows revealed inside are written together on leaving, in one insert (none when there are none). Inside
    another ``one_insert`` the outer one writes them. Nothing is written when the block raises: nothing was shown."""
    if _batch.get() is not None:
        yield
        return
    rows: list[PersonalDataView] = []
    token = _batch.set(rows)
    try:
        yield
    finally:
        _batch.reset(token)
    PersonalDataView.objects.bulk_create(rows)


def _write(rows: list[PersonalDataView]) -> int:
    batch = _batch.get()
    if batch is not None:
        batch.extend(rows)
    else:
        PersonalDataView.objects.bulk_create(rows)  # an empty list is no query
    return len(rows)


def _subject(record: Any) -> str:
    return f"{record._meta.label_lower}#{record.pk}"


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
        _write([_row(user, person=person, field=field, where=where)])
    return value


def reveal_many(*, user, people: Iterable, field: str = Field.PHONE, where: str = "") -> int:
    """One row per person shown in full on a list (those given are the ones shown in full)."""
    now = clock.now()
    return _write(
        [_row(user, person=p, field=field, where=where, now=now) for p in people if not _is_self(user, p)]
    )


def reveal_homes(*, user, person, homes: Iterable[Any], where: str = "") -> list[Any]:
    """``homes`` (the person's household memberships, as a list) unchanged; one address row when there is any."""
    homes = list(homes)
    if homes and not _is_self(user, person):
        _write([_row(user, person=person, field=Field.ADDRESS, where=where)])
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
        subject = _subject(party)
        for field in (Field.PHONE, Field.ADDRESS, Field.STATEMENT):
            if values.get(field):
                row = _row(user, field=field, where=where, now=now, subject=subject)
                row.person_id = party.person_id
                rows.append(row)
    return _write(rows)


def reveal_records(
    *, user, shown: Iterable[tuple[Any, Any]], field: str = Field.ADDRESS, where: str = ""
) -> int:
    """``shown``: (record, person) pairs put in front of ``user``, the record's value being the person's (an
    appeal's place, its raiser's; a household's door, a member's). One row per pair, naming the record, in one
    insert; none for the user's own. ``person`` is a ``Person`` (its ``user_id`` tells one's own)."""
    now = clock.now()
    return _write(
        [
            _row(user, person=person, field=field, where=where, now=now, subject=_subject(record))
            for record, person in shown
            if person is not None and not _is_self(user, person)
        ]
    )
