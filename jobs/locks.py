"""One lock per recurring job, so that several workers never run the same job at once.

PostgreSQL: a session advisory lock (``pg_try_advisory_lock``) keyed by the job's name. It belongs to the
worker's connection, so a worker killed mid-job releases it when the database notices the dropped connection.

SQLite (one machine, a laptop): a lease on the job's ``JobState`` row, taken by a conditional UPDATE (SQLite
serialises writers) and released at the end; a lease whose holder died expires after ``lease``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import DatabaseError, connection
from django.db.models import Q
from django.utils import timezone

from jobs.models import JobState

log = logging.getLogger(__name__)


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_try_advisory_lock`` (Python's hash() changes between processes)."""
    digest = hashlib.blake2b(f"linli.job:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def job_lock(name: str, *, holder: str, lease: timedelta) -> Iterator[bool]:
    """Yield True when this process holds the job's lock, False when another one does (then do nothing)."""
    if connection.vendor == "postgresql":
        with _advisory_lock(name) as held:
            yield held
    else:
        with _lease_lock(name, holder=holder, lease=lease) as held:
            yield held


@contextmanager
def _advisory_lock(name: str) -> Iterator[bool]:
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
            except DatabaseError:  # the connection is gone, and the lock with it
                log.warning("advisory lock of job %s released with its lost connection", name)


@contextmanager
def _lease_lock(name: str, *, holder: str, lease: timedelta) -> Iterator[bool]:
    JobState.objects.get_or_create(name=name)
    now = timezone.now()
    free = Q(lease_holder="") | Q(lease_until__lt=now)
    held = JobState.objects.filter(free, name=name).update(lease_holder=holder, lease_until=now + lease) == 1
    try:
        yield held
    finally:
        if held:
            JobState.objects.filter(name=name, lease_holder=holder).update(lease_holder="", lease_until=None)
