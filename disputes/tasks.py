"""Background job of the mediation loop: flag the cases whose mediation ran past its time limit (per kind, in
working days from acceptance), run by the django-tasks database worker like ``appeals.tasks``.

It is a job of ``linli.schedule`` (every 15 minutes, once per period with several workers, retried on failure);
``manage.py schedule_jobs`` queues it with the others.
"""

from __future__ import annotations

from django.db import transaction

from disputes import recipients
from disputes.models import TIMED_STATUSES, Case
from disputes.steps import CASES, url
from linli import clock, schedule
from linli.schedule import recurring_task
from notifications.services import notify

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


@recurring_task
def flag_overdue_task() -> dict[str, int]:
    """Every 15 minutes (``linli.schedule.JOBS``), locked, recorded, retried and re-queued by the scheduler."""
    return {"flagged": flag_overdue()}


def schedule_dispute_sweep() -> bool:
    """Queue the next sweep unless one is already waiting (``manage.py schedule_jobs`` queues every job)."""
    return schedule.ensure(schedule.job_named("dispute_overdue"))
