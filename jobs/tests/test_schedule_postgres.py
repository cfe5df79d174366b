"""Several workers on one PostgreSQL database: each period of a recurring job runs once, never twice at once.

Real concurrent connections: PostgreSQL only (on SQLite writers are serialised and the test is skipped).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker

from jobs.models import JobRun, JobState
from jobs.tests import tasks
from jobs.tests.tasks import FLAKY
from linli import schedule

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL and real connections"),
]


def run_workers(count: int) -> None:
    """`count` real django-tasks workers, each on its own connection, each draining the due tasks once."""
    barrier = threading.Barrier(count)

    def work(n: int) -> None:
        worker = Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"test-worker-{n}",
            excluded_queue_names=[],
        )
        try:
            barrier.wait(10)
            worker.run()
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)


def test_two_workers_run_one_period_once_even_when_it_was_queued_twice(test_jobs):
    # Given one period of a slow job queued twice, and two workers taking tasks at the same moment
    tasks.PLAN["sleep"] = 0.5
    schedule.ensure(FLAKY)
    slot = JobState.objects.get(name="flaky").next_run_at
    tasks.flaky_task.enqueue(scheduled_for=slot.isoformat())
    # When both workers run
    run_workers(2)
    # Then the job ran once: the other copy was skipped (locked while running, or done once finished)
    assert tasks.CALLS == ["flaky"]
    runs = JobRun.objects.filter(job="flaky", scheduled_for=slot)
    assert sorted(runs.values_list("status", flat=True)) == [JobRun.Status.SKIPPED, JobRun.Status.SUCCEEDED]
    # And exactly one next period waits
    assert JobState.objects.get(name="flaky").next_run_at > slot


def test_workers_ensuring_at_once_queue_one_run(test_jobs):
    # Given four processes all starting up at the same moment (each queues every missing job)
    barrier = threading.Barrier(4)
    results: list[dict[str, bool]] = []

    def start() -> None:
        try:
            barrier.wait(10)
            results.append(schedule.ensure_all())
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    # Then each job was queued by exactly one of them
    assert sum(r["flaky"] for r in results) == 1 and sum(r["other"] for r in results) == 1
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path=FLAKY.task_path, status="READY").count() == 1
