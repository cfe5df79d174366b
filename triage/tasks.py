"""Triage in the worker, as jobs of ``linli.schedule`` (locked, recorded, retried, once per period):

- the early-warning scan, every 6 hours (``early_warning``);
- retraining on the district's own history, nightly at 03:30 (``triage_retrain``;
  ``triage.services.retrain_on_history``): the leaf model, and the level-1 model where it was learnt from history
  alone.
"""

from __future__ import annotations

from linli import schedule
from linli.schedule import recurring_task
from triage.warnings import early_warning_scan

TASK_PATH = "triage.tasks.early_warning_task"
RETRAIN_TASK_PATH = "triage.tasks.retrain_task"


def retrain() -> list[str]:
    from triage.services import retrain_on_history

    return retrain_on_history()


@recurring_task
def early_warning_task() -> int:
    return len(early_warning_scan())


@recurring_task
def retrain_task() -> list[str]:
    return retrain()


def schedule_early_warning() -> bool:
    """Queue the next scan unless one is already waiting, and see that the nightly retraining is queued too.
    Returns whether the scan was queued (``manage.py schedule_jobs`` queues every job)."""
    schedule_retrain()
    return schedule.ensure(schedule.job_named("early_warning"))


def schedule_retrain() -> bool:
    return schedule.ensure(schedule.job_named("triage_retrain"))
