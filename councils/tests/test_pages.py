"""The council pages: staff hold a meeting, decide an issue into a project, and see it on the area page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from councils.models import Decision, Meeting
from councils.services import council_create, issue_raise, seat_add

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def test_staff_hold_a_meeting_and_decide_on_the_page(world, client_for, clock_at):
    clock_at(datetime(2026, 9, 15, 9, tzinfo=TZ))
    w = world
    council = council_create(user=w.community, area=w.c1, kind="alliance", name="幸福党建联盟")
    seat = seat_add(user=w.community, council_id=council.pk, unit=w.pm1)
    issue = issue_raise(user=w.community, council_id=council.pk, title="楼道堆物清理")
    client = client_for("community")
    client.post(
        f"/councils/{council.pk}/meeting/",
        {"title": "九月例会", "scheduled_at": "2026-09-15T15:00", "place": "社区会议室"},
    )
    meeting = Meeting.objects.get(title="九月例会")
    page = client.get(f"/councils/meetings/{meeting.pk}/").content.decode()
    assert "召开会议" in page and "楼道堆物清理" in page
    client.post(f"/councils/meetings/{meeting.pk}/hold/", {"minutes": "议定清理方案", "attendees": [seat.pk]})
    response = client.post(
        f"/councils/meetings/{meeting.pk}/decide/",
        {"issue": issue.pk, "kind": "project", "text": "立项清理", "due": "2026-10-31", "owner": seat.pk},
        follow=True,
    )
    decision = Decision.objects.get(issue=issue)
    assert decision.project is not None and decision.owner_unit == w.pm1
    assert f"项目 #{decision.project_id}" in response.content.decode()
    # a second hold is refused with the reason on the page
    again = client.post(
        f"/councils/meetings/{meeting.pk}/hold/", {"minutes": "x"}, follow=True
    ).content.decode()
    assert "不能召开" in again
    area_page = client.get(f"/areas/{w.c1.pk}/").content.decode()
    assert 'id="councils"' in area_page and "幸福党建联盟" in area_page
    assert client_for("community2").get(f"/councils/{council.pk}/").status_code == 404
    assert client_for("resident").get(f"/councils/meetings/{meeting.pk}/").status_code == 404
