"""Recurring jobs used by the scheduler's tests (registered in linli.schedule.JOBS by the tests only)."""

from __future__ import annotations

import time
from datetime import time as dtime
from datetime import timedelta

from django.core.management import call_command
from django_tasks import task

from linli.schedule import Job, recurring_task

# How many of the next calls raise, and how long a call takes; set by the tests (same process as the worker).
PLAN = {"fail": 0, "sleep": 0.0}
CALLS: list[str] = []


@recurring_task
def flaky_task() -> dict[str, int]:
    CALLS.append("flaky")
    if PLAN["sleep"]:
        time.sleep(PLAN["sleep"])
    if PLAN["fail"] > 0:
        PLAN["fail"] -= 1
        raise RuntimeError("网关超时")
    return {"calls": len(CALLS)}


@recurring_task
def other_task() -> str:
    CALLS.append("other")
    return "ok"


FLAKY = Job("flaky", "jobs.tests.tasks.flaky_task", "测试任务", every=timedelta(minutes=5), retries=2)
OTHER = Job("other", "jobs.tests.tasks.other_task", "另一个任务", at=dtime(3, 0))


def run_worker() -> None:
    """One pass of the real django-tasks database worker over every task that is due."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "default", verbosity=0)


@task(takes_context=True)
def hangs_on_first_claim(context, seconds: float) -> int:
    """Hangs on its first claim (the worker is killed meanwhile); finishes on the next. Returns the claims."""
    claims = len(context.task_result.worker_ids)
    if claims == 1:
        time.sleep(seconds)
    return claims


@task()
def plain_task(reschedule: bool = True) -> str:
    """A job written before the scheduler: a plain task that used to renew itself."""
    CALLS.append(f"plain reschedule={reschedule}")
    return "done"


PLAIN = Job("plain", "jobs.tests.tasks.plain_task", "旧式任务", every=timedelta(hours=1))
MISSING = Job("missing", "jobs.tests.tasks.not_written_yet", "尚未提交的任务", every=timedelta(hours=1))
