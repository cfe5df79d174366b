"""督办: find overdue contact, resolution and report-in; flag, notify and escalate one level up the tree.

Run by the background worker (``appeals.tasks.supervise_overdue_task``), never in a request. Each appeal is
handled in its own transaction with the row locked and its state checked again, so a unit accepting at the
same moment either wins (nothing is flagged) or loses after the flag (its accept still goes through).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q

from appeals.models import Appeal, Level, Status, WhistlePart
from appeals.recipients import handlers, level_staff, unit_staff
from appeals.steps import record, url
from linli import clock
from notifications.services import notify


@transaction.atomic
def flag_overdue(appeal_id: int, kind: str, now: datetime) -> bool:
    """Flag one appeal's contact or resolution as overdue (if it still is), escalate one level, notify."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",)).select_related("community", "unit").get(pk=appeal_id)
    )
    if kind == "contact":
        if (
            appeal.status != Status.DISPATCHED
            or appeal.contact_overdue
            or not appeal.contact_due
            or appeal.contact_due > now
        ):
            return False
        appeal.contact_overdue = True
        what = "超过联系时限未接单"
    else:
        if (
            appeal.status not in (Status.DISPATCHED, Status.ACCEPTED)
            or appeal.resolve_overdue
            or not appeal.resolve_due
            or appeal.resolve_due > now
        ):
            return False
        appeal.resolve_overdue = True
        what = "超过办结时限未办结"
    note = f"{appeal.unit or '承办单位'}{what}"
    if appeal.level < Level.DISTRICT:
        appeal.level += 1
        note += f"，升级到{Level(appeal.level).label}督办"
    appeal.supervised_at = now
    appeal.save(update_fields=["contact_overdue", "resolve_overdue", "level", "supervised_at", "updated_at"])
    record(
        appeal, user=None, action="overdue", from_status=appeal.status, unit=appeal.unit, note=note, at=now
    )
    notify(
        users=[*handlers(appeal), *level_staff(appeal)],
        title=f"超时督办：{appeal.title}",
        body=note,
        url=url(appeal),
    )
    return True


@transaction.atomic
def _flag_part(part_id: int, now: datetime) -> bool:
    part = (
        WhistlePart.objects.select_for_update(of=("self",))
        .select_related("appeal__community", "unit")
        .get(pk=part_id)
    )
    if part.status != WhistlePart.PartStatus.SUMMONED or part.overdue or part.report_due > now:
        return False
    part.overdue = True
    part.save(update_fields=["overdue"])
    appeal = part.appeal
    note = f"{part.unit.name} 未按时报到"
    record(appeal, user=None, action="overdue", from_status=appeal.status, unit=part.unit, note=note, at=now)
    notify(
        users=[*unit_staff(part.unit), *level_staff(appeal)],
        title=f"报到超时：{appeal.title}",
        body=note,
        url=url(appeal),
    )
    return True


def supervise_overdue(now: datetime | None = None, batch: int = 500) -> dict[str, int]:
    """One sweep. Returns how many of each kind were newly flagged."""
    now = now or clock.now()
    counts = {"contact": 0, "resolve": 0, "report_in": 0}
    contact_ids = Appeal.objects.filter(
        status=Status.DISPATCHED, contact_overdue=False, contact_due__lt=now
    ).values_list("pk", flat=True)[:batch]
    for pk in list(contact_ids):
        counts["contact"] += flag_overdue(pk, "contact", now)
    resolve_ids = Appeal.objects.filter(
        Q(status=Status.DISPATCHED) | Q(status=Status.ACCEPTED), resolve_overdue=False, resolve_due__lt=now
    ).values_list("pk", flat=True)[:batch]
    for pk in list(resolve_ids):
        counts["resolve"] += flag_overdue(pk, "resolve", now)
    part_ids = WhistlePart.objects.filter(
        status=WhistlePart.PartStatus.SUMMONED, overdue=False, report_due__lt=now
    ).values_list("pk", flat=True)[:batch]
    for pk in list(part_ids):
        counts["report_in"] += _flag_part(pk, now)
    return counts
