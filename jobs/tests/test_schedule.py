"""The recurring jobs' scheduler (linli.schedule), run by the real django-tasks database worker."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.locks import job_lock
from jobs.models import JobRun, JobState
from jobs.tests import tasks
from jobs.tests.tasks import FLAKY, run_worker
from linli import schedule
from linli.schedule import Job

pytestmark = pytest.mark.django_db(transaction=True)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def waiting(path: str = FLAKY.task_path):
    return DBTaskResult.objects.filter(task_path=path, status="READY").order_by("run_after")


def make_due(qs) -> None:
    """Time passes: the given waiting tasks are due now."""
    qs.update(run_after=timezone.now() - timedelta(seconds=1))


def test_a_job_that_raises_is_retried_and_the_next_period_is_still_queued(test_jobs):
    # Given the flaky job queued for its first period, and its next call will fail
    assert schedule.ensure(FLAKY) is True
    first_slot = JobState.objects.get(name="flaky").next_run_at
    tasks.PLAN["fail"] = 1
    # When the worker runs it
    run_worker()
    # Then the failure is recorded with a retry time, the task row says FAILED, and two runs wait:
    # the retry of the same period (after the backoff) and the next period
    failed = JobRun.objects.get(job="flaky", attempt=1)
    assert failed.status == JobRun.Status.FAILED and "网关超时" in failed.error
    assert failed.retry_at is not None and failed.retry_at > timezone.now()
    assert DBTaskResult.objects.filter(task_path=FLAKY.task_path, status="FAILED").count() == 1
    retry, next_period = waiting()
    assert retry.args_kwargs["kwargs"] == {"scheduled_for": first_slot.isoformat(), "attempt": 2}
    assert (
        next_period.args_kwargs["kwargs"]["scheduled_for"] == (first_slot + timedelta(minutes=5)).isoformat()
    )
    state = JobState.objects.get(name="flaky")
    assert state.consecutive_failures == 1 and str(state.next_task_id) == str(next_period.pk)

    # When the backoff has passed and the worker runs the retry
    make_due(waiting().filter(pk=retry.pk))
    run_worker()
    # Then the same period succeeds on the second attempt and the next period is still the one waiting
    assert JobRun.objects.get(job="flaky", attempt=2).status == JobRun.Status.SUCCEEDED
    assert list(waiting().values_list("pk", flat=True)) == [next_period.pk]
    state.refresh_from_db()
    assert state.consecutive_failures == 0 and state.last_success_at is not None

    # When the next period comes, it runs too
    make_due(waiting())
    run_worker()
    assert JobRun.objects.filter(job="flaky", status=JobRun.Status.SUCCEEDED).count() == 2
    assert tasks.CALLS == ["flaky", "flaky", "flaky"]


def test_retries_stop_after_the_last_attempt_but_the_chain_goes_on(test_jobs):
    schedule.ensure(FLAKY)
    tasks.PLAN["fail"] = 10
    run_worker()
    for _ in range(FLAKY.retries):  # each retry's backoff passes; the next period stays in the future
        next_period = JobState.objects.get(name="flaky").next_task_id
        make_due(waiting().exclude(pk=next_period))
        run_worker()
    attempts = list(JobRun.objects.filter(job="flaky").order_by("attempt").values_list("attempt", "retry_at"))
    assert [a for a, _ in attempts] == [1, 2, 3] and attempts[-1][1] is None  # no fourth attempt queued
    assert [str(pk) for pk in waiting().values_list("pk", flat=True)] == [
        str(JobState.objects.get(name="flaky").next_task_id)
    ]


def test_each_period_runs_once_even_when_queued_twice(test_jobs):
    # Given the job's period queued, and queued once more by hand (as a scheduler without the state lock would)
    schedule.ensure(FLAKY)
    tasks.flaky_task.enqueue(scheduled_for=JobState.objects.get(name="flaky").next_run_at.isoformat())
    # When the worker runs both
    run_worker()
    # Then the job ran once; the second run was skipped, saying why
    assert tasks.CALLS == ["flaky"]
    runs = JobRun.objects.filter(job="flaky").order_by("pk")
    assert [r.status for r in runs] == [JobRun.Status.SUCCEEDED, JobRun.Status.SKIPPED]
    assert runs[1].error == "本期已成功运行"


@contextmanager
def held_elsewhere(name: str):
    """Another process holds the job's lock: on PostgreSQL a second connection (a thread), on SQLite a lease."""
    if connection.vendor != "postgresql":
        with job_lock(name, holder="another-worker", lease=timedelta(minutes=5)) as held:
            assert held
            yield
        return
    taken, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with job_lock(name, holder="another-worker", lease=timedelta(minutes=5)) as held:
                assert held
                taken.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(10)
    try:
        yield
    finally:
        release.set()
        thread.join()


def test_a_job_held_by_another_worker_is_skipped(test_jobs):
    # Given another worker holds the job's lock
    schedule.ensure(FLAKY)
    with held_elsewhere("flaky"):
        # When this worker takes the job's task
        run_worker()
    # Then it does not run the job, records why, and the next period is queued
    assert tasks.CALLS == []
    assert JobRun.objects.get(job="flaky").error == "另一个后台进程正在运行此任务"
    assert waiting().count() == 1


def test_ensure_queues_one_run_per_job(test_jobs):
    assert schedule.ensure_all() == {"flaky": True, "other": True}
    assert schedule.ensure_all() == {"flaky": False, "other": False}
    assert waiting().count() == 1 and waiting(tasks.OTHER.task_path).count() == 1


def test_the_table_holds_the_app_jobs_and_the_stale_task_detector():
    paths = {job.task_path for job in schedule.JOBS}
    assert {
        "appeals.tasks.supervise_overdue_task",
        "triage.tasks.early_warning_task",
        "evaluation.tasks.monthly_reports_task",
        "linli.schedule.stale_tasks_task",
    } <= paths
    for name in ("supervise_overdue", "monthly_reports", "stale_tasks"):  # declared with @recurring_task
        assert schedule._task_of(schedule.job_named(name)).takes_context


def test_a_plain_task_runs_through_the_schedulers_runner_and_no_longer_renews_itself(test_jobs, monkeypatch):
    monkeypatch.setattr(schedule, "JOBS", (tasks.PLAIN,))
    assert schedule.ensure(tasks.PLAIN) is True
    assert DBTaskResult.objects.get(status="READY").task_path == "linli.schedule.scheduled_job_task"
    run_worker()
    assert tasks.CALLS == ["plain reschedule=False"]
    assert JobRun.objects.get(job="plain").status == JobRun.Status.SUCCEEDED
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # the next hour, queued by the scheduler


def test_a_job_whose_task_is_missing_does_not_stop_the_others(test_jobs, monkeypatch, caplog):
    monkeypatch.setattr(schedule, "JOBS", (tasks.MISSING, FLAKY))
    assert schedule.ensure_all() == {"missing": False, "flaky": True}
    assert "missing" in caplog.text


def test_periods():
    now = datetime(2026, 3, 14, 10, 7, tzinfo=SHANGHAI)
    every = Job("x", "a.b", "x", every=timedelta(minutes=5))
    assert every.next_slot(None, now) == now
    assert every.next_slot(now - timedelta(minutes=2), now) == now + timedelta(minutes=3)
    # a worker away for an hour: one late run for the latest missed period, not twelve
    assert every.next_slot(now - timedelta(minutes=62), now) == now - timedelta(minutes=2)
    monthly = Job("m", "a.b", "m", at=time(2, 0), day=1)
    assert monthly.next_slot(None, now) == datetime(2026, 4, 1, 2, 0, tzinfo=SHANGHAI)
    assert monthly.next_slot(datetime(2026, 4, 1, 2, 0, tzinfo=SHANGHAI), now) == datetime(
        2026, 5, 1, 2, 0, tzinfo=SHANGHAI
    )
    daily = Job("d", "a.b", "d", at=time(3, 0))
    assert daily.next_slot(None, now) == datetime(2026, 3, 15, 3, 0, tzinfo=SHANGHAI)
    assert daily.describe() == "每天 03:00" and monthly.describe() == "每月 1 日 02:00"
    assert Job("h", "a.b", "h", every=timedelta(hours=6)).describe() == "每 6 小时"
    with pytest.raises(ValueError):
        Job("bad", "a.b", "bad", every=timedelta(minutes=1), at=time(1, 0))
