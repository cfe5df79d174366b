"""Background jobs of the appeal loop, run by the django-tasks database worker that `make run` starts."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from appeals.supervision import supervise_overdue

SWEEP_EVERY = timedelta(minutes=5)
TASK_PATH = "appeals.tasks.supervise_overdue_task"


@task()
def supervise_overdue_task(reschedule: bool = True) -> dict[str, int]:
    """Flag overdue work, then queue the next sweep (a self-renewing schedule: no cron needed)."""
    counts = supervise_overdue()
    if reschedule:
        schedule_supervision(delay=SWEEP_EVERY)
    return counts


def schedule_supervision(delay: timedelta = timedelta(0)) -> bool:
    """Queue the next sweep unless one is already waiting. Returns whether one was queued."""
    waiting = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").exists()
    if waiting:
        return False
    supervise_overdue_task.using(run_after=timezone.now() + delay).enqueue()
    return True
