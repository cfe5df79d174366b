"""The early-warning scan in the django-tasks worker: every six hours, scheduled by linli.schedule."""

from __future__ import annotations

from linli import schedule
from linli.schedule import recurring_task
from triage.warnings import early_warning_scan

TASK_PATH = "triage.tasks.early_warning_task"


@recurring_task
def early_warning_task() -> int:
    created = early_warning_scan()
    return len(created)


def schedule_early_warning() -> bool:
    """Queue the next scan (every six hours, linli.schedule.JOBS) unless one is already waiting."""
    return schedule.ensure(schedule.job_named("early_warning"))
