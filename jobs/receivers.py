"""Any worker (also a plain ``db_worker``) names itself when it starts a task, so a task it leaves behind when
killed can be told from one still running (``jobs.workers.worker_is_dead``)."""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.dispatch import receiver
from django_tasks.signals import task_started

from jobs.workers import beat

log = logging.getLogger(__name__)


@receiver(task_started)
def worker_names_itself(sender, task_result, **kwargs) -> None:
    worker_ids = getattr(task_result, "worker_ids", None) or []
    if not worker_ids:
        return
    try:
        beat(worker_ids[-1], beating=False)
    except DatabaseError:  # the task runs anyway; the heartbeat is for recovering it
        log.warning("could not record the heartbeat of worker %s", worker_ids[-1], exc_info=True)
