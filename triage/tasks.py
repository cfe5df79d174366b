"""The early-warning scan in the django-tasks worker: a self-renewing daily task, like the supervision sweep."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from triage.warnings import early_warning_scan

SCAN_EVERY = timedelta(hours=6)
TASK_PATH = "triage.tasks.early_warning_task"


@task()
def early_warning_task(reschedule: bool = True) -> int:
    created = early_warning_scan()
    if reschedule:
        schedule_early_warning(delay=SCAN_EVERY)
    return len(created)


def schedule_early_warning(delay: timedelta = timedelta(0)) -> bool:
    """Queue the next scan unless one is already waiting. Returns whether one was queued."""
    if DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").exists():
        return False
    early_warning_task.using(run_after=timezone.now() + delay).enqueue()
    return True
