"""A task whose worker died is found and run again (or failed, named), never left RUNNING forever."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import JobRun, WorkerHeartbeat
from jobs.tests import tasks
from jobs.tests.tasks import FLAKY, run_worker
from jobs.workers import HOST, WorkerLost, recover_orphaned_tasks, release_claims_of
from linli import schedule

pytestmark = pytest.mark.django_db(transaction=True)


def claimed_by(worker_id: str, *, claims: int = 1) -> DBTaskResult:
    """The flaky job's waiting task, claimed (`claims` times) by a worker that then stopped answering."""
    schedule.ensure(FLAKY)
    task = DBTaskResult.objects.get(task_path=FLAKY.task_path, status="READY")
    for n in range(claims - 1):
        task.claim(f"earlier-{n}")
    task.claim(worker_id)
    JobRun.objects.create(job="flaky", task_id=task.pk, started_at=timezone.now(), worker=worker_id)
    return task


def heartbeat(
    worker_id: str, *, age: timedelta, beating: bool = True, pid: int = 1, host: str = HOST
) -> None:
    seen = timezone.now() - age
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, host=host, pid=pid, started_at=seen, last_seen=seen, beating=beating
    )


def test_a_task_of_a_worker_whose_heartbeat_stopped_is_requeued_and_run(test_jobs):
    # Given a task claimed by a worker whose heartbeat stopped ten minutes ago
    task = claimed_by("dead-worker")
    heartbeat("dead-worker", age=timedelta(minutes=10))
    # When the detector runs
    outcome = recover_orphaned_tasks()
    # Then the task waits again, the interrupted run is recorded as lost, and a worker runs it
    assert outcome.as_dict() == {"requeued": 1, "failed": 0}
    task.refresh_from_db()
    assert task.status == "READY" and task.started_at is None
    assert JobRun.objects.get(task_id=task.pk, worker="dead-worker").status == JobRun.Status.LOST
    run_worker()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and tasks.CALLS == ["flaky"]


def test_a_task_of_a_living_worker_is_left_alone(test_jobs):
    task = claimed_by("busy-worker")
    heartbeat("busy-worker", age=timedelta(seconds=5))
    assert recover_orphaned_tasks().as_dict() == {"requeued": 0, "failed": 0}
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_plain_db_worker_whose_process_is_gone_from_this_host_is_dead(test_jobs):
    # Given a worker without a heartbeat thread, whose process has exited
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    task = claimed_by("plain-worker")
    heartbeat("plain-worker", age=timedelta(seconds=1), beating=False, pid=gone.pid)
    # Then its task is re-queued at once
    assert recover_orphaned_tasks().requeued == 1
    task.refresh_from_db()
    assert task.status == "READY"


def test_a_task_of_an_unknown_worker_is_requeued_only_after_the_stale_bound(test_jobs, settings):
    settings.LINLI_TASK_STALE_MINUTES = 60
    task = claimed_by("unknown-worker")
    assert recover_orphaned_tasks().requeued == 0
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - timedelta(minutes=61))
    assert recover_orphaned_tasks().requeued == 1


def test_a_task_claimed_too_often_is_failed_with_the_reason(test_jobs, settings):
    # Given a task that has already killed two workers and now a third
    settings.LINLI_TASK_MAX_CLAIMS = 3
    task = claimed_by("third-dead-worker", claims=3)
    heartbeat("third-dead-worker", age=timedelta(minutes=10))
    # When the detector runs, the task is failed, naming why, instead of being retried forever
    assert recover_orphaned_tasks().as_dict() == {"requeued": 0, "failed": 1}
    task.refresh_from_db()
    assert task.status == "FAILED" and task.finished_at is not None
    assert task.exception_class_path == f"{WorkerLost.__module__}.WorkerLost"
    assert "third-dead-worker" in task.traceback and "不再重试" in task.traceback


def test_the_stale_task_job_recovers_and_recreates_missing_chains(test_jobs, monkeypatch):
    # Given the detector job is in the table, and a task of a dead worker
    monkeypatch.setattr(schedule, "JOBS", (FLAKY, _stale_job()))
    task = claimed_by("dead-worker")
    heartbeat("dead-worker", age=timedelta(minutes=10))
    # When the worker runs the detector job
    schedule.ensure(_stale_job())
    run_worker()
    # Then the orphaned task was run again and both jobs have their next period waiting
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    waiting = DBTaskResult.objects.filter(status="READY").values_list("task_path", flat=True)
    assert sorted(waiting) == sorted([FLAKY.task_path, "linli.schedule.stale_tasks_task"])


def _stale_job():
    from linli.schedule import Job

    return Job("stale_tasks", "linli.schedule.stale_tasks_task", "中断任务回收", every=timedelta(minutes=2))


def test_a_worker_names_itself_when_it_starts_a_task(test_jobs):
    schedule.ensure(FLAKY)
    run_worker()
    task = DBTaskResult.objects.get(task_path=FLAKY.task_path, status="SUCCESSFUL")
    beat = WorkerHeartbeat.objects.get(worker_id=task.worker_ids[-1])
    assert beat.host == HOST and not beat.beating


def test_jobs_worker_beats_queues_every_job_and_runs_what_is_due(test_jobs):
    # When a worker starts with manage.py jobs_worker (here: one pass over the queue)
    call_command(
        "jobs_worker",
        "--batch",
        "--no-startup-delay",
        "--queue-name",
        "default",
        "--worker-id",
        "w-1",
        verbosity=0,
    )
    # Then it said it is alive with a heartbeat thread, queued both jobs, and ran the one that was due
    assert WorkerHeartbeat.objects.get(worker_id="w-1").beating
    assert JobRun.objects.get(job="flaky").status == JobRun.Status.SUCCEEDED
    assert set(DBTaskResult.objects.filter(status="READY").values_list("task_path", flat=True)) == {
        FLAKY.task_path,
        "jobs.tests.tasks.other_task",
    }


def test_the_task_a_worker_was_running_when_it_lost_the_database_is_requeued(test_jobs):
    # Given a task claimed by a worker that is alive (beating) but whose loop lost the database mid-task
    task = claimed_by("cut-off-worker")
    heartbeat("cut-off-worker", age=timedelta(seconds=1))
    assert recover_orphaned_tasks().requeued == 0  # its heartbeat says it is alive
    # When its loop starts again
    outcome = release_claims_of("cut-off-worker")
    # Then the task waits again and the interrupted run is recorded as lost
    assert outcome.as_dict() == {"requeued": 1, "failed": 0}
    assert DBTaskResult.objects.get(pk=task.pk).status == "READY"
    assert JobRun.objects.get(task_id=task.pk).status == JobRun.Status.LOST
    assert release_claims_of("another-worker").as_dict() == {"requeued": 0, "failed": 0}
