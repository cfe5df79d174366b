"""Who sees an appeal raiser's phone, decided once for a list of appeals.

The handling unit, the dispatchers, the raiser and a summoned unit need the number to call back and see it in
full; anybody else sees it as ``access.scope.Scope.phones_of`` decides for the person (masked outside the roles
that keep phones). An anonymous appeal's raiser is not shown at all where ``raiser_hidden`` says so. Each full
number shown is a row in the PIPL access log (``audit.access_log``), written for the lot at once.

An appeal's place (its building, its free-text address — often the raiser's door) is shown in full to whoever
sees the appeal: ``reveal_places`` logs it as the raiser's address, one row per appeal, naming the appeal; none
for one's own. An anonymous appeal's raiser stays hidden from a unit, not from the log the administrator reads.
``raiser_contacts`` does both for a page and writes its rows in one insert.
"""

from __future__ import annotations

from collections.abc import Iterable

from access.scope import Scope
from appeals.models import Appeal
from appeals.selectors import raiser_hidden
from appeals.workflow import actor_for
from audit.access_log import one_insert, reveal_many, reveal_records


def raiser_phones(scope: Scope, appeals: Iterable[Appeal]) -> dict[int, str]:
    """Each appeal's raiser phone as this person may see it: full, masked, or "" (hidden). One query for the
    phones ``Scope.phones_of`` decides and one insert for the access log, however many appeals."""
    phones: dict[int, str] = {}
    callers: dict[int, Appeal] = {}  # appeals whose raiser this person calls back
    others: dict[int, Appeal] = {}
    for appeal in appeals:
        if raiser_hidden(scope, appeal):
            phones[appeal.pk] = ""
            continue
        actor = actor_for(scope, appeal)
        if actor.handler or actor.dispatcher or actor.raiser or actor.whistled_unit_ids:
            callers[appeal.pk] = appeal
        else:
            others[appeal.pk] = appeal
    reveal_many(
        user=scope.user,
        people={a.raised_by_id: a.raised_by for a in callers.values() if a.raised_by.phone}.values(),
    )
    phones.update({pk: a.raised_by.phone for pk, a in callers.items()})
    by_person = scope.phones_of({a.raised_by_id: a.raised_by for a in others.values()}.values())
    phones.update({pk: by_person[a.raised_by_id] for pk, a in others.items()})
    return phones


def reveal_places(scope: Scope, appeals: Iterable[Appeal]) -> int:
    """The access log of the appeals' places shown in full (those with a building or an address): a row each."""
    return reveal_records(
        user=scope.user, shown=[(a, a.raised_by) for a in appeals if a.building_id or a.address]
    )


def raiser_contacts(scope: Scope, appeals: Iterable[Appeal]) -> dict[int, str]:
    """``raiser_phones`` for appeals shown in detail, with their places logged too (``reveal_places``): the page's
    access-log rows in one insert."""
    appeals = list(appeals)
    with one_insert():
        phones = raiser_phones(scope, appeals)
        reveal_places(scope, appeals)
    return phones
