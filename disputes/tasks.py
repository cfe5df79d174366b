"""Background job of the mediation loop: flag the cases whose mediation ran past its time limit (per kind, in
working days from acceptance), run by the django-tasks database worker like ``appeals.tasks``.

Each sweep queues the next one (a self-renewing schedule: no cron); ``schedule_dispute_sweep`` starts it
(``manage.py schedule_dispute_jobs``, beside ``schedule_jobs``).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from disputes import recipients
from disputes.models import TIMED_STATUSES, Case
from disputes.steps import CASES, url
from linli import clock
from notifications.services import notify

SWEEP_EVERY = timedelta(minutes=15)
TASK_PATH = "disputes.tasks.flag_overdue_task"


def flag_overdue() -> int:
    """Flag each case past its limit once (an event row and a notice to its owner and the community's staff)."""
    now = clock.now()
    flagged = 0
    ids = list(
        Case.objects.filter(status__in=TIMED_STATUSES, overdue=False, due_at__lt=now).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        with transaction.atomic():
            case = CASES.lock(pk)
            if case.overdue or case.status not in TIMED_STATUSES or case.due_at is None or case.due_at >= now:
                continue  # moved on meanwhile
            case.overdue = True
            CASES.save(case, "overdue")
            CASES.record(
                case,
                user=None,
                action="overdue",
                from_state=case.status,
                note=f"调解时限 {case.due_at:%Y-%m-%d} 已过",
            )
            notify(
                users=recipients.team(case) + list(recipients.community_staff(case)),
                title=f"纠纷调解超时：{case.title}",
                body=f"调解时限 {case.due_at:%Y-%m-%d}，请尽快调解或移交。",
                url=url(case),
            )
            flagged += 1
    return flagged


@task()
def flag_overdue_task(reschedule: bool = True) -> dict[str, int]:
    flagged = flag_overdue()
    if reschedule:
        schedule_dispute_sweep(delay=SWEEP_EVERY)
    return {"flagged": flagged}


def schedule_dispute_sweep(delay: timedelta = timedelta(0)) -> bool:
    """Queue the next sweep unless one is already waiting. Returns whether one was queued."""
    if DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").exists():
        return False
    flag_overdue_task.using(run_after=timezone.now() + delay).enqueue()
    return True
