"""Background jobs of the appeal loop, run by the django-tasks database worker that `make run` starts."""

from __future__ import annotations

from appeals.supervision import supervise_overdue
from linli import schedule
from linli.schedule import recurring_task

TASK_PATH = "appeals.tasks.supervise_overdue_task"


@recurring_task
def supervise_overdue_task() -> dict[str, int]:
    """Flag overdue work. Every five minutes (linli.schedule.JOBS), retried and re-queued by the scheduler."""
    return supervise_overdue()


def schedule_supervision() -> bool:
    """Queue the next sweep unless one is already waiting. Returns whether one was queued."""
    return schedule.ensure(schedule.job_named("supervise_overdue"))
