"""Is the worker that claimed a task still alive? Heartbeats, and the detector that re-queues orphaned tasks.

A worker started by ``manage.py jobs_worker`` runs a heartbeat thread (``last_seen`` every few seconds); any
worker, also a plain ``db_worker``, records its id, host and process id when it starts a task
(``jobs.receivers``). A RUNNING task is orphaned when its worker's heartbeat stopped, or its process is gone
from this host, or (a worker that never said anything) it has run longer than ``LINLI_TASK_STALE_MINUTES``.
An orphaned task goes back to READY so another worker runs it again; after ``LINLI_TASK_MAX_CLAIMS`` claims
it is marked FAILED with the reason, never left RUNNING forever.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import JobRun, WorkerHeartbeat

log = logging.getLogger(__name__)

HOST = socket.gethostname()[:200]


class WorkerLost(Exception):
    """The worker that ran a task died (its heartbeat stopped) and the task was not finished."""


def heartbeat_bound() -> timedelta:
    return timedelta(seconds=getattr(settings, "LINLI_WORKER_HEARTBEAT_SECONDS", 90))


def stale_bound() -> timedelta:
    return timedelta(minutes=getattr(settings, "LINLI_TASK_STALE_MINUTES", 60))


def max_claims() -> int:
    return int(getattr(settings, "LINLI_TASK_MAX_CLAIMS", 3))


def beat(worker_id: str, *, beating: bool) -> None:
    """Record that this process (worker ``worker_id``) is alive now; ``beating``: a thread keeps doing so."""
    now = timezone.now()
    fields: dict[str, object] = {"last_seen": now, **({"beating": True} if beating else {})}
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(**fields)
    if not updated:
        WorkerHeartbeat.objects.get_or_create(
            worker_id=worker_id,
            defaults={
                "host": HOST,
                "pid": os.getpid(),
                "started_at": now,
                "last_seen": now,
                "beating": beating,
            },
        )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def worker_is_dead(worker_id: str | None, started_at: datetime | None, now: datetime) -> bool:
    heartbeat = WorkerHeartbeat.objects.filter(worker_id=worker_id).first() if worker_id else None
    if heartbeat is not None and heartbeat.beating:
        return heartbeat.last_seen < now - heartbeat_bound()
    if heartbeat is not None and heartbeat.host == HOST:
        return not _pid_alive(heartbeat.pid)
    return started_at is not None and started_at < now - stale_bound()


@dataclass
class Recovery:
    requeued: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"requeued": self.requeued, "failed": self.failed}


def recover_orphaned_tasks(now: datetime | None = None) -> Recovery:
    """Re-queue (or, past the claim limit, fail) every RUNNING task whose worker is dead."""
    at = now or timezone.now()
    return _release(lambda worker_id, task: worker_is_dead(worker_id, task.started_at, at), "心跳停止", at)


def release_claims_of(worker_id: str, now: datetime | None = None) -> Recovery:
    """Re-queue (or, past the claim limit, fail) the tasks ``worker_id`` left RUNNING when it lost the database: a
    worker runs one task at a time, so when its loop starts again none of them is still running."""
    return _release(lambda claimant, task: claimant == worker_id, "数据库连接中断", now or timezone.now())


def _release(orphaned: Callable[[str | None, DBTaskResult], bool], cause: str, now: datetime) -> Recovery:
    outcome = Recovery()
    for task in DBTaskResult.objects.filter(status="RUNNING").only(
        "id", "worker_ids", "started_at", "task_path"
    ):
        worker_id = task.worker_ids[-1] if task.worker_ids else None
        if not orphaned(worker_id, task):
            continue
        same_claim = DBTaskResult.objects.filter(pk=task.pk, status="RUNNING", started_at=task.started_at)
        reason = f"后台进程 {worker_id} 在运行此任务时中断（{cause}）"
        if len(task.worker_ids) >= max_claims():
            error = WorkerLost(f"{reason}；已被领取 {len(task.worker_ids)} 次，不再重试")
            done = same_claim.update(
                status="FAILED",
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=str(error),
            )
            outcome.failed += done
            log.error("task %s (%s) failed: %s", task.pk, task.task_path, error)
        else:
            done = same_claim.update(status="READY", started_at=None)
            outcome.requeued += done
            log.warning("task %s (%s) re-queued: %s", task.pk, task.task_path, reason)
        if done:
            JobRun.objects.filter(task_id=task.pk, status=JobRun.Status.RUNNING).update(
                status=JobRun.Status.LOST, finished_at=now, error=reason
            )
    return outcome


def forget_old_workers(now: datetime | None = None, keep: timedelta = timedelta(days=7)) -> int:
    now = now or timezone.now()
    return WorkerHeartbeat.objects.filter(last_seen__lt=now - keep).delete()[0]
