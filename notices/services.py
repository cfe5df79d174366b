"""Writes of the notice board: publish, withdraw, raise an objection, answer it, on the loops of ``notices.steps``:
the row locked, a wrong state refused (409), then the lack of right (403), then bad input (400); saved with
``update_fields``; an audit row for each; the people to tell told once the step has committed."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from access.scope import Scope
from areas.models import Area
from audit.models import record
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from linli.steps import after_commit
from linli.text import required_text as _text
from notices.models import Notice, Objection
from notices.selectors import lives_in, runs_community, works_in_community
from notices.steps import NOTICES, OBJECTIONS, url
from notices.workflow import when as _when
from notifications.services import notify

MAX_PERIOD_DAYS = 90


@transaction.atomic
def notice_publish(
    *,
    user,
    community: Area,
    kind: str,
    title: str,
    body: str,
    days: int | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    subject_type: str = "",
    subject_id: int | None = None,
) -> Notice:
    """Publish a notice for a period: ``days`` from now, or from ``starts_at`` to ``ends_at``."""
    if not runs_community(Scope.of(user), community):
        raise PermissionDenied(f"只有{community.name}的社区工作者可以发布公示")
    if community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "公示须发布在社区"})
    if kind not in Notice.Kind.values:
        raise ValidationError({"kind": "未知的公示类型"})
    now = clock.now()
    starts_at = starts_at or now
    if ends_at is None:
        if days is None or not 1 <= days <= MAX_PERIOD_DAYS:
            raise ValidationError({"days": f"公示期须为 1 到 {MAX_PERIOD_DAYS} 天"})
        ends_at = starts_at + timedelta(days=days)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "公示截止时间须晚于开始时间"})
    notice = Notice.objects.create(
        community=community,
        kind=kind,
        title=_text(title, "title", "公示标题", 120),
        body=_text(body, "body", "公示内容", 10000),
        subject_type=subject_type,
        subject_id=subject_id,
        starts_at=starts_at,
        ends_at=ends_at,
        published_by=user,
        created_at=now,
    )
    record(
        actor=user,
        action="notice_publish",
        obj=notice,
        summary=f"发布公示：{notice.title}（至 {_when(ends_at)}）",
        community=community.code,
        kind=kind,
    )
    return notice


@transaction.atomic
def notice_withdraw(*, user, notice_id: int, reason: str) -> Notice:
    notice = NOTICES.lock(notice_id)
    NOTICES.check_state(notice, "withdraw")
    if not runs_community(Scope.of(user), notice.community):
        raise PermissionDenied("只有本社区的社区工作者可以撤回公示")
    notice.withdrawn_reason = _text(reason, "reason", "撤回原因", 300)
    notice.status = Notice.Status.WITHDRAWN
    NOTICES.save(notice, "status", "withdrawn_reason")
    record(
        actor=user, action="notice_withdraw", obj=notice, summary=f"撤回公示：{notice.title}", reason=reason
    )
    return notice


@transaction.atomic
def objection_raise(*, user, notice_id: int, body: str, name: str = "") -> Objection:
    """A resident of the community raises an objection during the period; staff may record one for a resident."""
    notice = NOTICES.lock(notice_id)
    NOTICES.check_state(notice, "object")
    now = clock.now()
    if now < notice.starts_at:
        raise TransitionError(f"公示自 {_when(notice.starts_at)} 开始，开始后才能提出异议")
    if now > notice.ends_at:
        raise TransitionError(f"公示期已于 {_when(notice.ends_at)} 结束，不能再提出异议")
    scope = Scope.of(user)
    staff = runs_community(scope, notice.community) or works_in_community(scope, notice.community)
    if not (staff or lives_in(scope, notice.community)):
        raise PermissionDenied(f"只有{notice.community.name}的居民可以对该公示提出异议")
    person = scope.person
    name = (name or "").strip()
    if staff and name:
        person = None  # recorded on a resident's behalf (by phone, at the counter)
    elif person is None:
        raise ValidationError({"name": "请填写提出人姓名"})
    else:
        name = person.name
    objection = Objection.objects.create(
        notice=notice,
        person=person,
        name=name[:50],
        body=_text(body, "body", "异议内容", 2000),
        raised_at=now,
        recorded_by=user,
    )
    record(actor=user, action="objection_raise", obj=objection, summary=f"对公示“{notice.title}”提出异议")
    return objection


@transaction.atomic
def objection_answer(*, user, objection_id: int, answer: str) -> Objection:
    objection = OBJECTIONS.lock(objection_id)
    OBJECTIONS.check_state(objection, "answer")
    if not runs_community(Scope.of(user), objection.notice.community):
        raise PermissionDenied("只有本社区的社区工作者可以答复异议")
    objection.answer = _text(answer, "answer", "答复内容", 2000)
    objection.answered_at = clock.now()
    objection.answered_by = user
    OBJECTIONS.save(objection, "answer", "answered_at", "answered_by")
    record(actor=user, action="objection_answer", obj=objection, summary=f"答复异议：{objection.answer[:80]}")
    if objection.person is not None and objection.person.user is not None:
        after_commit(
            notify,
            users=[objection.person.user],
            title=f"您对公示“{objection.notice.title}”的异议已答复",
            body=objection.answer,
            url=url(objection.notice),
        )
    return objection
