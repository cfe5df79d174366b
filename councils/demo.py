"""联席会议与党建联盟: the demo district's records, made through the services.

Each subdistrict has a 党建联席会议 with its communities' co-building units as members; the main community has a
党建联盟 too. Each met in September and in November: the September meeting decided issues (a project, an appeal,
a task), the November meeting followed them up; December's meeting is planned, with an open issue on its list.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from areas.models import Area
from cobuilding.models import Agreement
from councils.liaisons import liaison_assign
from councils.models import Council
from councils.services import (
    council_create,
    decision_take,
    follow_up_record,
    issue_raise,
    meeting_hold,
    meeting_schedule,
    seat_add,
)
from linli import clock
from people.models import Person
from units.models import PartyOrg, Unit

TZ = ZoneInfo("Asia/Shanghai")
ISSUES = [
    ("老旧小区雨污分流改造", "雨季多处积水，居民反映强烈", "project"),
    ("背街小巷夜间照明不足", "多处路灯损坏，老人夜间出行不便", "appeal"),
    ("共享单车乱停放治理", "小区门口和人行道堵塞", "task"),
]


def _convenor(area: Area) -> Person | None:
    org = PartyOrg.objects.filter(area=area, unit__isnull=True).select_related("secretary").first()
    return org.secretary if org else None


def _units_of(area: Area) -> list[Unit]:
    ids = (
        Agreement.objects.filter(community__path__startswith=area.path)
        .values_list("unit", flat=True)
        .distinct()
    )
    return list(Unit.objects.filter(pk__in=ids).order_by("code")[:8])


def _one_council(admin, area: Area, kind: str, name: str, year: int) -> int:
    council = council_create(user=admin, area=area, kind=kind, name=name, convenor=_convenor(area))
    units = _units_of(area)
    for unit in units:
        seat_add(user=admin, council_id=council.pk, unit=unit, post="成员单位")
    if not units:
        return 1
    seats = list(council.seats.all())
    community = (
        area
        if area.kind == Area.Kind.COMMUNITY
        else Area.objects.filter(parent=area).order_by("path").first()
    )
    september = datetime(year, 9, 16, 15, tzinfo=TZ)
    with clock.at(september):
        meeting = meeting_schedule(
            user=admin, council_id=council.pk, title=f"{year}年第三季度会议", scheduled_at=september
        )
        issues = [
            issue_raise(
                user=admin,
                council_id=council.pk,
                title=t,
                description=d,
                community=community,
                raised_by=seats[n % len(seats)],
            )
            for n, (t, d, _) in enumerate(ISSUES)
        ]
        meeting_hold(
            user=admin,
            meeting_id=meeting.pk,
            minutes="通报上季度工作，议定以下事项。",
            attendee_ids=[s.pk for s in seats],
        )
        decisions = [
            decision_take(
                user=admin,
                meeting_id=meeting.pk,
                issue_id=issue.pk,
                kind=kind,
                text=f"{issue.title}：由{seats[n % len(seats)]}牵头落实",
                due=date(year, 11 if kind != "project" else 12, 30),
                owner_unit=seats[n % len(seats)].unit,
            )
            for n, (issue, (_, _, kind)) in enumerate(zip(issues, ISSUES, strict=True))
        ]
    november = datetime(year, 11, 18, 15, tzinfo=TZ)
    with clock.at(november):
        meeting = meeting_schedule(
            user=admin, council_id=council.pk, title=f"{year}年第四季度会议", scheduled_at=november
        )
        meeting_hold(
            user=admin,
            meeting_id=meeting.pk,
            minutes="跟踪第三季度决议落实情况。",
            attendee_ids=[s.pk for s in seats],
        )
        follow_up_record(
            user=admin,
            meeting_id=meeting.pk,
            decision_id=decisions[0].pk,
            verdict="on_track",
            note="已立项，施工队进场",
        )
        follow_up_record(
            user=admin,
            meeting_id=meeting.pk,
            decision_id=decisions[2].pk,
            verdict="done",
            note="划定停放区，已落实",
        )
        issue_raise(
            user=admin,
            council_id=council.pk,
            title="冬季供暖保障",
            description="老旧楼栋暖气不热",
            community=community,
        )
    meeting_schedule(
        user=admin,
        council_id=council.pk,
        title=f"{year}年第四季度专题会",
        scheduled_at=datetime(year, 12, 16, 15, tzinfo=TZ),
    )
    return 1


def _liaisons(admin) -> int:
    """A 人大代表 for every community and a 政协委员 for every other one, with their monthly contact day."""
    made = 0
    days = ["每月第一个周三上午", "每月第二个周五下午", "每月第三个周二上午"]
    communities = Area.objects.filter(kind=Area.Kind.COMMUNITY).order_by("path")
    for n, community in enumerate(communities):
        people = list(
            Person.objects.filter(
                community=community, is_party_member=True, stewardships__isnull=True, user__isnull=True
            ).order_by("-birth_year", "id")[:2]
        )
        kinds = ["deputy", "cppcc_member"] if n % 2 == 0 else ["deputy"]
        for person, kind in zip(people, kinds, strict=False):
            liaison_assign(user=admin, person=person, kind=kind, community=community, contact_day=days[n % 3])
            made += 1
    return made


def load_demo_councils(demo: Any, stdout: TextIO | None = None) -> int:
    if Council.objects.exists():
        return 0
    admin = get_user_model().objects.filter(username="admin").first()
    year = clock.now().year
    made = 0
    with transaction.atomic():
        for subdistrict in Area.objects.filter(kind=Area.Kind.SUBDISTRICT).order_by("path"):
            made += _one_council(admin, subdistrict, "joint_meeting", f"{subdistrict.name}党建联席会议", year)
        made += _one_council(admin, demo.community, "alliance", f"{demo.community.name}党建联盟", year)
        made += _liaisons(admin)
    if stdout is not None:
        stdout.write(f"联席会议：{made} 个\n")
    return made
