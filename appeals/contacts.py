"""Who sees an appeal raiser's phone, decided once for a list of appeals.

The handling unit, the dispatchers, the raiser and a summoned unit need the number to call back and see it in
full; anybody else sees it as ``access.scope.Scope.phones_of`` decides for the person (masked outside the roles
that keep phones). An anonymous appeal's raiser is not shown at all where ``raiser_hidden`` says so. Each full
number shown is a row in the PIPL access log (``audit.access_log``), written for the lot at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from access.scope import Scope
from appeals.models import Appeal
from appeals.selectors import raiser_hidden
from appeals.workflow import actor_for
from audit.access_log import reveal_many


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
