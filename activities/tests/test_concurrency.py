"""Two residents take the last place at once: one gets it, the other hears 409 (名额已满).

Runs on PostgreSQL (row locks, real connections); on SQLite it is skipped.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from activities import services
from activities.models import Attendance
from linli import clock
from linli.testing import api_client as client
from linli.testing import build_world, race, two_at_once

pytestmark = two_at_once()
CST = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def w(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with clock.travel(datetime(2026, 12, 2, 9, tzinfo=CST)):
        yield build_world()


@pytest.mark.parametrize("round_", range(3))
def test_two_residents_take_the_last_place_at_once(w, round_):
    activity = services.activity_plan(
        user=w.community, community=w.c1, kind="party_lesson", title=f"微党课 {round_}", cap=1,
        starts_at=datetime(2026, 12, 3, 14, tzinfo=CST), ends_at=datetime(2026, 12, 3, 15, tzinfo=CST),
    )  # fmt: skip
    services.activity_publish(user=w.community, activity_id=activity.pk)
    url = f"/api/activities/{activity.pk}/signup/"
    codes = race(
        [
            lambda: client(w.resident).post(url).status_code,
            lambda: client(w.partymember).post(url).status_code,
        ]
    )
    assert sorted(codes) == [201, 409]
    assert Attendance.objects.filter(activity=activity).count() == 1
