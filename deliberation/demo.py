"""Demo deliberations in the main demo community, replayed through the services at their own dates.

- 停车位划线 (五议工作法), finished two weeks ago: every step, meetings of 1+6+X, tasks, result, feedback, ratings.
- 加装电梯 for the building the demo ``building`` head looks after (146 six steps): published, an objection
  answered, a 居民议事会 held, and an owners' vote open now (Civil Code art. 278, ordinary matter) with some paper
  ballots in; the demo ``resident`` (an owner there) has not voted yet, so she can on her phone.

Idempotent: nothing is done when the community already has topics.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from access.models import Role, RoleAssignment
from areas.models import Area, Building
from deliberation import implementation, meetings, services, voting
from deliberation.models import Meeting, Party, Topic
from deliberation.processes import ensure_templates
from linli import clock
from notices.services import objection_answer, objection_raise
from people.models import HouseholdMember
from units.models import Unit

User = get_user_model()

SIX = {
    Party.TWO_COMMITTEES: "社区两委 吴丽华、李卫东",
    Party.SUPERVISORY: "监委会 张国强",
    Party.PROPERTY: "物业 赵海涛",
    Party.LEGAL: "法律顾问 王律师",
    Party.CO_BUILDING: "共建单位 区住建局",
    Party.RESIDENT_REP: "居民代表 马德胜",
}


def _at(moment: datetime, step, *args, **kwargs):
    with clock.at(moment):
        return step(*args, **kwargs)


def _meeting(
    staff, topic: Topic, when: datetime, form: str, title: str, minutes: str, decision: str = "", x: str = ""
):
    convenor = staff.person
    meeting = _at(
        when - timedelta(days=2), meetings.meeting_schedule, user=staff, topic_id=topic.pk, form=form, title=title,
        place="社区居民议事厅", starts_at=when, convenor=convenor,
    )  # fmt: skip
    parties = (
        dict(SIX)
        if form != Meeting.Form.TWO_COMMITTEES
        else {Party.TWO_COMMITTEES: SIX[Party.TWO_COMMITTEES]}
    )
    if form != Meeting.Form.TWO_COMMITTEES:
        parties[Party.AFFECTED] = x or "相关楼栋住户代表"
    for party, name in parties.items():
        _at(
            when - timedelta(days=1),
            meetings.meeting_invite,
            user=staff,
            meeting_id=meeting.pk,
            party=party,
            name=name,
        )
    ids = list(meeting.participants.values_list("pk", flat=True))
    _at(
        when + timedelta(hours=2),
        meetings.meeting_record_attendance,
        user=staff,
        meeting_id=meeting.pk,
        attended_ids=ids,
    )
    _at(when + timedelta(hours=3), meetings.meeting_record_minutes, user=staff, meeting_id=meeting.pk,
        minutes=minutes, decision=decision)  # fmt: skip
    return meeting


def _parking(staff, community: Area, now: datetime) -> Topic:
    t = now - timedelta(days=60)
    topic = _at(t, services.topic_create, user=staff, community=community, title="小区停车位划线",
                body="小区车辆乱停，消防通道常被占用。党支部提议在小区内统一施划停车位，明确消防通道。",
                template_code="5yi", affected_parties="有车住户、一楼住户")  # fmt: skip
    advance = services.topic_advance
    _at(t + timedelta(days=1), advance, user=staff, topic_id=topic.pk)
    _meeting(staff, topic, t + timedelta(days=3), Meeting.Form.TWO_COMMITTEES, "两委会议：停车位方案",
             "两委商议，初定划线 86 个车位，保留两条消防通道。")  # fmt: skip
    _at(t + timedelta(days=4), advance, user=staff, topic_id=topic.pk)
    _at(t + timedelta(days=4, hours=1), services.topic_publish_notice, user=staff, topic_id=topic.pk, kind="topic",
        body="拟在小区内施划停车位 86 个，保留两条消防通道，方案图张贴于各单元门口。", days=5)  # fmt: skip
    _meeting(staff, topic, t + timedelta(days=10), Meeting.Form.BENCH_TALK, "小板凳恳谈会：停车位怎么划",
             "住户提出增设非机动车停放区，一楼住户要求窗前不设车位。", x="有车住户、一楼住户")  # fmt: skip
    _at(t + timedelta(days=11), advance, user=staff, topic_id=topic.pk)
    _meeting(staff, topic, t + timedelta(days=14), Meeting.Form.RESIDENTS_COUNCIL, "居民议事会：停车位方案决议",
             "居民代表表决通过修改后的方案。", decision="按修改后方案施划 80 个车位和非机动车停放区，一楼窗前不设车位",
             x="有车住户、一楼住户")  # fmt: skip
    _at(t + timedelta(days=15), advance, user=staff, topic_id=topic.pk)
    property_manager = Unit.objects.filter(kind=Unit.Kind.PROPERTY_MANAGER, areas_served=community).first()
    task = _at(t + timedelta(days=15), implementation.task_add, user=staff, topic_id=topic.pk, title="施划停车位和消防通道标线",
               unit=property_manager, owner=None if property_manager else staff.person)  # fmt: skip
    _at(
        t + timedelta(days=30),
        implementation.task_finish,
        user=staff,
        task_id=task.pk,
        report="已施划车位 80 个、消防通道 2 条",
    )
    _at(t + timedelta(days=31), services.topic_publish_notice, user=staff, topic_id=topic.pk, kind="result",
        body="停车位已施划完毕：机动车位 80 个，非机动车停放区 2 处，消防通道 2 条。", days=7)  # fmt: skip
    _at(t + timedelta(days=38), implementation.feedback_report, user=staff, topic_id=topic.pk,
        body="划线后消防通道畅通，乱停车明显减少。欢迎居民继续监督。")  # fmt: skip
    owners = HouseholdMember.objects.filter(
        household__building__grid__path__startswith=community.path, person__user__isnull=False
    ).select_related("person__user")[:3]
    for m, rating in zip(owners, ["satisfied", "basically_satisfied", "satisfied"], strict=False):
        if m.person.user is not None and m.person.user.username != "resident":
            _at(
                t + timedelta(days=40),
                implementation.topic_evaluate,
                user=m.person.user,
                topic_id=topic.pk,
                rating=rating,
            )
    _at(t + timedelta(days=45), advance, user=staff, topic_id=topic.pk)
    return topic


def _lift(staff, community: Area, building: Building, now: datetime) -> Topic:
    t = now - timedelta(days=20)
    topic = _at(t, services.topic_create, user=staff, community=community, building=building,
                title=f"{building.name}加装电梯",
                body=f"{building.name}是老旧多层住宅，没有电梯，老年住户上下楼困难。居民提议加装电梯，费用按楼层分摊，申请政府补贴。",
                affected_parties=f"{building.name}全体业主、一楼住户")  # fmt: skip
    _at(t + timedelta(hours=2), services.topic_advance, user=staff, topic_id=topic.pk)
    notice = _at(t + timedelta(hours=3), services.topic_publish_notice, user=staff, topic_id=topic.pk, kind="topic",
                 body=f"拟为{building.name}加装电梯一部，方案和费用分摊办法见附件，公示期内可提出异议。", days=7)  # fmt: skip
    resident = User.objects.filter(username="resident").first()
    if resident is not None:
        objection = _at(t + timedelta(days=2), objection_raise, user=resident, notice_id=notice.pk,
                        body="一楼住户不用电梯，是否也要分摊费用？")  # fmt: skip
        _at(t + timedelta(days=3), objection_answer, user=staff, objection_id=objection.pk,
            answer="一楼住户不分摊建设费用，采光影响将按方案给予补偿。")  # fmt: skip
    _at(t + timedelta(days=8), services.topic_advance, user=staff, topic_id=topic.pk)
    _meeting(staff, topic, t + timedelta(days=12), Meeting.Form.RESIDENTS_COUNCIL, f"居民议事会：{building.name}加装电梯",
             "各方同意加装电梯方案，物业负责日后维保，法律顾问说明须经业主共同决定。",
             x=f"{building.name}一楼住户、高层住户")  # fmt: skip
    vote = _at(now - timedelta(days=1), voting.vote_open, user=staff, topic_id=topic.pk,
               title=f"是否同意{building.name}加装电梯",
               question="按公示方案加装电梯一部，建设费用扣除补贴后按楼层系数分摊。请每户业主投票。",
               electorate="owners", buildings=[building], matter="ordinary",
               opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=6))  # fmt: skip
    agree = vote.options.get(label="同意").pk
    taken = {"resident", "building"}
    paper = (
        HouseholdMember.objects.filter(household__building=building, is_owner=True)
        .exclude(person__user__username__in=taken)
        .select_related("household")
        .order_by("household__number")
    )
    seen: set[int] = set()
    for m in paper:
        if m.household_id in seen or len(seen) >= 2:
            continue
        seen.add(m.household_id)
        _at(now - timedelta(hours=20), voting.vote_enter_paper, user=staff, vote_id=vote.pk, household=m.household,
            option_id=agree)  # fmt: skip
    return topic


def load_demo_deliberation(demo: Any, stdout: TextIO | None = None) -> int:
    community: Area = demo.community
    if Topic.objects.filter(community=community).exists():
        return 0
    staff = User.objects.filter(username="community").first()
    head = RoleAssignment.objects.filter(user__username="building", role=Role.BUILDING_HEAD).first()
    if staff is None or head is None or head.building is None:
        return 0
    ensure_templates()
    now = clock.now()
    with transaction.atomic():
        _parking(staff, community, now)
        _lift(staff, community, head.building, now)
    if stdout is not None:
        stdout.write(f"  协商议事 deliberation: 2 个议题 in {community.name}\n")
    return 2
