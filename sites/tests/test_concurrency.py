"""Two residents ask for the same room at the same hour at the same moment: one gets it, the other hears 409.

Real concurrent connections need a server that locks rows, so this runs on PostgreSQL; on SQLite writes are
serialised by the database file lock and the test is skipped.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from linli import clock
from linli.testing import api_client as client
from linli.testing import build_world, race, two_at_once
from sites import services
from sites.models import Booking

pytestmark = two_at_once()
CST = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def w(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with clock.travel(datetime(2026, 12, 2, 9, tzinfo=CST)):
        yield build_world()


@pytest.mark.parametrize("round_", range(3))
def test_two_residents_book_one_room_at_once(w, round_):
    site = services.site_create(
        user=w.community, community=w.c1, kind="center", name=f"中心{round_}", address="幸福路 1 号",
        hours=[(3, time(8), time(18), False)], rooms=[("活动室", 30)],
    )  # fmt: skip
    room = site.rooms.get()
    body = {
        "site": site.pk, "kind": "room", "room": room.pk, "purpose": "议事", "attendees": 10,
        "starts_at": datetime(2026, 12, 3, 14, tzinfo=CST).isoformat(),
        "ends_at": datetime(2026, 12, 3, 15, tzinfo=CST).isoformat(),
    }  # fmt: skip
    codes = race(
        [
            lambda: client(w.resident).post("/api/site-bookings/", body, format="json").status_code,
            lambda: client(w.buildinghead).post("/api/site-bookings/", body, format="json").status_code,
        ]
    )
    assert sorted(codes) == [201, 409]
    assert Booking.objects.filter(room=room).count() == 1
