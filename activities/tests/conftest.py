"""An activity of 幸福社区 (c1) published to its residents, on Thursday 3 Dec 2026, 14:00–16:00."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from activities import services

CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=CST)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=CST)


@pytest.fixture
def planned(world, clock_at):
    clock_at(NOW)
    return services.activity_plan(
        user=world.community,
        community=world.c1,
        kind="moral",
        title="道德讲堂：孝老爱亲",
        starts_at=at(3, 14),
        ends_at=at(3, 16),
        place="社区党群服务中心",
        organiser="王老师",
        unit=world.pm1,
        cap=2,
    )


@pytest.fixture
def activity(world, planned):
    return services.activity_publish(user=world.community, activity_id=planned.pk)
