"""The day's work on each role's home page: what waits now, each a count and the filtered list it opens.

A count is worked out by the very reader its list page uses (the work queue's ``queue(scope, filters)`` on the
link's own query string, the resident's own appeals, the votes open to them, the unread messages), so the number on
the home page is the number of rows the link opens. Everything is read through the user's ``Scope``.

即将超时 ("due soon"): an open appeal not yet flagged overdue whose resolution deadline (办结时限) falls within the
next 24 hours of ``linli.clock.now()``; it is offered to the queue as a filter (``measure=due_soon``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse

from access.scope import AREA_STAFF_ROLES, PEOPLE_KEEPER_ROLES, Scope
from appeals.models import OPEN_STATUSES, Appeal, Status
from appeals.selectors import QUEUE_MEASURES, QueueFilters, queue
from linli import clock

DUE_SOON = "due_soon"
DUE_SOON_HOURS = 24
DUE_SOON_LABEL = f"即将超时（{DUE_SOON_HOURS} 小时内到办结时限、尚未超时）"


def due_soon_condition() -> Q:
    now = clock.now()
    return Q(
        status__in=OPEN_STATUSES,
        contact_overdue=False,
        resolve_overdue=False,
        resolve_due__isnull=False,
        resolve_due__lt=now + timedelta(hours=DUE_SOON_HOURS),
    )


def register_queue_filters() -> None:
    QUEUE_MEASURES[DUE_SOON] = (DUE_SOON_LABEL, due_soon_condition)


@dataclass
class Task:
    key: str
    label: str
    count: int
    url: str
    hint: str = ""


def _queue_task(scope: Scope, key: str, label: str, query: str, hint: str = "") -> Task:
    params = QueryDict(query)
    return Task(
        key,
        label,
        queue(scope, QueueFilters.from_query(params)).count(),
        f"{reverse('appeal-queue')}?{query}",
        hint,
    )


def my_appeals_awaiting_rating(scope: Scope) -> QuerySet[Appeal]:
    """The resident's own appeals that are done and wait for their rating (the list ``我的诉求?status=completed``)."""
    person = scope.person
    if person is None:
        return Appeal.objects.none()
    return Appeal.objects.filter(
        Q(raised_by=person) | Q(followers=person), status=Status.COMPLETED
    ).distinct()


def unread_task(user) -> Task:
    count = user.notifications.filter(read_at__isnull=True).count()
    return Task("unread", "未读消息", count, f"{reverse('inbox')}?unread=1")


def staff_tasks(scope: Scope) -> list[Task]:
    """Area staff: what waits in their part of the tree; unit staff: what was sent or whistled to their unit."""
    tasks: list[Task] = []
    area_staff = scope.is_admin or bool(scope.nodes(AREA_STAFF_ROLES)) or bool(scope.building_ids)
    if area_staff:
        tasks.append(
            _queue_task(scope, "submitted", "待分拨派单", "status=submitted", "居民反映后还没有分拨")
        )
    if scope.unit_ids:
        # sent to the unit itself (a whistled appeal waits for its report-in instead, under 待报到)
        only = f"&unit={next(iter(scope.unit_ids))}" if len(scope.unit_ids) == 1 else ""
        tasks.append(
            _queue_task(scope, "dispatched", "待接单", f"status=dispatched{only}", "派给本单位，等待接单")
        )
    tasks.append(
        _queue_task(
            scope, "due_soon", "即将超时", f"measure={DUE_SOON}", f"{DUE_SOON_HOURS} 小时内到办结时限"
        )
    )
    tasks.append(_queue_task(scope, "overdue", "已超时", "overdue=1", "超过联系或办结时限"))
    tasks.append(_queue_task(scope, "summoned", "待报到", "whistle=summoned", "吹哨召集、还没有报到的单位"))
    if area_staff:
        tasks.append(
            _queue_task(scope, "completed", "待评价", "status=completed", "已办完，等居民评价或回访")
        )
    return tasks


def resident_tasks(scope: Scope) -> list[Task]:
    from deliberation.selectors import open_votes_for

    return [
        Task(
            "to_rate",
            "待评价",
            my_appeals_awaiting_rating(scope).count(),
            f"{reverse('appeal-mine')}?status=completed",
            "办完的诉求，请您评价",
        ),
        Task("votes", "进行中的表决", len(open_votes_for(scope, clock.now())), reverse("deliberation-home")),
    ]


def may_record_appeals(scope: Scope) -> bool:
    """登记诉求 on someone's behalf: those who keep the people register (grid workers, community staff …)."""
    return scope.is_admin or bool(scope.roles & PEOPLE_KEEPER_ROLES)


def todays_work(scope: Scope) -> list[Task]:
    tasks = staff_tasks(scope) if scope.is_staff_like else resident_tasks(scope)
    return [*tasks, unread_task(scope.user)]
