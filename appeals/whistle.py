"""吹哨报到: staff summon several units to one appeal; each reports in, does its part, or is released.
The appeal completes when every part is done or released (and at least one was done)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from appeals.errors import ValidationError
from appeals.models import Appeal, Status, WhistlePart
from appeals.recipients import level_staff, raiser, unit_staff
from appeals.selectors import dispatchable_units
from appeals.steps import begin, record, set_deadlines, url
from linli import clock
from linli.text import required_text as _required
from notifications.services import notify
from units.models import Unit

P = WhistlePart.PartStatus


@transaction.atomic
def appeal_whistle(
    *, user, appeal_id: int, units: Sequence[Unit], report_within_hours: int = 2, task: str = ""
) -> Appeal:
    appeal, _ = begin(user, appeal_id, "whistle")
    units = list({u.pk: u for u in units}.values())  # a unit named twice is summoned once
    if not units:
        raise ValidationError({"units": "请至少选择一个单位"})
    if not 1 <= report_within_hours <= 72:
        raise ValidationError({"report_within_hours": "报到时限应在 1 到 72 小时之间"})
    allowed = set(dispatchable_units(appeal).values_list("pk", flat=True))
    outside = [u.name for u in units if u.pk not in allowed]
    if outside:
        raise ValidationError({"units": f"这些单位不承接本社区的诉求：{'、'.join(outside)}"})
    existing = set(appeal.whistle_parts.values_list("unit_id", flat=True))
    again = [u.name for u in units if u.pk in existing]
    if again:
        raise ValidationError({"units": f"已经吹哨召集过：{'、'.join(again)}"})
    now = clock.now()
    due = now + timedelta(hours=report_within_hours)
    WhistlePart.objects.bulk_create(
        [WhistlePart(appeal=appeal, unit=u, report_due=due, task=task.strip()[:300]) for u in units]
    )
    before = appeal.status
    fields = ["updated_at"]
    if appeal.status in (Status.SUBMITTED, Status.RETURNED):
        appeal.status = Status.DISPATCHED
        appeal.dispatched_at = now
        appeal.first_dispatched_at = appeal.first_dispatched_at or now
        appeal.triage_kind = appeal.triage_kind or "transfer"
        set_deadlines(appeal, now)
        fields += [
            "status",
            "dispatched_at",
            "first_dispatched_at",
            "triage_kind",
            "contact_due",
            "resolve_due",
            "contact_overdue",
            "resolve_overdue",
        ]
    appeal.save(update_fields=fields)
    names = "、".join(u.name for u in units)
    record(
        appeal,
        user=user,
        action="whistle",
        from_status=before,
        note=f"召集 {names}，{report_within_hours} 小时内报到。{task}".strip(),
    )
    for unit in units:
        notify(
            users=unit_staff(unit),
            title=f"吹哨报到：{appeal.title}",
            body=f"请于 {timezone.localtime(due):%m-%d %H:%M} 前报到。{task}",
            url=url(appeal),
        )
    return appeal


def _my_part(appeal: Appeal, unit_ids: frozenset[int], status: str) -> WhistlePart:
    part = (
        WhistlePart.objects.select_for_update()
        .select_related("unit")
        .filter(appeal=appeal, unit_id__in=unit_ids, status=status)
        .first()
    )
    if part is None:
        raise ValidationError({"unit": "没有待您单位处理的报到任务"})
    return part


@transaction.atomic
def whistle_report_in(*, user, appeal_id: int, note: str = "") -> WhistlePart:
    appeal, actor = begin(user, appeal_id, "report_in")
    part = _my_part(appeal, actor.whistled_unit_ids, P.SUMMONED)
    now = clock.now()
    part.status = P.REPORTED
    part.reported_at = now
    part.save(update_fields=["status", "reported_at"])
    before = appeal.status
    if appeal.status == Status.DISPATCHED:
        appeal.status = Status.ACCEPTED
        appeal.accepted_at = appeal.accepted_at or now
        appeal.contacted_at = appeal.contacted_at or now
        appeal.save(update_fields=["status", "accepted_at", "contacted_at", "updated_at"])
    record(appeal, user=user, action="report_in", from_status=before, unit=part.unit, note=note.strip()[:500])
    return part


@transaction.atomic
def whistle_part_done(*, user, appeal_id: int, report: str) -> WhistlePart:
    appeal, actor = begin(user, appeal_id, "part_done")
    report = _required(report, "report", "办理情况")
    part = _my_part(appeal, actor.whistled_unit_ids, P.REPORTED)
    part.status = P.DONE
    part.done_at = clock.now()
    part.report = report
    part.save(update_fields=["status", "done_at", "report"])
    record(appeal, user=user, action="part_done", from_status=appeal.status, unit=part.unit, note=report)
    _finish_if_all_parts_finished(appeal, user)
    return part


@transaction.atomic
def whistle_release(*, user, appeal_id: int, unit: Unit, note: str = "") -> WhistlePart:
    appeal, _ = begin(user, appeal_id, "release_part")
    part = (
        WhistlePart.objects.select_for_update()
        .filter(appeal=appeal, unit=unit)
        .exclude(status__in=[P.DONE, P.RELEASED])
        .first()
    )
    if part is None:
        raise ValidationError({"unit": f"{unit.name} 没有未完成的报到任务"})
    part.status = P.RELEASED
    part.save(update_fields=["status"])
    record(
        appeal,
        user=user,
        action="release_part",
        from_status=appeal.status,
        unit=unit,
        note=note.strip()[:500],
    )
    _finish_if_all_parts_finished(appeal, user)
    return part


def _finish_if_all_parts_finished(appeal: Appeal, user) -> None:
    parts = list(appeal.whistle_parts.select_related("unit"))
    if not parts or any(not p.is_finished for p in parts):
        return
    before = appeal.status
    done = [p for p in parts if p.status == P.DONE]
    now = clock.now()
    if done:
        appeal.status = Status.COMPLETED
        appeal.completed_at = now
        appeal.report = "\n".join(f"{p.unit.name}：{p.report}" for p in done)
        appeal.save(update_fields=["status", "completed_at", "report", "updated_at"])
        record(appeal, user=user, action="complete", from_status=before, note="各报到单位均已完成")
        notify(
            users=raiser(appeal), title=f"请评价：{appeal.title}", body=appeal.report[:200], url=url(appeal)
        )
    else:
        appeal.status = Status.RETURNED
        appeal.save(update_fields=["status", "updated_at"])
        record(
            appeal, user=user, action="return", from_status=before, note="全部报到单位均已解除，待重新派单"
        )
        notify(users=level_staff(appeal), title=f"待重新派单：{appeal.title}", url=url(appeal))
