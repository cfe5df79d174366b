"""Linli's recurring jobs: one table, run by the django-tasks database worker, that cannot stop silently.

Each job in ``JOBS`` is a django-tasks task declared with ``@recurring_task`` (instead of ``@task()``) in its
app's ``tasks.py``. The scheduler keeps exactly one run of each job queued for its next period (``ensure``);
a run, whatever happens to it:

- takes the job's lock first (a PostgreSQL advisory lock, a lease row on SQLite: ``jobs.locks``), so two
  workers never run one job at once, and skips a period that has already succeeded (once per period);
- records itself in ``jobs.JobRun`` (period, attempt, outcome, error);
- on an exception, logs it, queues a retry of the same period after a growing delay (``backoff`` × 2ⁿ, at
  most ``retries`` times) and re-raises so the task row says FAILED too;
- always queues the next period in ``finally`` — an exception no longer ends the chain.

A worker killed mid-run leaves its task RUNNING: the ``stale_tasks`` job (and ``manage.py jobs_worker``'s
heartbeat thread, every minute) re-queues it (``jobs.workers``) and re-creates any missing chain.

Start: ``manage.py schedule_jobs`` (or any worker started with ``manage.py jobs_worker``) queues every job.
Status for the operator: the administration pages 定时任务 / 定时任务运行记录 / 后台进程 (``jobs.admin``).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A recurring job: every ``every``, or daily at ``at`` (local time), or monthly at ``at`` on ``day``."""

    name: str
    task_path: str
    title: str
    every: timedelta | None = None
    at: time | None = None
    day: int | None = None
    retries: int = 3
    backoff: timedelta = timedelta(minutes=1)
    timeout: timedelta = timedelta(minutes=30)  # the SQLite lease; PostgreSQL's lock dies with the worker

    def __post_init__(self) -> None:
        if (self.every is None) == (self.at is None):
            raise ValueError(f"job {self.name}: give either every= or at=")
        if self.day is not None and not (1 <= self.day <= 28):
            raise ValueError(f"job {self.name}: day must be 1–28 (every month has it)")

    def describe(self) -> str:
        if self.every is not None:
            minutes = int(self.every.total_seconds() // 60)
            return f"每 {minutes // 60} 小时" if minutes % 60 == 0 and minutes >= 60 else f"每 {minutes} 分钟"
        assert self.at is not None
        day = f"每月 {self.day} 日 " if self.day else "每天 "
        return f"{day}{self.at:%H:%M}"

    def next_slot(self, previous: datetime | None, now: datetime) -> datetime:
        """The period after ``previous`` (the last one queued): never a burst of missed periods, at most one late."""
        if self.every is not None:
            if previous is None:
                return now
            missed = max(0, int((now - previous) / self.every))
            return previous + self.every * max(1, missed)
        return self._next_time(after=previous or now)

    def _next_time(self, *, after: datetime) -> datetime:
        assert self.at is not None
        start = timezone.localtime(after).date()
        for offset in range(0, 62):
            moment = timezone.make_aware(datetime.combine(start + timedelta(days=offset), self.at))
            if moment > after and (self.day is None or moment.day == self.day):
                return moment
        raise AssertionError("a day of the month recurs within 62 days")


JOBS: tuple[Job, ...] = (
    Job(
        "supervise_overdue",
        "appeals.tasks.supervise_overdue_task",
        "超时督办巡查",
        every=timedelta(minutes=5),
    ),
    Job("early_warning", "triage.tasks.early_warning_task", "诉求预警扫描", every=timedelta(hours=6)),
    Job(
        "dispute_overdue", "disputes.tasks.flag_overdue_task", "纠纷调解超时巡查", every=timedelta(minutes=15)
    ),
    Job(
        "personal_data_retention",
        "audit.tasks.retention_sweep_task",
        "个人信息保存期限清理",
        at=time(4, 0),
        retries=1,
    ),
    Job("monthly_reports", "evaluation.tasks.monthly_reports_task", "月度评单通报", at=time(2, 0), day=1),
    Job(
        "fold_figures",
        "evaluation.tasks.fold_figures_task",
        "统计增量并入月度统计",
        every=timedelta(minutes=1),
        retries=1,
        backoff=timedelta(seconds=30),
    ),
    Job(
        "event_partitions",
        "appeals.tasks.event_partitions_task",
        "诉求记录按月分区预建",
        at=time(1, 30),
        retries=2,
    ),
    Job(
        "triage_retrain", "triage.tasks.retrain_task", "分拨模型按本区历史重新训练", at=time(3, 30), retries=1
    ),
    Job(
        "stale_tasks",
        "linli.schedule.stale_tasks_task",
        "中断任务回收",
        every=timedelta(minutes=2),
        retries=1,
        backoff=timedelta(seconds=30),
    ),
)


def jobs() -> tuple[Job, ...]:
    return JOBS


def job_named(name: str) -> Job:
    for job in jobs():
        if job.name == name:
            return job
    raise KeyError(f"no recurring job named {name!r}")


def job_for_task(task_path: str) -> Job:
    for job in jobs():
        if job.task_path == task_path:
            return job
    raise KeyError(f"{task_path} is declared @recurring_task but is not in linli.schedule.JOBS")


def _task_of(job: Job) -> Task:
    found = import_string(job.task_path)
    if not isinstance(found, Task):
        raise TypeError(f"{job.task_path} is not a django-tasks task")
    return found


# -- queueing ------------------------------------------------------------------------------------------------


def ensure(job: Job, *, finishing: str | None = None) -> bool:
    """Queue the job's next period unless a run of it is already waiting or running. Returns whether it queued.

    ``finishing``: the id of the task now ending (its own run no longer counts as the waiting one). The job's
    state row is locked while deciding, so two workers never both queue the same period.
    """
    from django_tasks_db.models import DBTaskResult

    from jobs.models import JobState

    now = timezone.now()
    with transaction.atomic():
        state, _ = JobState.objects.select_for_update().get_or_create(name=job.name)
        waiting = state.next_task_id
        if waiting is not None and str(waiting) != str(finishing):
            if DBTaskResult.objects.filter(pk=waiting, status__in=("READY", "RUNNING")).exists():
                return False
        slot = job.next_slot(state.next_run_at, now)
        queued = _enqueue(job, run_after=max(slot, now), scheduled_for=slot.isoformat())
        state.next_run_at, state.next_task_id = slot, queued.id
        state.save(update_fields=["next_run_at", "next_task_id"])
    return True


def ensure_all() -> dict[str, bool]:
    """Queue every job that has no run waiting. A job whose task cannot be imported is logged and skipped: one
    broken module must not stop the other jobs' schedule."""
    queued = {}
    for job in jobs():
        try:
            queued[job.name] = ensure(job)
        except (ImportError, AttributeError, TypeError):
            log.exception("recurring job %s cannot be queued: %s is not a task", job.name, job.task_path)
            queued[job.name] = False
    return queued


def _enqueue(job: Job, *, run_after: datetime, scheduled_for: str | None, attempt: int = 1):
    """Queue one run: the job's own task when declared ``@recurring_task``, else the scheduler's runner for it."""
    target = _task_of(job)
    kwargs: dict[str, Any] = {"scheduled_for": scheduled_for, **({"attempt": attempt} if attempt > 1 else {})}
    if target.takes_context:
        return target.using(run_after=run_after).enqueue(**kwargs)
    return scheduled_job_task.using(run_after=run_after).enqueue(job=job.name, **kwargs)


# -- running -------------------------------------------------------------------------------------------------


def recurring_task(func: Callable[[], Any]) -> Task:
    """``@recurring_task`` in place of ``@task()``: the function runs as its job of ``JOBS`` (lock, record,
    retry, next period). It takes no arguments; the scheduler passes the period and attempt to the wrapper."""
    path = f"{func.__module__}.{func.__qualname__}"

    def run(context, scheduled_for: str | None = None, attempt: int = 1, **legacy: Any) -> Any:
        return run_job(
            job_for_task(path), func, context=context, scheduled_for=scheduled_for, attempt=attempt
        )

    # The task's path and name are the function's own (no __wrapped__: django-tasks reads run's signature).
    run.__module__, run.__name__, run.__qualname__, run.__doc__ = (
        func.__module__,
        func.__name__,
        func.__qualname__,
        func.__doc__,
    )
    return task(takes_context=True)(run)


def run_job(job: Job, func: Callable[[], Any], *, context, scheduled_for: str | None, attempt: int) -> Any:
    from jobs.locks import job_lock
    from jobs.models import JobRun

    task_id = str(context.task_result.id)
    worker = (context.task_result.worker_ids or [""])[-1]
    slot = parse_datetime(scheduled_for) if scheduled_for else None
    record = {
        "job": job.name,
        "scheduled_for": slot,
        "attempt": attempt,
        "task_id": task_id,
        "worker": worker,
    }
    try:
        with job_lock(job.name, holder=task_id, lease=job.timeout) as held:
            if not held:
                _skipped(record, "另一个后台进程正在运行此任务")
                return {"skipped": "locked"}
            done = JobRun.objects.filter(job=job.name, scheduled_for=slot, status=JobRun.Status.SUCCEEDED)
            if slot is not None and done.exists():
                _skipped(record, "本期已成功运行")
                return {"skipped": "done"}
            return _run_recorded(job, func, record)
    finally:
        ensure(job, finishing=task_id)


def _skipped(record: dict, why: str) -> None:
    from jobs.models import JobRun

    now = timezone.now()
    JobRun.objects.create(**record, status=JobRun.Status.SKIPPED, started_at=now, finished_at=now, error=why)
    log.info("job %s skipped: %s", record["job"], why)


def _run_recorded(job: Job, func: Callable[[], Any], record: dict) -> Any:
    from jobs.models import JobRun, JobState

    run = JobRun.objects.create(**record, status=JobRun.Status.RUNNING, started_at=timezone.now())
    try:
        result = func()
    except Exception as exc:
        now = timezone.now()
        retry_at = _queue_retry(job, record) if record["attempt"] <= job.retries else None
        JobRun.objects.filter(pk=run.pk).update(
            status=JobRun.Status.FAILED,
            finished_at=now,
            error=f"{type(exc).__name__}: {exc}"[:4000],
            retry_at=retry_at,
        )
        JobState.objects.filter(name=job.name).update(
            last_failure_at=now, consecutive_failures=F("consecutive_failures") + 1
        )
        log.exception(
            "job %s failed (attempt %s)%s",
            job.name,
            record["attempt"],
            f", retry at {retry_at:%Y-%m-%d %H:%M:%S}" if retry_at else ", no retries left",
        )
        raise
    now = timezone.now()
    JobRun.objects.filter(pk=run.pk).update(
        status=JobRun.Status.SUCCEEDED, finished_at=now, result=_jsonable(result)
    )
    JobState.objects.filter(name=job.name).update(last_success_at=now, consecutive_failures=0)
    return result


def _queue_retry(job: Job, record: dict) -> datetime:
    attempt = record["attempt"]
    when = timezone.now() + job.backoff * (2 ** (attempt - 1))
    slot = record["scheduled_for"]
    _enqueue(job, run_after=when, scheduled_for=slot.isoformat() if slot else None, attempt=attempt + 1)
    return when


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, (dict, list, int, float, str, bool, type(None))) else str(value)


@task(takes_context=True)
def scheduled_job_task(context, job: str, scheduled_for: str | None = None, attempt: int = 1) -> Any:
    """Runs a job whose task is a plain ``@task()`` without arguments, with the same lock, record and retries.
    A task written before the scheduler that still renews itself (``reschedule=True``) is told not to."""
    found = job_named(job)
    target = _task_of(found)
    renews = "reschedule" in inspect.signature(target.func).parameters

    def call() -> Any:
        return target.call(**({"reschedule": False} if renews else {}))

    return run_job(found, call, context=context, scheduled_for=scheduled_for, attempt=attempt)


# -- the stale-task detector, itself a recurring job ---------------------------------------------------------


def maintain() -> dict[str, Any]:
    """Re-queue tasks whose worker died, forget long-gone workers, and re-create any missing chain."""
    from jobs.workers import forget_old_workers, recover_orphaned_tasks

    recovered = recover_orphaned_tasks().as_dict()
    forget_old_workers()
    queued = [name for name, did in ensure_all().items() if did]
    return {**recovered, "queued": queued}


@recurring_task
def stale_tasks_task() -> dict[str, Any]:
    """Every two minutes: tasks left RUNNING by a dead worker go back to the queue (or fail, named)."""
    return maintain()
