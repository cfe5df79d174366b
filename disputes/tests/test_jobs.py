"""The overdue sweep: a case past its time limit is flagged once, by the background job, which renews itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from disputes.models import CaseEvent
from disputes.tasks import TASK_PATH, flag_overdue, flag_overdue_task, schedule_dispute_sweep
from disputes.tests.conftest import NOW
from linli import clock
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_overdue_is_flagged_once_and_told(accepted, force):
    assert flag_overdue() == 0  # not yet due
    with clock.travel(NOW + timedelta(days=20)):
        assert flag_overdue() == 1
        assert flag_overdue() == 0
    accepted.refresh_from_db()
    assert accepted.overdue
    assert CaseEvent.objects.filter(case=accepted, action="overdue").count() == 1
    told = set(
        Notification.objects.filter(title__startswith="纠纷调解超时").values_list("user__username", flat=True)
    )
    assert {"mediator", "community"} <= told


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_sweep_and_queues_the_next(accepted):
    type(accepted).objects.filter(pk=accepted.pk).update(due_at=accepted.accepted_at - timedelta(hours=1))
    assert schedule_dispute_sweep() is True
    assert schedule_dispute_sweep() is False  # one waiting sweep is enough
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "default")
    accepted.refresh_from_db()
    assert accepted.overdue
    assert CaseEvent.objects.filter(case=accepted, action="overdue", actor=None).exists()
    done = DBTaskResult.objects.filter(task_path=TASK_PATH, status="SUCCESSFUL")
    assert done.count() == 1 and done.get().return_value == {"flagged": 1}
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count() == 1
    call_command("schedule_jobs")
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").count() == 1
    assert flag_overdue_task.name == "flag_overdue_task"
