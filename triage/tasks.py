"""Triage in the django-tasks worker: self-renewing tasks, like the supervision sweep.

- the early-warning scan, every 6 hours;
- retraining on the district's own history, nightly (``triage.services.retrain_on_history``): the leaf model, and
  the level-1 model where it was learnt from history alone.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from triage.warnings import early_warning_scan

SCAN_EVERY = timedelta(hours=6)
TASK_PATH = "triage.tasks.early_warning_task"
RETRAIN_EVERY = timedelta(days=1)
RETRAIN_TASK_PATH = "triage.tasks.retrain_task"


@task()
def early_warning_task(reschedule: bool = True) -> int:
    created = early_warning_scan()
    if reschedule:
        schedule_early_warning(delay=SCAN_EVERY)
    return len(created)


def schedule_early_warning(delay: timedelta = timedelta(0)) -> bool:
    """Queue the next scan unless one is already waiting. Returns whether one was queued. Also sees that the
    nightly retraining is queued (``manage.py schedule_jobs`` calls this)."""
    schedule_retrain(delay=RETRAIN_EVERY)
    if DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").exists():
        return False
    early_warning_task.using(run_after=timezone.now() + delay).enqueue()
    return True


@task()
def retrain_task(reschedule: bool = True) -> list[str]:
    from triage.services import retrain_on_history

    try:
        return retrain_on_history()
    finally:
        if reschedule:
            schedule_retrain(delay=RETRAIN_EVERY)


def schedule_retrain(delay: timedelta = timedelta(0)) -> bool:
    """Queue the next retraining unless one is already waiting. Returns whether one was queued."""
    if DBTaskResult.objects.filter(task_path=RETRAIN_TASK_PATH, status="READY").exists():
        return False
    retrain_task.using(run_after=timezone.now() + delay).enqueue()
    return True
