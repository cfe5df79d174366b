"""The supervision sweep runs in the real django-tasks database worker, not in a request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from appeals.models import AppealEvent
from appeals.tasks import TASK_PATH, schedule_supervision, supervise_overdue_task

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_runs_the_sweep_and_queues_the_next(world, dispatched):
    # Given an appeal whose contact deadline has passed
    type(dispatched).objects.filter(pk=dispatched.pk).update(
        contact_due=dispatched.dispatched_at - timedelta(hours=1)
    )
    # When the sweep is queued and the database worker processes the queue once
    assert schedule_supervision() is True
    assert schedule_supervision() is False  # one waiting sweep is enough
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "default")
    # Then the appeal was flagged by the worker and the next sweep is waiting
    dispatched.refresh_from_db()
    assert dispatched.contact_overdue
    assert AppealEvent.objects.filter(appeal=dispatched, action="overdue", actor=None).exists()
    done = DBTaskResult.objects.filter(task_path=TASK_PATH, status="SUCCESSFUL")
    assert done.count() == 1 and done.get().return_value["contact"] == 1
    waiting = DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY")
    assert waiting.count() == 1 and waiting.get().run_after is not None


def test_schedule_jobs_command_is_idempotent(world):
    call_command("schedule_jobs")
    call_command("schedule_jobs")
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count() == 1
    assert supervise_overdue_task.name == "supervise_overdue_task"
