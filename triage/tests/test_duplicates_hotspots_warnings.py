"""Duplicates at intake, hotspots (synthetic and the command), and early warnings."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from appeals import services as appeal_services
from linli import clock
from notifications.models import Notification
from triage import hotspots, selectors
from triage.models import EarlyWarning
from triage.tests.conftest import write_csv
from triage.warnings import early_warning_scan

pytestmark = pytest.mark.django_db

LAMP = ("幸福1号楼三楼楼道灯坏了", "幸福1号楼三楼楼道灯坏了一个星期，晚上上下楼很不安全，请物业尽快修理。")


def submit(w, user, title, body, **place):
    return appeal_services.appeal_submit(user=user, title=title, body=body, channel="app", **place)


def test_a_similar_recent_open_appeal_nearby_is_found(world):
    # given an earlier appeal about the broken corridor lamp in the same grid
    first = submit(world, world.resident, *LAMP, building=world.b1a)
    # and appeals that are not the same problem: other text, other community, old, closed
    other_text = submit(
        world, world.resident, "小区门口乱停车", "小区门口每天都有车乱停，堵住消防通道。", building=world.b1a
    )
    elsewhere = submit(world, world.gridworker2, *LAMP, grid=world.g2a, raised_by=world.resident_c2)
    with clock.at(timezone.now() - timedelta(days=60)):
        old = submit(world, world.resident, *LAMP, building=world.b1a)
    closed = submit(world, world.resident, *LAMP, building=world.b1a)
    appeal_services.appeal_withdraw(user=world.resident, appeal_id=closed.pk)
    # when a neighbour raises the same problem in other words
    new = submit(
        world,
        world.community,
        "1号楼三楼楼道灯坏了",
        "1号楼三楼的楼道灯坏了好几天，晚上很黑，老人上下楼不安全。",
        grid=world.g1a,
        raised_by=world.neighbour_g1b,
    )
    found = selectors.duplicates_for(new)
    # then only the recent open appeal of the same place is offered
    assert [d.appeal_id for d in found] == [first.pk]
    assert found[0].same_grid and found[0].score >= 0.3
    assert {other_text.pk, elsewhere.pk, old.pk, closed.pk}.isdisjoint(d.appeal_id for d in found)


def test_duplicates_are_shown_to_the_resident_and_merged_by_staff(world, client_for):
    first = submit(world, world.resident, *LAMP, building=world.b1a)
    again = submit(world, world.resident, LAMP[0] + "，还没修", LAMP[1], building=world.b1a)
    resident_page = client_for("resident").get(f"/appeals/{again.pk}/").content.decode()
    assert "可能与这些诉求相同" in resident_page and "合并到此诉求" not in resident_page
    staff_page = client_for("community").get(f"/appeals/{again.pk}/").content.decode()
    assert "合并到此诉求" in staff_page and f'name="into" value="{first.pk}"' in staff_page
    response = client_for("community").post(f"/appeals/{again.pk}/merge/", {"into": first.pk})
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.status == "merged" and again.merged_into_id == first.pk


def message(i, user, title, days, likes=0, body=""):
    at = datetime(2019, 7, 1, tzinfo=timezone.get_current_timezone()) + timedelta(days=days)
    return hotspots.Message(str(i), user, title, body or title, at, likes)


def synthetic() -> list[hotspots.Message]:
    msgs = [
        message(i, f"u{i}", t, i, likes=i)
        for i, t in enumerate(
            [
                "A5区魅力之城小区临街门面油烟扰民",
                "魅力之城小区楼下烧烤油烟太大",
                "投诉A5区魅力之城小区一楼夜宵摊油烟污染",
                "A5区魅力之城小区门面油烟直排，晚上无法开窗",
                "魅力之城小区油烟扰民问题何时解决",
            ]
        )
    ]
    msgs += [
        message(10 + i, f"v{i}", t, 20 + i)
        for i, t in enumerate(
            ["A3区润芳园小区临街门面油烟扰民", "润芳园小区临街餐馆油烟扰民", "A3区润芳园小区油烟污染严重"]
        )
    ]
    msgs += [
        message(20 + i, "w", "丽发新城搅拌站噪音扰民", 40 + i) for i in range(6)
    ]  # one person, six times
    msgs += [message(30, "x", "咨询人才购房补贴", 3), message(31, "y", "公交车到站不停", 5)]
    return msgs


def test_hotspots_group_by_topic_place_and_time():
    found = hotspots.find(synthetic())
    # the two estates' fume problems are two hotspots; one person's six messages are none
    assert [len(h.members) for h in found] == [5, 3]
    assert "魅力之城" in found[0].place and "润芳园" in found[1].place
    assert found[0].people == 5 and found[0].heat > found[1].heat
    assert found[0].start < found[0].end


def test_a_copy_of_a_board_message_under_another_account_counts_once():
    msgs = synthetic()
    original = msgs[0]
    # filed again in the same second under a new account, one word masked otherwise: a copy, not a sixth resident
    copy = hotspots.Message(
        "360100", "A324156", original.title.replace("A5区", "A市"), original.body, original.at, 4
    )
    # the same text another day is the same person raising it again: a message, not a copy
    again = hotspots.Message(
        "99", original.user, original.title, original.body, original.at + timedelta(days=9)
    )
    found = hotspots.find(hotspots.without_copies([*msgs, copy, again]))
    ids = {m.id for m in found[0].members}
    assert "360100" not in ids and {"0", "99"} <= ids
    assert len(found[0].members) == 6 and found[0].people == 5
    assert next(m for m in found[0].members if m.id == "0").support == original.support + 4
    assert original.support == 0  # the caller's messages are left as they were
    # appeals in the database are not passed through it: two residents may send the same words at once
    assert len(hotspots.find([*msgs, copy, again])[0].members) == 7


def test_hotspots_command_prints_the_table(tmp_path):
    rows = [[m.id, m.user, m.title, m.at.isoformat(), m.body, m.support, 0] for m in synthetic()]
    data = write_csv(
        tmp_path / "m.csv", ["id", "user", "title", "submitted_at", "body", "likes", "dislikes"], rows
    )
    out = io.StringIO()
    call_command("hotspots", "--csv", str(data), "--top", "1", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[0].split("\t")[:6] == ["排名", "热度", "时间范围", "地点", "问题描述", "留言数"]
    assert len(lines) == 2 and lines[1].startswith("1\t") and "魅力之城" in lines[1]
    bad = write_csv(tmp_path / "bad.csv", ["title"], [["x"]])
    with pytest.raises(CommandError, match="缺少列"):
        call_command("hotspots", "--csv", str(bad))


def test_hotspots_page_and_api_show_appeals_in_scope(world, client_for, api_client_for):
    submit(
        world,
        world.resident,
        "幸福1号楼电梯又坏了",
        "幸福1号楼电梯又坏了，老人上下楼困难",
        building=world.b1a,
    )
    submit(
        world,
        world.community,
        "幸福1号楼的电梯坏了好几天",
        "幸福1号楼的电梯坏了好几天，老人上下楼困难",
        building=world.b1a,
        raised_by=world.neighbour_g1b,
    )
    body = api_client_for("community").get("/api/hotspots/").json()
    assert len(body) == 1 and body[0]["people"] == 2 and body[0]["appeals"] == 2
    assert api_client_for("community2").get("/api/hotspots/").json() == []
    assert api_client_for("resident").get("/api/hotspots/").status_code == 403
    assert api_client_for("community").get("/api/hotspots/?days=x").status_code == 400
    page = client_for("community").get("/triage/hotspots/").content.decode()
    assert "电梯" in page and "热点问题" in page
    assert client_for("resident").get("/triage/hotspots/").status_code == 403


def test_a_grid_far_above_its_baseline_is_flagged_once(world):
    now = timezone.now()
    # given one appeal a week in g1a for eight weeks, then nine this week
    for week in range(1, 9):
        with clock.at(now - timedelta(weeks=week, hours=1)):
            submit(world, world.resident, f"第{week}周的问题", "楼道杂物", building=world.b1a)
    for i in range(9):
        with clock.at(now - timedelta(hours=i + 1)):
            submit(world, world.resident, f"本周问题{i}", "楼道杂物", building=world.b1a)
    Notification.objects.all().delete()
    # when the scan runs (twice)
    created = early_warning_scan(now=now)
    assert early_warning_scan(now=now) == []
    # then g1a is flagged once, its staff above are told, and c2's staff are not
    assert [(w.kind, w.area, w.count) for w in created] == [("grid", world.g1a, 9)]
    assert EarlyWarning.objects.count() == 1 and created[0].baseline == 1.0
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert {"community", "subdistrict"} <= told and "community2" not in told
