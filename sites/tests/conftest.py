"""A service site in 幸福社区 (c1) with a room and a week of hours, at a fixed time (Wednesday 2 Dec 2026)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from sites import services

CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=CST)  # a Wednesday
HOURS = [
    *[(d, time(8, 30), time(17, 30), False) for d in range(5)],
    *[(d, time(18), time(20, 30), True) for d in range(5)],
    *[(d, time(9), time(12), True) for d in (5, 6)],
]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=CST)


@pytest.fixture
def site(world, clock_at):
    clock_at(NOW)
    return services.site_create(
        user=world.community,
        community=world.c1,
        grid=world.g1a,
        kind="center",
        name="幸福社区党群服务中心",
        address="幸福路 1 号",
        lat=28.21,
        lng=112.95,
        services=["老年证办理", "社保代办"],
        hours=HOURS,
        rooms=[("多功能活动室", 40), ("书画室", 12)],
    )


@pytest.fixture
def room(site):
    return site.rooms.get(name="多功能活动室")
