"""Background jobs of the appeal loop, run by the django-tasks database worker that `make run` starts."""

from __future__ import annotations

from typing import Any

from appeals.models import AppealEvent
from appeals.supervision import supervise_overdue
from linli import clock, schedule
from linli.partitions import ensure_months
from linli.schedule import recurring_task

TASK_PATH = "appeals.tasks.supervise_overdue_task"


@recurring_task
def supervise_overdue_task() -> dict[str, int]:
    """Flag overdue work. Every five minutes (linli.schedule.JOBS), retried and re-queued by the scheduler."""
    return supervise_overdue()


def ensure_event_partitions() -> dict[str, Any]:
    """The timeline table's partitions for this month and the next three exist, and rows that landed in its default
    partition are moved into their month's (``linli.partitions``). PostgreSQL only; idempotent."""
    return ensure_months(AppealEvent._meta.db_table, "at", now=clock.now())


@recurring_task
def event_partitions_task() -> dict[str, Any]:
    """Daily (linli.schedule.JOBS: event_partitions), retried and re-queued by the scheduler."""
    return ensure_event_partitions()


def schedule_supervision() -> bool:
    """Queue the next sweep unless one is already waiting. Returns whether one was queued."""
    return schedule.ensure(schedule.job_named("supervise_overdue"))
