"""A request filed through Open311 goes round the whole appeal loop in Linli, and the client follows it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import Client

from appeals import services
from appeals.models import Appeal
from open311 import w3c
from open311.tests.spec import check_json, check_xml

CST = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=CST)


def follow(service_request_id: str, fmt: str = "json") -> dict:
    response = Client().get(f"/open311/v2/requests/{service_request_id}.{fmt}")
    assert response.status_code == 200
    [got] = (
        check_json("requests", response.content) if fmt == "json" else check_xml("requests", response.content)
    )
    return got


def test_filed_dispatched_accepted_completed_then_closed_with_notes(o311, world, clock_at):
    # Given a request filed by the 12345 client on Monday morning
    clock_at(MONDAY)
    lat, long = o311.inside_g1a
    filed = o311.post(
        Client(),
        service_code="HJBH-LJQY",
        lat=lat,
        long=long,
        description="小区东门垃圾堆放",
        first_name="建国",
        last_name="张",
        phone="13811112222",
        **{"attribute[bin_type]": "other"},
    ).json()[0]
    rid = filed["service_request_id"]
    appeal = Appeal.objects.get(pk=rid)
    assert not appeal.is_anonymous and follow(rid)["status"] == "open"

    # When the community dispatches it to the property manager, which accepts and completes it
    clock_at(MONDAY + timedelta(hours=1))
    services.appeal_dispatch(user=world.community, appeal_id=appeal.pk, unit=world.pm1)
    dispatched = follow(rid)
    appeal.refresh_from_db()
    assert dispatched["status"] == "open" and dispatched["status_notes"] == "已派单至幸福物业"
    assert dispatched["agency_responsible"] == "幸福物业"
    assert dispatched["expected_datetime"] == w3c.write(appeal.resolve_due)
    assert dispatched["expected_datetime"].startswith("2026-11-18T10:00")  # 2 working days (垃圾清运)

    clock_at(MONDAY + timedelta(hours=2))
    services.appeal_accept(user=world.unit, appeal_id=appeal.pk)
    assert follow(rid, "xml")["status_notes"] == "幸福物业已接单，正在办理"

    clock_at(MONDAY + timedelta(hours=5))
    services.appeal_supervise(user=world.community, appeal_id=appeal.pk, note="抓紧，居民反映多次")
    assert follow(rid)["status_notes"] == "幸福物业已接单，正在办理"  # supervision is internal
    services.appeal_complete(user=world.unit, appeal_id=appeal.pk, report="已清运 3 车，增设一个垃圾桶")

    # Then the client sees it closed, with the handling report as its notes
    for fmt in ("json", "xml"):
        done = follow(rid, fmt)
        assert done["status"] == "closed"
        assert done["status_notes"] == "已办结：已清运 3 车，增设一个垃圾桶"
        # (the travelled clock runs on: compare to the minute)
        assert done["updated_datetime"][:16] + done["updated_datetime"][19:] == "2026-11-16T14:00+08:00"
        assert done["requested_datetime"][:16] + done["requested_datetime"][19:] == "2026-11-16T09:00+08:00"
        assert "张" not in str(done) and "13811112222" not in str(done)
    listed = Client().get("/open311/v2/requests.json?status=closed").json()
    assert [r["service_request_id"] for r in listed] == [rid]


def test_an_unsatisfied_rating_opens_it_again(o311, world, clock_at):
    clock_at(MONDAY)
    lat, long = o311.inside_g1a
    rid = o311.post(Client(), service_code="HJBH-ZYRM", lat=lat, long=long, description="夜间施工").json()[0][
        "service_request_id"
    ]
    services.appeal_dispatch(user=world.community, appeal_id=int(rid), unit=world.pm1)
    services.appeal_accept(user=world.unit, appeal_id=int(rid))
    services.appeal_complete(user=world.unit, appeal_id=int(rid), report="已劝停")
    assert follow(rid)["status"] == "closed"
    services.appeal_rate(
        user=world.community,
        appeal_id=int(rid),
        resolved=False,
        satisfaction="unsatisfied",
        comment="还在施工",
    )
    reopened = follow(rid)
    assert reopened["status"] == "open" and reopened["status_notes"] == "重新办理"
