"""Two people acting on one appeal at once: exactly one wins, the other gets 409.

Real concurrent connections need a server that locks rows, so this runs on PostgreSQL (CI runs the suite
there too); on SQLite writes are serialised by the database file lock and the test is skipped.
"""

from __future__ import annotations

import pytest

from appeals import services
from appeals.models import Appeal, AppealEvent, Channel, Status
from categories.models import Category
from linli.testing import api_client as client
from linli.testing import build_world, race, two_at_once

pytestmark = two_at_once()


@pytest.fixture
def w(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_world()


def dispatched_appeal(w) -> Appeal:
    category = Category.objects.create(code="RACE", name="测试类别")
    appeal = services.appeal_submit(
        user=w.resident,
        title="并发",
        body="两人同时操作",
        channel=Channel.APP,
        category=category,
        building=w.b1a,
    )
    return services.appeal_dispatch(user=w.community, appeal_id=appeal.pk, unit=w.pm1)


@pytest.mark.parametrize("round_", range(3))
def test_two_accepts_at_once(w, round_):
    appeal = dispatched_appeal(w)
    url = f"/api/appeals/{appeal.pk}/accept/"
    codes = race([lambda: client(w.unit).post(url, {}, format="json").status_code] * 2)
    assert sorted(codes) == [200, 409]
    assert AppealEvent.objects.filter(appeal=appeal, action="accept").count() == 1
    assert Appeal.objects.get(pk=appeal.pk).status == Status.ACCEPTED


def test_accept_and_return_at_once(w):
    appeal = dispatched_appeal(w)
    base = f"/api/appeals/{appeal.pk}"
    codes = race(
        [
            lambda: client(w.unit).post(f"{base}/accept/", {}, format="json").status_code,
            lambda: (
                client(w.unit).post(f"{base}/return/", {"reason": "不归我们管"}, format="json").status_code
            ),
        ]
    )
    assert sorted(codes) == [200, 409]
    status = Appeal.objects.get(pk=appeal.pk).status
    assert status in (Status.ACCEPTED, Status.RETURNED)
    assert AppealEvent.objects.filter(appeal=appeal, action__in=["accept", "return"]).count() == 1


def test_two_ratings_at_once(w):
    appeal = dispatched_appeal(w)
    services.appeal_accept(user=w.unit, appeal_id=appeal.pk)
    services.appeal_complete(user=w.unit, appeal_id=appeal.pk, report="已修好")
    url = f"/api/appeals/{appeal.pk}/rate/"
    codes = race(
        [
            lambda: (
                client(w.resident)
                .post(url, {"resolved": True, "satisfaction": "satisfied"}, format="json")
                .status_code
            ),
            lambda: (
                client(w.gridworker)
                .post(url, {"resolved": False, "satisfaction": "unsatisfied"}, format="json")
                .status_code
            ),
        ]
    )
    assert sorted(codes) == [200, 409]
    assert AppealEvent.objects.filter(appeal=appeal, action="rate").count() == 1
