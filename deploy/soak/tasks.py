"""A background task that takes a while, for the fault tests: a worker is killed while it runs."""

from __future__ import annotations

import time

from django_tasks import task


@task()
def slow_task(seconds: float) -> float:
    time.sleep(seconds)
    return seconds
