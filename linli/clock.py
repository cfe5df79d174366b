"""The time the services stamp on what they write, and the time pages and figures are read at.

Normally the wall clock. Two ways to move it, for two purposes:

- ``at(moment)`` replays steps at a given time (loading history, the demo district), so a replayed appeal gets
  the same events, deadlines and notifications a live one would, dated when they happened. Context-local: one
  request or thread never sees another's replay time.
- ``travel(moment)`` moves the whole process to ``moment`` and lets time run on from there (tests: the live
  server's thread sees it too). No test may depend on the real date, so tests that read "now" travel to a
  fixed date first: the ``clock_at`` fixture and the browser tests do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta

from django.utils import timezone

_replay_time: ContextVar[datetime | None] = ContextVar("linli_replay_time", default=None)
_offset: timedelta | None = None  # process-wide, set by travel() only


def now() -> datetime:
    replay = _replay_time.get()
    if replay is not None:
        return replay
    if _offset is not None:
        return timezone.now() + _offset
    return timezone.now()


def _aware(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError("the clock needs an aware datetime")
    return moment


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    token = _replay_time.set(_aware(moment))
    try:
        yield
    finally:
        _replay_time.reset(token)


@contextmanager
def travel(moment: datetime) -> Iterator[None]:
    """The process's clock reads ``moment`` now and runs on from it; restored on exit."""
    global _offset
    before = _offset
    _offset = _aware(moment) - timezone.now()
    try:
        yield
    finally:
        _offset = before
