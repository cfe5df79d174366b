"""Signals other apps listen to, sent inside the service's transaction.

``appeal_changed`` is sent after every event row an appeal service writes (so after every step of the
loop), with ``appeal`` (saved, current) and ``event``. Receivers run in the same transaction: what they
write commits or rolls back with the step. Keep receivers cheap: they run on every step.

``bulk_replay()`` marks a stretch of code that replays many steps (loading history, the demo) and rebuilds
derived data afterwards; receivers that keep only derived data (figures) may skip while ``replaying()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

appeal_changed = Signal()

_replaying: ContextVar[bool] = ContextVar("appeals_bulk_replay", default=False)


def replaying() -> bool:
    return _replaying.get()


@contextmanager
def bulk_replay() -> Iterator[None]:
    token = _replaying.set(True)
    try:
        yield
    finally:
        _replaying.reset(token)
