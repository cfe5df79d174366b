"""The time the services stamp on what they write.

Normally the wall clock. ``at(moment)`` replays steps at a given time (loading history, the demo district),
so a replayed appeal gets the same events, deadlines and notifications a live one would, dated when they
happened. Context-local: one request or thread never sees another's replay time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_replay_time: ContextVar[datetime | None] = ContextVar("linli_replay_time", default=None)


def now() -> datetime:
    return _replay_time.get() or timezone.now()


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("clock.at needs an aware datetime")
    token = _replay_time.set(moment)
    try:
        yield
    finally:
        _replay_time.reset(token)
