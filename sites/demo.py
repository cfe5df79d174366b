"""党群服务阵地 in the demo community: a 党群服务中心 with rooms and 延时 hours, a 党群服务站 in two grids and a
居民说事点, then a year of bookings and 代办/预约 services made through the services at their own dates (so
every event row, every 延时 flag and every figure is what a year of real use would leave). Idempotent."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from areas.models import Area
from linli import clock
from linli.errors import TransitionError, ValidationError
from people.models import Person
from sites import ledger, services
from sites.models import ServiceSite
from sites.selectors import shape_centre

SEED = 529  # 529 grids in the seeds
WEEKDAY = [(d, time(8, 30), time(17, 30), False) for d in range(5)]
EVENINGS = [(d, time(18), time(20, 30), True) for d in range(5)]
WEEKEND = [(d, time(9), time(12), True) for d in (5, 6)]
ERRANDS = [
    "社保卡代办",
    "高龄补贴申请",
    "老年证办理",
    "居住证明开具",
    "医保报销代办",
    "水电燃气代缴",
    "低保材料代报",
]
PURPOSES = [
    "楼栋议事会",
    "老年合唱排练",
    "书法兴趣小组",
    "党小组会",
    "四点半课堂",
    "志愿者培训",
    "业委会例会",
]


def _position(area: Area | None) -> tuple[Decimal | None, Decimal | None]:
    centre = shape_centre(area.shape) if area is not None else None
    if centre is None:
        return None, None
    return Decimal(f"{centre[0]:.6f}"), Decimal(f"{centre[1]:.6f}")


def _sites(community: Area, staff, duty: list[Person]) -> list[ServiceSite]:
    grids = list(Area.objects.filter(kind=Area.Kind.GRID, path__startswith=community.path).order_by("path"))
    first = grids[0] if grids else None
    lat, lng = _position(first)
    made = [
        services.site_create(
            user=staff, community=community, grid=first, kind=ServiceSite.Kind.CENTER,
            name=f"{community.name}党群服务中心", address=f"{community.name}中心路 18 号", lat=lat, lng=lng,
            phone="0731-8888 1200", services=["老年证办理", "社保卡代办", "居住证明开具", "法律咨询", "医保报销代办"],
            hours=WEEKDAY + EVENINGS + WEEKEND, rooms=[("多功能活动室", 60), ("党员活动室", 20), ("书画室", 12)],
            on_duty=duty[:3],
        )
    ]  # fmt: skip
    for n, grid in enumerate(grids[1:3], start=1):
        lat, lng = _position(grid)
        made.append(
            services.site_create(
                user=staff, community=community, grid=grid, kind=ServiceSite.Kind.STATION,
                name=f"{grid.name}党群服务站", address=f"{grid.name}{n} 号楼底商", lat=lat, lng=lng,
                services=["水电燃气代缴", "高龄补贴申请"], hours=WEEKDAY[:5] + EVENINGS[:3],
                rooms=[("议事室", 15)], on_duty=duty[3 + n : 4 + n],
            )
        )  # fmt: skip
    if len(grids) > 3:
        lat, lng = _position(grids[3])
        made.append(
            services.site_create(
                user=staff, community=community, grid=grids[3], kind=ServiceSite.Kind.TALK_POINT,
                name=f"{grids[3].name}居民说事点", address=f"{grids[3].name}小广场凉亭旁", lat=lat, lng=lng,
                hours=[(2, time(19), time(21), True), (5, time(9), time(11), True)],
            )
        )  # fmt: skip
    return made


def _slot(rng: random.Random, day: datetime) -> tuple[datetime, datetime]:
    if day.weekday() >= 5:
        start = rng.choice([9, 10])
    else:
        start = rng.choice([9, 10, 14, 15, 18, 19])
    begin = timezone.make_aware(datetime.combine(day.date(), time(start)))
    return begin, begin + timedelta(hours=1)


def _year(rng: random.Random, center: ServiceSite, staff, resident_user, residents: list[Person], now) -> int:
    rooms = list(center.rooms.all())
    made = 0
    first = (now - timedelta(days=365)).replace(hour=10, minute=0, second=0, microsecond=0)
    for week in range(52):
        monday = first + timedelta(days=7 * week - first.weekday())
        for _ in range(3):  # bookings: asked a few days ahead, confirmed (or not), then used (or not)
            day = monday + timedelta(days=rng.randrange(7))
            start, end = _slot(rng, day)
            asked = start - timedelta(days=rng.randint(2, 6), hours=3)
            person = rng.choice(residents)
            try:
                with clock.at(asked):
                    booking = services.booking_request(
                        user=staff, site_id=center.pk, kind="room", room_id=rng.choice(rooms).pk,
                        starts_at=start, ends_at=end, purpose=rng.choice(PURPOSES),
                        attendees=rng.randint(5, 12), person=person,
                    )  # fmt: skip
            except (TransitionError, ValidationError):
                continue  # the room was taken: the resident picked another day
            with clock.at(asked + timedelta(hours=2)):
                if rng.random() < 0.1:
                    services.booking_decline(
                        user=staff, booking_id=booking.pk, reason="当天该活动室已安排社区会议"
                    )
                    continue
                services.booking_confirm(user=staff, booking_id=booking.pk)
            with clock.at(end):
                if end < now:
                    step = services.booking_no_show if rng.random() < 0.07 else services.booking_attend
                    step(user=staff, booking_id=booking.pk)
            made += 1
        for _ in range(
            rng.randint(2, 5)
        ):  # 代办 and 窗口 services at the centre, some in the evening or weekend
            day = monday + timedelta(days=rng.randrange(7))
            hour = rng.choice([9, 10, 11, 14, 15, 16, 19] if day.weekday() < 5 else [9, 10, 11])
            served = timezone.make_aware(datetime.combine(day.date(), time(hour, rng.choice([0, 20, 40]))))
            if served >= now:
                continue
            with clock.at(served):
                record = ledger.record_create(
                    user=staff, site_id=center.pk, kind=rng.choice(["errand", "errand", "walk_in"]),
                    service=rng.choice(ERRANDS), person=rng.choice(residents), minutes=0,
                )  # fmt: skip
            with clock.at(served + timedelta(days=rng.randint(0, 3), hours=1)):
                if rng.random() < 0.04:
                    ledger.record_revoke(user=staff, record_id=record.pk, reason="居民材料不全，改日再办")
                else:
                    ledger.record_complete(
                        user=staff, record_id=record.pk, minutes=rng.choice([15, 20, 30, 45])
                    )
            made += 1
    # the demo resident's own appointment, coming up, waiting for staff
    day = now + timedelta(days=(2 - now.weekday()) % 7 or 7)
    begin = timezone.make_aware(datetime.combine(day.date(), time(18, 30)))
    with clock.at(now):
        services.booking_request(
            user=resident_user, site_id=center.pk, kind="appointment", service="老年证办理",
            starts_at=begin, ends_at=begin + timedelta(minutes=30), purpose="帮老伴办老年证",
        )  # fmt: skip
    return made + 1


def load_demo_sites(demo: Any, stdout: TextIO | None = None) -> int:
    community: Area = demo.community
    if ServiceSite.objects.filter(community=community).exists():
        return 0
    rng = random.Random(SEED)
    User = get_user_model()
    staff = User.objects.get(username="community")
    resident_user = User.objects.get(username="resident")
    residents = list(
        Person.objects.filter(
            memberships__household__building__grid__path__startswith=community.path, user__isnull=True
        )
        .distinct()
        .order_by("id")[:200]
    )
    now = clock.now()
    with transaction.atomic():
        with clock.at(now - timedelta(days=400)):
            sites = _sites(community, staff, [p for p in residents if p.is_party_member] or residents)
        made = _year(rng, sites[0], staff, resident_user, residents, now)
    if stdout is not None:
        stdout.write(f"  党群服务阵地 sites: {len(sites)} 个阵地, {made} 条预约和代办记录\n")
    return len(sites) + made
