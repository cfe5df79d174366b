"""The appeal loop on the shared step machinery (``linli.steps``): its ``Loop``, and the few things every appeal
step does beyond it (the actor of ``appeals.workflow``, the ``appeal_changed`` signal, deadlines, photos).

``appeals.services``, ``appeals.whistle`` and ``appeals.supervision`` build every step from these.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.files.base import ContentFile

from access.scope import Scope
from appeals.models import Appeal, AppealEvent, AppealPhoto
from appeals.signals import appeal_changed
from appeals.workflow import ACTION_LABELS, TRANSITIONS, Actor, actor_for, may
from categories.deadlines import deadlines_for
from linli.steps import Loop
from units.models import Unit

APPEALS: Loop[Appeal] = Loop(
    model=Appeal,
    noun="诉求",
    transitions=TRANSITIONS,
    labels=ACTION_LABELS,
    event_model=AppealEvent,
    event_fk="appeal",
    related=("community", "raised_by", "unit", "category"),
    key="appeal",
)


def lock(appeal_id: int) -> Appeal:
    return APPEALS.lock(appeal_id)


def begin(user, appeal_id: int, action: str) -> tuple[Appeal, Actor]:
    """Lock the row, then refuse: first for the wrong status (409), then for lack of right (403).

    Status first, so that of two people acting at once the loser hears that the appeal has moved on (409),
    even where the winner's step also took the loser's right away (a return unassigns the unit).
    """
    appeal = APPEALS.lock(appeal_id)
    APPEALS.check_state(appeal, action)
    actor = actor_for(Scope.of(user), appeal)
    APPEALS.refuse_unless(may(actor, action, appeal), action)
    return appeal, actor


def record(
    appeal: Appeal,
    *,
    user,
    action: str,
    from_status: str,
    note: str = "",
    unit: Unit | None = None,
    at: datetime | None = None,
) -> AppealEvent:
    """The step's event row; the figures' cube and the timeline listen to ``appeal_changed``."""
    event = APPEALS.record(
        appeal, user=user, action=action, from_state=from_status, note=note, unit=unit, at=at
    )
    assert isinstance(event, AppealEvent)
    appeal_changed.send(sender=Appeal, appeal=appeal, event=event)
    return event


def url(appeal: Appeal) -> str:
    return f"/appeals/{appeal.pk}/"


def set_deadlines(appeal: Appeal, now: datetime) -> None:
    appeal.contact_due, appeal.resolve_due = deadlines_for(appeal.category, now)
    appeal.contact_overdue = appeal.resolve_overdue = False


def save_photos(appeal: Appeal, photos: Sequence[ContentFile], stage: str) -> None:
    for photo in photos:
        AppealPhoto.objects.create(appeal=appeal, stage=stage, image=photo)
