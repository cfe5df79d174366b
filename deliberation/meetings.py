"""Meetings of a topic: schedule, invite by the 1+6+X rule, record attendance, record minutes (and the decision).

A meeting belongs to the topic's step current when it was scheduled; a step requiring minutes counts only its
own meetings. Minutes are refused until the meeting has begun and attendance shows the convenor, each of the six
fixed parties and at least one affected party (X) present (a 两委会议 needs only the convenor and the 两委).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction

from deliberation.models import Decision, Meeting, Participant, Party
from deliberation.models.meeting import SIX_FIXED
from deliberation.steps import MEETINGS, begin, begin_held, current_topic_step, record
from deliberation.workflow import when as _when
from linli import clock
from linli.errors import TransitionError, ValidationError
from linli.steps import after_commit
from linli.text import required_text as text
from notifications.services import notify
from people.models import Person
from units.models import Unit


def required_parties(meeting: Meeting) -> tuple[str, ...]:
    if meeting.form in Meeting.FULL_FORMS:
        return (Party.CONVENOR, *SIX_FIXED, Party.AFFECTED)
    return (Party.CONVENOR, Party.TWO_COMMITTEES)


def absent_parties(meeting: Meeting) -> list[str]:
    """Labels of the parties the rule needs that nobody attended for."""
    present = {p.party for p in meeting.participants.all() if p.attended}
    return [str(Party(p).label) for p in required_parties(meeting) if p not in present]


@transaction.atomic
def meeting_schedule(
    *,
    user,
    topic_id: int,
    form: str,
    title: str,
    place: str,
    starts_at: datetime,
    convenor: Person,
) -> Meeting:
    topic, _ = begin(user, topic_id, "meeting")
    if form not in Meeting.Form.values:
        raise ValidationError({"form": "请选择会议形式"})
    now = clock.now()
    meeting = Meeting.objects.create(
        topic=topic,
        step=current_topic_step(topic),
        form=form,
        title=text(title, "title", "会议名称", 120),
        place=text(place, "place", "会议地点", 200),
        starts_at=starts_at,
        created_by=user,
        created_at=now,
    )
    Participant.objects.create(
        meeting=meeting, party=Party.CONVENOR, person=convenor, name=convenor.name, invited_at=now
    )
    record(
        topic,
        user=user,
        action="meeting",
        note=f"{meeting.get_form_display()}：{meeting.title}，{_when(starts_at)} 于 {meeting.place}",
    )
    _invite_note(meeting, [convenor])
    return meeting


def _invite_note(meeting: Meeting, people: Iterable[Person]) -> None:
    """Once the step has committed, the people invited are told."""
    users = [p.user for p in people if p.user_id]
    after_commit(
        notify,
        users=users,
        title=f"议事会议邀请：{meeting.title}",
        body=f"{meeting.get_form_display()}，{_when(meeting.starts_at)}，{meeting.place}。议题：{meeting.topic.title}",
        url=f"/deliberation/meetings/{meeting.pk}/",
    )


@transaction.atomic
def meeting_invite(
    *,
    user,
    meeting_id: int,
    party: str,
    person: Person | None = None,
    unit: Unit | None = None,
    name: str = "",
) -> Participant:
    meeting = begin_held(MEETINGS, user, meeting_id, "invite")
    if party not in Party.values:
        raise ValidationError({"party": "请选择参会方（1+6+X）"})
    label = (name or "").strip() or (person.name if person else "") or (unit.name if unit else "")
    if not label:
        raise ValidationError({"name": "请选择参会人员、单位或填写姓名"})
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                meeting=meeting,
                party=party,
                person=person,
                unit=unit,
                name=label[:60],
                invited_at=clock.now(),
            )
    except IntegrityError as exc:
        raise TransitionError(f"{label}已在参会名单中") from exc
    record(meeting.topic, user=user, action="invite", note=f"{meeting.title}：{Party(party).label} {label}")
    if person is not None:
        _invite_note(meeting, [person])
    return participant


@transaction.atomic
def meeting_record_attendance(*, user, meeting_id: int, attended_ids: Iterable[int]) -> Meeting:
    """签到: the ticked participants attended, the others did not."""
    meeting = begin_held(MEETINGS, user, meeting_id, "attendance")
    now = clock.now()
    if now < meeting.starts_at:
        raise TransitionError(f"会议 {_when(meeting.starts_at)} 开始，开始后才能签到")
    ids = {int(i) for i in attended_ids}
    participants = list(meeting.participants.all())
    unknown = ids - {p.pk for p in participants}
    if unknown:
        raise ValidationError({"attended": "签到名单中有不属于本次会议的人"})
    for p in participants:
        p.attended = p.pk in ids
    Participant.objects.bulk_update(participants, ["attended"])
    meeting.attendance_at = now
    MEETINGS.save(meeting, "attendance_at")
    record(
        meeting.topic,
        user=user,
        action="attendance",
        note=f"{meeting.title}：到会 {len(ids)} / {len(participants)} 人",
    )
    return meeting


@transaction.atomic
def meeting_record_minutes(*, user, meeting_id: int, minutes: str, decision: str = "") -> Meeting:
    """会议纪要, and the decision the meeting adopted if any. The meeting is then held."""
    meeting = begin_held(MEETINGS, user, meeting_id, "minutes")
    if meeting.attendance_at is None:
        raise TransitionError("尚未记录签到，请先勾选到会人员")
    absent = absent_parties(meeting)
    if absent:
        rule = "1+6+X" if meeting.form in Meeting.FULL_FORMS else "两委会议"
        raise TransitionError(
            f"按 {rule} 规则，以下参会方无人到会：{'、'.join(absent)}。请补充邀请或另行召开"
        )
    now = clock.now()
    meeting.minutes = text(minutes, "minutes", "会议纪要", 10000)
    meeting.minutes_at, meeting.status = now, Meeting.Status.HELD
    MEETINGS.save(meeting, "minutes", "minutes_at", "status")
    record(meeting.topic, user=user, action="minutes", note=f"{meeting.title}：{meeting.minutes[:200]}")
    decision = (decision or "").strip()
    if decision:
        Decision.objects.create(
            topic=meeting.topic,
            step=meeting.step,
            meeting=meeting,
            text=decision[:3000],
            adopted=True,
            decided_at=now,
            recorded_by=user,
        )
        record(meeting.topic, user=user, action="decision", note=f"通过：{decision[:300]}")
    return meeting


@transaction.atomic
def meeting_cancel(*, user, meeting_id: int, reason: str) -> Meeting:
    meeting = begin_held(MEETINGS, user, meeting_id, "meeting_cancel")
    reason = text(reason, "reason", "取消原因", 300)
    meeting.status = Meeting.Status.CANCELLED
    MEETINGS.save(meeting, "status")
    record(meeting.topic, user=user, action="meeting_cancel", note=f"{meeting.title}：{reason}")
    return meeting
