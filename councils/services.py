"""Writes of the councils: members, meetings held on their own, the issue list, decisions and their follow-up.

Meetings and decisions are loops on ``linli.steps.Loop`` (lock, wrong state 409, no right 403, event row). A
decision that becomes a project calls ``projects.services.project_create``; one that becomes an appeal calls
``appeals.services.appeal_submit`` (recorded by the staff member at the counter, in the issue's community).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction

from access.scope import Scope
from appeals.models import Channel
from appeals.services import appeal_submit
from areas.models import Area
from audit.models import record
from cobuilding.scope import keeps_structure
from councils.models import Council, Decision, DecisionEvent, FollowUp, Issue, Meeting, MeetingEvent, Seat
from councils.scope import councils, keeps_council, may_finish_decision
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from linli.steps import Loop
from people.models import Person
from projects.models import Project
from projects.services import project_create
from units.models import Unit

MS, DS = Meeting.Status, Decision.Status
MEETINGS: Loop[Meeting] = Loop(
    model=Meeting,
    noun="会议",
    transitions={
        "hold": (MS.PLANNED,),
        "cancel": (MS.PLANNED,),
        "decide": (MS.HELD,),
        "follow_up": (MS.HELD,),
    },
    labels={"hold": "召开", "cancel": "取消", "decide": "作出决议", "follow_up": "跟踪决议"},
    event_model=MeetingEvent,
    event_fk="meeting",
    related=("council__area",),
    key="meeting",
)
DECISIONS: Loop[Decision] = Loop(
    model=Decision,
    noun="决议",
    transitions={"finish": (DS.OPEN,), "follow_up": (DS.OPEN,)},
    labels={"finish": "标记落实", "follow_up": "跟踪"},
    event_model=DecisionEvent,
    event_fk="decision",
    related=("meeting__council__area",),
    key="decision",
)


def _council(user, council_id: int) -> Council:
    scope = Scope.of(user)
    council = councils(scope).filter(pk=council_id).first()
    if council is None:
        raise ValidationError({"council": "联席会议不存在"})
    if not keeps_council(scope, council):
        raise PermissionDenied(f"只有{council.area.name}的工作人员可以维护“{council.name}”")
    return council


@transaction.atomic
def council_create(
    *, user, area: Area, kind: str, name: str, convenor: Person | None = None, charter: str = ""
) -> Council:
    scope = Scope.of(user)
    if area.kind not in (Area.Kind.SUBDISTRICT, Area.Kind.COMMUNITY):
        raise ValidationError({"area": "联席会议设在街道或社区"})
    if not keeps_structure(scope, area):
        raise PermissionDenied(f"只有{area.name}的工作人员可以设立联席会议")
    if kind not in Council.Kind.values:
        raise ValidationError({"kind": "请选择类型"})
    if not name.strip():
        raise ValidationError({"name": "请填写名称"})
    if Council.objects.filter(area=area, name=name.strip()).exists():
        raise ValidationError({"name": f"{area.name}已有“{name.strip()}”"})
    council = Council.objects.create(
        area=area,
        kind=kind,
        name=name.strip()[:100],
        convenor=convenor,
        charter=charter,
        created_at=clock.now(),
    )
    record(
        actor=user, action="create", obj=council, summary=f"设立{council.get_kind_display()} {council.name}"
    )
    return council


@transaction.atomic
def seat_add(
    *, user, council_id: int, unit: Unit | None = None, person: Person | None = None, post: str = ""
) -> Seat:
    council = _council(user, council_id)
    if (unit is None) == (person is None):
        raise ValidationError({"unit": "请选择一个成员单位或一名成员"})
    if council.seats.filter(unit=unit, person=person).exists():
        raise ValidationError({"unit": f"{unit or person} 已是成员"})
    seat = Seat.objects.create(
        council=council, unit=unit, person=person, post=post[:40], joined_on=clock.now().date()
    )
    record(actor=user, action="create", obj=seat, summary=f"{council.name} 增加成员 {seat}")
    return seat


@transaction.atomic
def meeting_schedule(
    *, user, council_id: int, title: str, scheduled_at: datetime, place: str = ""
) -> Meeting:
    council = _council(user, council_id)
    if not title.strip():
        raise ValidationError({"title": "请填写会议名称"})
    meeting = Meeting.objects.create(
        council=council, title=title.strip()[:120], scheduled_at=scheduled_at, place=place[:120]
    )
    MEETINGS.record(
        meeting, user=user, action="schedule", from_state="", note=f"{scheduled_at:%Y-%m-%d %H:%M}"
    )
    return meeting


def _keeper_of_meeting(user):
    return lambda m: keeps_council(Scope.of(user), m.council)


@transaction.atomic
def meeting_hold(*, user, meeting_id: int, minutes: str, attendee_ids: Iterable[int] = ()) -> Meeting:
    meeting = MEETINGS.begin(meeting_id, "hold", allowed=_keeper_of_meeting(user))
    if not minutes.strip():
        raise ValidationError({"minutes": "请填写会议纪要"})
    seats = list(meeting.council.seats.filter(pk__in=list(attendee_ids)))
    before = meeting.status
    meeting.status, meeting.held_at, meeting.minutes = MS.HELD, clock.now(), minutes.strip()
    MEETINGS.save(meeting, "status", "held_at", "minutes")
    meeting.attendees.set(seats)
    MEETINGS.record(meeting, user=user, action="hold", from_state=before, note=f"出席 {len(seats)} 位成员")
    return meeting


@transaction.atomic
def meeting_cancel(*, user, meeting_id: int, reason: str) -> Meeting:
    meeting = MEETINGS.begin(meeting_id, "cancel", allowed=_keeper_of_meeting(user))
    if not reason.strip():
        raise ValidationError({"reason": "请填写取消原因"})
    before = meeting.status
    meeting.status = MS.CANCELLED
    MEETINGS.save(meeting, "status")
    MEETINGS.record(meeting, user=user, action="cancel", from_state=before, note=reason.strip())
    return meeting


@transaction.atomic
def issue_raise(
    *,
    user,
    council_id: int,
    title: str,
    description: str = "",
    community: Area | None = None,
    raised_by: Seat | None = None,
) -> Issue:
    council = _council(user, council_id)
    if not title.strip():
        raise ValidationError({"title": "请填写议题"})
    if council.area.kind == Area.Kind.COMMUNITY:
        community = community or council.area
    if community is not None and (
        community.kind != Area.Kind.COMMUNITY or not community.path.startswith(council.area.path)
    ):
        raise ValidationError({"community": f"请选择{council.area.name}内的社区"})
    if raised_by is not None and raised_by.council_id != council.pk:
        raise ValidationError({"raised_by": "提出成员须是本会议成员"})
    issue = Issue.objects.create(
        council=council,
        title=title.strip()[:120],
        description=description.strip(),
        community=community,
        raised_by=raised_by,
        raised_at=clock.now(),
    )
    record(actor=user, action="create", obj=issue, summary=f"{council.name} 议题：{issue.title}")
    return issue


@transaction.atomic
def decision_take(
    *,
    user,
    meeting_id: int,
    issue_id: int,
    kind: str,
    text: str,
    due: date,
    owner_unit: Unit | None = None,
    owner_person: Person | None = None,
    budget_fen: int = 0,
) -> Decision:
    """A held meeting decides on an open issue of its council; a project or an appeal is made at once."""
    meeting = MEETINGS.begin(meeting_id, "decide", allowed=_keeper_of_meeting(user))
    issue = Issue.objects.select_for_update().filter(pk=issue_id, council=meeting.council).first()
    if issue is None:
        raise ValidationError({"issue": "议题不在本会议的议题清单上"})
    if issue.status == Issue.Status.DROPPED:
        raise TransitionError("该议题已不予议定（可能已被他人处理，请刷新）")
    errors: dict[str, str] = {}
    if kind not in Decision.Kind.values:
        errors["kind"] = "请选择落实方式"
    if not text.strip():
        errors["text"] = "请填写决议内容"
    if owner_unit is None and owner_person is None:
        errors["owner_unit"] = "请指定责任单位或责任人"
    if due < meeting.scheduled_at.date():
        errors["due"] = "完成时限不能早于会议日期"
    if kind in (Decision.Kind.PROJECT, Decision.Kind.APPEAL) and issue.community is None:
        errors["kind"] = "立项或转为诉求须先确定议题涉及的社区"
    if errors:
        raise ValidationError(errors)
    decision = Decision(
        meeting=meeting,
        issue=issue,
        kind=kind,
        text=text.strip()[:300],
        owner_unit=owner_unit,
        owner_person=owner_person,
        due=due,
        created_by=user,
    )
    body = f"{meeting.council.name}《{meeting.title}》决议：{decision.text}\n议题：{issue.title}\n{issue.description}"
    if kind == Decision.Kind.PROJECT and issue.community is not None:
        decision.project = project_create(
            user=user,
            community=issue.community,
            kind=Project.Kind.CO_BUILDING,
            title=issue.title,
            description=body,
            budget_fen=budget_fen,
        )
    elif kind == Decision.Kind.APPEAL and issue.community is not None:
        decision.appeal = appeal_submit(
            user=user, title=issue.title, body=body, channel=Channel.COUNTER, community=issue.community
        )
    decision.save()
    if issue.status != Issue.Status.DECIDED:
        issue.status, issue.meeting = Issue.Status.DECIDED, meeting
        issue.save(update_fields=["status", "meeting"])
    DECISIONS.record(decision, user=user, action="decide", from_state="", note=decision.text)
    return decision


@transaction.atomic
def decision_finish(*, user, decision_id: int, note: str) -> Decision:
    decision = DECISIONS.begin(
        decision_id, "finish", allowed=lambda d: may_finish_decision(Scope.of(user), d)
    )
    if not note.strip():
        raise ValidationError({"note": "请填写落实情况"})
    before = decision.status
    decision.status, decision.done_at = DS.DONE, clock.now()
    DECISIONS.save(decision, "status", "done_at")
    DECISIONS.record(decision, user=user, action="finish", from_state=before, note=note.strip())
    return decision


@transaction.atomic
def follow_up_record(*, user, meeting_id: int, decision_id: int, verdict: str, note: str) -> FollowUp:
    """The next meeting hears an open decision of an earlier one; 已落实 closes it."""
    meeting = MEETINGS.begin(meeting_id, "follow_up", allowed=_keeper_of_meeting(user))
    decision = DECISIONS.begin(decision_id, "follow_up", allowed=lambda d: True)
    if decision.meeting.council_id != meeting.council_id or decision.meeting_id == meeting.pk:
        raise ValidationError({"decision": "只能跟踪本会议以前会议的决议"})
    if verdict not in FollowUp.Verdict.values:
        raise ValidationError({"verdict": "请选择进展"})
    if not note.strip():
        raise ValidationError({"note": "请填写情况"})
    if FollowUp.objects.filter(decision=decision, meeting=meeting).exists():
        raise TransitionError("本次会议已跟踪过该决议（可能已被他人处理，请刷新）")
    follow_up = FollowUp.objects.create(
        decision=decision, meeting=meeting, verdict=verdict, note=note.strip()[:300]
    )
    if verdict == FollowUp.Verdict.DONE:
        decision.status, decision.done_at = DS.DONE, clock.now()
        DECISIONS.save(decision, "status", "done_at")
    DECISIONS.record(
        decision, user=user, action="follow_up", from_state=DS.OPEN, note=f"{meeting.title}：{follow_up.note}"
    )
    return follow_up
