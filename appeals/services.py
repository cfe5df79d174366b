"""One service function per step of the appeal loop. Nothing else changes an appeal's status.

Each function stands on the shared step machinery (``linli.steps`` through ``appeals.steps``): one transaction,
the row locked, the status checked against ``workflow.TRANSITIONS``, the actor checked against ``workflow.may``,
the row saved with ``update_fields``, an ``AppealEvent`` written, notifications queued. Intake (点单) is
``appeals.submission.appeal_submit``; whistles and supervision have their own modules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from access.scope import Scope
from appeals.errors import ValidationError
from appeals.models import Appeal, AppealPhoto, Level, Satisfaction, Status, TriageKind
from appeals.photos import check_photos
from appeals.recipients import handlers, level_staff, raiser, unit_staff
from appeals.selectors import dispatchable_units
from appeals.steps import begin, lock, record, save_photos, set_deadlines, url
from appeals.submission import appeal_submit
from appeals.workflow import MAX_REOPENS, actor_for
from categories.models import Category
from linli import clock
from linli.text import required_text as _required
from notifications.services import notify
from people.models import Person
from units.models import Unit

__all__ = ["appeal_submit"]  # re-exported: every channel files through appeals.services.appeal_submit


# ---- triage and 派单 -----------------------------------------------------------------------------------------
@transaction.atomic
def appeal_triage(
    *, user, appeal_id: int, kind: str, category: Category | None = None, answer: str = ""
) -> Appeal:
    appeal, _ = begin(user, appeal_id, "triage")
    if kind not in TriageKind.values:
        raise ValidationError({"kind": "请选择：回复解释、转交办理或受理自办"})
    before = appeal.status
    fields = ["triage_kind", "category", "updated_at"]
    appeal.triage_kind = kind
    if category is not None:
        appeal.category = category
    note = str(TriageKind(kind).label)
    if kind == TriageKind.ANSWER:
        appeal.answer = appeal.report = _required(answer, "answer", "答复内容")
        now = clock.now()
        appeal.status = Status.COMPLETED
        appeal.contacted_at = appeal.contacted_at or now
        appeal.completed_at = now
        fields += ["answer", "report", "status", "contacted_at", "completed_at"]
        note = f"回复解释：{appeal.answer}"
    appeal.save(update_fields=fields)
    record(appeal, user=user, action="triage", from_status=before, note=note)
    if kind == TriageKind.ANSWER:
        notify(
            users=raiser(appeal),
            title=f"您的诉求已答复：{appeal.title}",
            body=appeal.answer,
            url=url(appeal),
        )
    return appeal


@transaction.atomic
def appeal_dispatch(
    *,
    user,
    appeal_id: int,
    unit: Unit | None = None,
    note: str = "",
    provider: Person | None = None,
    offer=None,
    need=None,
) -> Appeal:
    """派单 to a unit, or (a matched service order) to a party member on duty in person."""
    appeal, _ = begin(user, appeal_id, "dispatch")
    if (unit is None) == (provider is None):
        raise ValidationError({"unit": "请选择承办单位"})
    registered = offer is not None and offer.registration.community_id == appeal.community_id
    if unit is not None and not (registered or dispatchable_units(appeal).filter(pk=unit.pk).exists()):
        raise ValidationError({"unit": f"{unit.name} 不承接本社区的诉求，不能派给它"})
    if provider is not None and not registered:
        raise ValidationError({"provider": f"{provider.name} 未在本社区报到，不能派给他/她"})
    before = appeal.status
    now = clock.now()
    if not appeal.triage_kind:
        inside = unit is None or unit.home_area.path.startswith(appeal.community.path) or registered
        appeal.triage_kind = TriageKind.SELF_HANDLE if inside else TriageKind.TRANSFER
    appeal.status = Status.DISPATCHED
    appeal.unit = unit
    appeal.provider = provider
    if offer is not None:
        appeal.offer = offer
    if need is not None:
        appeal.need = need
    appeal.dispatched_at = now
    appeal.first_dispatched_at = appeal.first_dispatched_at or now
    set_deadlines(appeal, now)
    appeal.save(
        update_fields=[
            "status",
            "unit",
            "provider",
            "offer",
            "need",
            "triage_kind",
            "dispatched_at",
            "first_dispatched_at",
            "contact_due",
            "resolve_due",
            "contact_overdue",
            "resolve_overdue",
            "updated_at",
        ]
    )
    who = unit.name if unit is not None else f"党员 {provider.name}" if provider is not None else ""
    record(
        appeal,
        user=user,
        action="dispatch",
        from_status=before,
        unit=unit,
        note=f"{who} {note.strip()[:500]}".strip(),
    )
    assert appeal.contact_due is not None and appeal.resolve_due is not None
    notify(
        users=handlers(appeal),
        title=f"新派单：{appeal.title}",
        body=f"请在 {timezone.localtime(appeal.contact_due):%m-%d %H:%M} 前联系居民，"
        f"{timezone.localtime(appeal.resolve_due):%m-%d %H:%M} 前办结。",
        url=url(appeal),
    )
    return appeal


# ---- 接单 and handling ---------------------------------------------------------------------------------------
@transaction.atomic
def appeal_accept(*, user, appeal_id: int, note: str = "") -> Appeal:
    appeal, _ = begin(user, appeal_id, "accept")
    before, now = appeal.status, clock.now()
    appeal.status = Status.ACCEPTED
    appeal.accepted_at = now
    appeal.contacted_at = appeal.contacted_at or now
    appeal.save(update_fields=["status", "accepted_at", "contacted_at", "updated_at"])
    record(appeal, user=user, action="accept", from_status=before, unit=appeal.unit, note=note.strip()[:500])
    notify(users=raiser(appeal), title=f"{appeal.unit}已接单：{appeal.title}", url=url(appeal))
    return appeal


@transaction.atomic
def appeal_return(*, user, appeal_id: int, reason: str) -> Appeal:
    appeal, _ = begin(user, appeal_id, "return")
    reason = _required(reason, "reason", "退回理由", 500)
    before, unit = appeal.status, appeal.unit
    appeal.status = Status.RETURNED
    appeal.unit = None
    appeal.return_count += 1
    appeal.save(update_fields=["status", "unit", "return_count", "updated_at"])
    record(appeal, user=user, action="return", from_status=before, unit=unit, note=reason)
    notify(users=level_staff(appeal), title=f"{unit}退回：{appeal.title}", body=reason, url=url(appeal))
    return appeal


@transaction.atomic
def appeal_progress(*, user, appeal_id: int, note: str) -> Appeal:
    appeal, actor = begin(user, appeal_id, "progress")
    note = _required(note, "note", "进展说明", 2000)
    unit = appeal.unit if actor.handler else Unit.objects.filter(pk__in=actor.whistled_unit_ids).first()
    record(appeal, user=user, action="progress", from_status=appeal.status, unit=unit, note=note)
    notify(users=raiser(appeal), title=f"办理进展：{appeal.title}", body=note, url=url(appeal))
    return appeal


@transaction.atomic
def appeal_complete(*, user, appeal_id: int, report: str, photos: Sequence[UploadedFile] = ()) -> Appeal:
    appeal, _ = begin(user, appeal_id, "complete")
    report = _required(report, "report", "办理结果")
    cleaned = check_photos(photos, already=appeal.photos.count())
    before = appeal.status
    appeal.status = Status.COMPLETED
    appeal.report = report
    appeal.completed_at = clock.now()
    appeal.save(update_fields=["status", "report", "completed_at", "updated_at"])
    save_photos(appeal, cleaned, AppealPhoto.Stage.COMPLETION)
    record(appeal, user=user, action="complete", from_status=before, unit=appeal.unit, note=report)
    notify(users=raiser(appeal), title=f"请评价：{appeal.title}", body=report[:200], url=url(appeal))
    return appeal


# ---- 评单 and reopening -------------------------------------------------------------------------------------
def _reopen(appeal: Appeal, *, user, note: str) -> None:
    """Send the appeal back to work: to the same unit while reopens remain, otherwise up a level."""
    before = appeal.status
    appeal.reopen_count += 1
    now = clock.now()
    appeal.completed_at = appeal.closed_at = None
    if appeal.reopen_count <= MAX_REOPENS and appeal.unit is not None:
        appeal.status = Status.DISPATCHED
        appeal.dispatched_at = now
        set_deadlines(appeal, now)
        action = "reopen"
    elif appeal.reopen_count <= MAX_REOPENS:
        appeal.status = Status.SUBMITTED  # no single handling unit (answered, or whistled): dispatch again
        action = "reopen"
    else:
        appeal.status = Status.SUBMITTED
        appeal.unit = None
        appeal.level = min(appeal.level + 1, Level.DISTRICT)
        action = "escalate"
        note = f"{note}（重办 {appeal.reopen_count} 次，升级到{Level(appeal.level).label}）"
    appeal.save(
        update_fields=[
            "status",
            "unit",
            "level",
            "reopen_count",
            "completed_at",
            "closed_at",
            "dispatched_at",
            "contact_due",
            "resolve_due",
            "contact_overdue",
            "resolve_overdue",
            "updated_at",
        ]
    )
    record(appeal, user=user, action=action, from_status=before, unit=appeal.unit, note=note)
    users = handlers(appeal) if appeal.status == Status.DISPATCHED else level_staff(appeal)
    notify(users=users, title=f"诉求需重新办理：{appeal.title}", body=note, url=url(appeal))


@transaction.atomic
def appeal_rate(*, user, appeal_id: int, resolved: bool, satisfaction: str, comment: str = "") -> Appeal:
    appeal, actor = begin(user, appeal_id, "rate")
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": "请选择满意、基本满意或不满意"})
    if not isinstance(resolved, bool):
        raise ValidationError({"resolved": "请选择问题是否已解决"})
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationError({"comment": "评价意见不能超过 500 个字"})
    before = appeal.status
    appeal.resolved = resolved
    appeal.satisfaction = satisfaction
    appeal.rating_comment = comment
    appeal.rated_at = clock.now()
    appeal.rated_by_staff = not actor.raiser
    label = f"{'已解决' if resolved else '未解决'} · {Satisfaction(satisfaction).label}"
    if satisfaction == Satisfaction.UNSATISFIED:
        appeal.save(
            update_fields=["resolved", "satisfaction", "rating_comment", "rated_at", "rated_by_staff"]
        )
        record(appeal, user=user, action="rate", from_status=before, note=f"{label} {comment}".strip())
        _reopen(appeal, user=user, note=f"居民不满意：{comment}" if comment else "居民不满意")
        return appeal
    appeal.status = Status.CLOSED
    appeal.closed_at = appeal.rated_at
    appeal.save(
        update_fields=[
            "status",
            "closed_at",
            "resolved",
            "satisfaction",
            "rating_comment",
            "rated_at",
            "rated_by_staff",
            "updated_at",
        ]
    )
    record(appeal, user=user, action="rate", from_status=before, note=f"{label} {comment}".strip())
    return appeal


@transaction.atomic
def appeal_reopen(*, user, appeal_id: int, reason: str) -> Appeal:
    appeal, _ = begin(user, appeal_id, "reopen")
    _reopen(appeal, user=user, note=_required(reason, "reason", "重办理由", 500))
    return appeal


@transaction.atomic
def appeal_withdraw(*, user, appeal_id: int, reason: str = "") -> Appeal:
    appeal, _ = begin(user, appeal_id, "withdraw")
    before = appeal.status
    appeal.status = Status.WITHDRAWN
    appeal.closed_at = clock.now()
    appeal.save(update_fields=["status", "closed_at", "updated_at"])
    open_parts = appeal.whistle_parts.exclude(status__in=["done", "released"])
    open_parts.update(status="released")
    record(appeal, user=user, action="withdraw", from_status=before, note=reason.strip()[:500])
    notify(
        users=[*handlers(appeal), *level_staff(appeal)],
        title=f"诉求已撤回：{appeal.title}",
        url=url(appeal),
    )
    return appeal


# ---- merge and supervision ----------------------------------------------------------------------------------
@transaction.atomic
def appeal_merge(*, user, appeal_id: int, into_id: int) -> Appeal:
    if appeal_id == into_id:
        raise ValidationError({"into": "不能合并到自己"})
    # Lock both rows in id order so two merges of the same pair cannot deadlock.
    first, second = sorted([appeal_id, into_id])
    lock(first)
    lock(second)
    appeal, _ = begin(user, appeal_id, "merge")
    target = lock(into_id)
    if target.status in (Status.MERGED, Status.WITHDRAWN):
        raise ValidationError({"into": f"目标诉求状态为“{target.get_status_display()}”，不能合并进去"})
    if not actor_for(Scope.of(user), target).dispatcher:
        raise ValidationError({"into": "目标诉求不在您的范围内"})
    before = appeal.status
    appeal.status = Status.MERGED
    appeal.merged_into = target
    appeal.save(update_fields=["status", "merged_into", "updated_at"])
    followers = [appeal.raised_by, *appeal.followers.all()]
    target.followers.add(*[p for p in followers if p.pk != target.raised_by_id])
    record(appeal, user=user, action="merge", from_status=before, note=f"合并到 #{target.pk} {target.title}")
    record(
        target,
        user=user,
        action="follow",
        from_status=target.status,
        note=f"#{appeal.pk} 的诉求人随本诉求跟进",
    )
    notify(users=raiser(appeal), title=f"您的诉求已与同类诉求合并办理：{target.title}", url=url(target))
    return appeal


@transaction.atomic
def appeal_supervise(*, user, appeal_id: int, note: str) -> Appeal:
    appeal, _ = begin(user, appeal_id, "supervise")
    note = _required(note, "note", "督办意见", 500)
    appeal.supervised_at = clock.now()
    appeal.save(update_fields=["supervised_at", "updated_at"])
    record(appeal, user=user, action="supervise", from_status=appeal.status, unit=appeal.unit, note=note)
    parts_units = [p.unit for p in appeal.whistle_parts.select_related("unit") if not p.is_finished]
    users: list = [*handlers(appeal)]
    for unit in parts_units:
        users += list(unit_staff(unit))
    notify(users=users, title=f"督办：{appeal.title}", body=note, url=url(appeal))
    return appeal


def units_by_ids(ids: Iterable[int]) -> list[Unit]:
    units = list(Unit.objects.filter(pk__in=list(ids)))
    if len(units) != len(set(ids)):
        raise ValidationError({"units": "包含不存在的单位"})
    return units


@transaction.atomic
def appeal_log_time(*, user, appeal_id: int, minutes: int, note: str = "") -> Appeal:
    """A provider logs time spent delivering a service order (志愿服务时长)."""
    appeal, actor = begin(user, appeal_id, "log_time")
    if not isinstance(minutes, int) or not 1 <= minutes <= 24 * 60:
        raise ValidationError({"minutes": "服务时长应在 1 到 1440 分钟之间"})
    appeal.service_minutes += minutes
    appeal.save(update_fields=["service_minutes", "updated_at"])
    unit = appeal.unit if actor.handler and appeal.unit_id else None
    record(
        appeal,
        user=user,
        action="log_time",
        from_status=appeal.status,
        unit=unit,
        note=f"服务 {minutes} 分钟。{note.strip()[:300]}".strip(),
    )
    return appeal
