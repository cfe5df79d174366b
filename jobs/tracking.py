"""What became of the background task a page asked for: waiting, running, done, failed, or lost with its worker.

A page that queued work (a monthly report, …) shows this beside its own row, so that a task that failed or whose
worker died (``jobs.workers.worker_is_dead``: heartbeat stopped, process gone) is said so, with a way to ask
again, instead of "running" forever. Tasks are found by their path and one keyword argument
(``generate_report_task.enqueue(report_id=7)`` → ``fates_of(PATH, "report_id", [7])``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.workers import WorkerLost, worker_is_dead

LOST_CLASS = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
ABANDONED_CLASS = "jobs.tracking.Abandoned"


@dataclass(frozen=True)
class Fate:
    """``state``: waiting / running / succeeded / failed / lost. ``stuck``: nothing will finish it: ask again."""

    state: str
    detail: str
    task_id: str = ""

    @property
    def stuck(self) -> bool:
        return self.state in ("failed", "lost")


def fate_of_task(task: DBTaskResult, now: datetime | None = None) -> Fate:
    now = now or timezone.now()
    task_id = str(task.pk)
    match task.status:
        case "READY":
            return Fate("waiting", "排队等待后台进程", task_id)
        case "RUNNING":
            worker = task.worker_ids[-1] if task.worker_ids else None
            if worker_is_dead(worker, task.started_at, now):
                return Fate("lost", "后台进程在生成时中断，没有完成", task_id)
            return Fate("running", "后台进程正在处理", task_id)
        case "SUCCESSFUL":
            return Fate("succeeded", "后台任务已完成", task_id)
    if task.exception_class_path == LOST_CLASS:
        return Fate("lost", "后台进程多次在生成时中断，已停止重试", task_id)
    return Fate("failed", "后台任务出错，没有完成", task_id)


def _tasks_for(task_path: str, key: str, values: Iterable) -> dict:
    latest: dict = {}
    rows = (
        DBTaskResult.objects.filter(task_path=task_path, **{f"args_kwargs__kwargs__{key}__in": list(values)})
        .exclude(exception_class_path=ABANDONED_CLASS)  # replaced by the task queued when it was asked again
        .order_by("enqueued_at")
    )
    for task in rows.only(
        "id", "status", "worker_ids", "started_at", "enqueued_at", "args_kwargs", "exception_class_path"
    ):
        latest[task.args_kwargs["kwargs"][key]] = task  # the last one queued wins
    return latest


def fates_of(task_path: str, key: str, values: Iterable) -> dict:
    """``{value: Fate}`` of the task last queued for each value of the keyword ``key`` (no task: no entry; a task
    abandoned because the work was asked for again does not count)."""
    now = timezone.now()
    return {value: fate_of_task(task, now) for value, task in _tasks_for(task_path, key, values).items()}


def fate_of(task_path: str, **kwarg) -> Fate | None:
    ((key, value),) = kwarg.items()
    return fates_of(task_path, key, [value]).get(value)


def abandon(task_path: str, *, reason: str, **kwarg) -> int:
    """Mark every unfinished task for this keyword value FAILED (it is being asked for again): none of them may run
    later beside the new one. A task still RUNNING on a live worker is left alone (the caller refuses first)."""
    ((key, value),) = kwarg.items()
    now = timezone.now()
    done = 0
    for task in DBTaskResult.objects.filter(
        task_path=task_path, status__in=("READY", "RUNNING"), **{f"args_kwargs__kwargs__{key}": value}
    ):
        if task.status == "RUNNING" and not fate_of_task(task, now).stuck:
            continue
        done += DBTaskResult.objects.filter(pk=task.pk, status=task.status).update(
            status="FAILED", finished_at=now, exception_class_path=ABANDONED_CLASS, traceback=reason
        )
    return done
