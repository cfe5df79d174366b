"""Each role's home page shows the day's work: what waits now, each count linked to the list it counts, and the
list opens with exactly that many rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from appeals import services, whistle
from appeals.models import Appeal, Channel
from appeals.supervision import supervise_overdue
from categories.models import Category
from deliberation import services as topics
from deliberation import voting
from deliberation.tests.conftest import to_voting_step
from linli import clock

T0 = datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday


def _submit(world, title: str, category, building=None) -> Appeal:
    return services.appeal_submit(
        user=world.resident, title=title, body=f"{title}，请尽快处理。", channel=Channel.APP,
        category=category, building=building or world.b1a,
    )  # fmt: skip


@pytest.fixture
def day(world):
    """幸福社区 at 09:30 on 2 December: one appeal waiting to be dispatched, one with the property manager, one due
    within hours, one overdue, one whistled to two units, one done and waiting for the resident's rating, and an
    owners' vote open to the resident."""
    category = Category.objects.create(code="WY", name="物业管理", contact_hours=4, resolve_working_days=3)
    with clock.at(T0 - timedelta(days=10)):
        late = services.appeal_dispatch(
            user=world.community, appeal_id=_submit(world, "垃圾清运不及时", category).pk, unit=world.pm1
        )
    with clock.at(T0 - timedelta(hours=1)):
        _submit(world, "路灯不亮", category)
        services.appeal_dispatch(
            user=world.community, appeal_id=_submit(world, "电梯异响", category).pk, unit=world.pm1
        )
        soon = services.appeal_dispatch(
            user=world.community, appeal_id=_submit(world, "下水道堵塞", category).pk, unit=world.pm1
        )
        whistle.appeal_whistle(
            user=world.community,
            appeal_id=_submit(world, "小区门口占道经营", category).pk,
            units=[world.pm1, world.dept],
        )
        done = services.appeal_dispatch(
            user=world.community, appeal_id=_submit(world, "楼道堆物", category).pk, unit=world.pm1
        )
        services.appeal_accept(user=world.unit, appeal_id=done.pk)
        services.appeal_complete(user=world.unit, appeal_id=done.pk, report="已清理楼道堆物。")
    Appeal.objects.filter(pk=soon.pk).update(resolve_due=T0 + timedelta(hours=5))
    supervise_overdue(now=T0)
    assert Appeal.objects.get(pk=late.pk).resolve_overdue
    with clock.at(T0 - timedelta(hours=1)):
        lift = topics.topic_create(
            user=world.community, community=world.c1, title="幸福1号楼加装电梯",
            body="六层无电梯，提议加装。", building=world.b1a, affected_parties="1 号楼全体业主",
        )  # fmt: skip
        to_voting_step(world.community, lift)
        voting.vote_open(
            user=world.community, topic_id=lift.pk, title="是否同意 1 号楼加装电梯", question="按方案加装。",
            electorate="owners", buildings=[world.b1a], matter="ordinary",
            opens_at=T0 - timedelta(hours=1), closes_at=T0 + timedelta(days=7),
        )  # fmt: skip
    return world


def rows_behind(client, url: str) -> int:
    """How many rows the list at ``url`` holds (all its pages)."""
    response = client.get(url)
    assert response.status_code == 200, url
    if "votes" in response.context:
        return len(response.context["votes"])
    return response.context["page"].paginator.count


# persona -> the tasks its home shows, with their counts in the day above
EXPECTED = {
    "gridworker": {"submitted": 1, "due_soon": 1, "overdue": 1, "summoned": 1, "completed": 1},
    "community": {"submitted": 1, "due_soon": 1, "overdue": 1, "summoned": 1, "completed": 1},
    "subdistrict": {"submitted": 1, "due_soon": 1, "overdue": 1, "summoned": 1, "completed": 1},
    "district": {"submitted": 1, "due_soon": 1, "overdue": 1, "summoned": 1, "completed": 1},
    "unit": {"dispatched": 3, "due_soon": 1, "overdue": 1, "summoned": 1},
    "resident": {"to_rate": 1, "votes": 1},
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_each_count_on_the_home_page_is_the_number_of_rows_its_link_opens(day, client_for, persona):
    client = client_for(persona)
    # given the day above; when the persona opens their home page at 09:30
    with clock.at(T0):
        response = client.get(reverse("home"))
        tasks = {t.key: t for t in response.context["tasks"]}
        html = response.content.decode()
        # then it shows the day's work with these counts, and unread messages last
        assert {k: t.count for k, t in tasks.items() if k != "unread"} == EXPECTED[persona]
        assert list(tasks)[-1] == "unread"
        # and each count opens a list of exactly that many rows
        for task in tasks.values():
            assert f'href="{task.url}"' in html.replace("&amp;", "&")
            assert rows_behind(client, task.url) == task.count, task.key


def test_the_unread_count_follows_the_inbox(day, client_for):
    client = client_for("resident")
    unread = {t.key: t for t in client.get(reverse("home")).context["tasks"]}["unread"]
    assert unread.count == day.resident.notifications.filter(read_at__isnull=True).count() > 0
    client.post(reverse("inbox-read"))
    assert {t.key: t for t in client.get(reverse("home")).context["tasks"]}["unread"].count == 0
    assert rows_behind(client, unread.url) == 0


def test_due_soon_is_defined_on_the_page_and_moves_with_the_clock(day, client_for):
    client = client_for("community")
    with clock.at(T0):
        html = client.get(reverse("home")).content.decode()
        assert "即将超时（24 小时内到办结时限、尚未超时）" in html
    # when the deadline is more than a day away (a day earlier), it is not yet due soon
    with clock.at(T0 - timedelta(days=1)):
        tasks = {t.key: t for t in client.get(reverse("home")).context["tasks"]}
        assert tasks["due_soon"].count == 0


def test_who_records_appeals_gets_the_one_tap_button(day, client_for):
    new = f'href="{reverse("appeal-new")}"'
    assert new in client_for("gridworker").get("/").content.decode()
    assert new in client_for("community").get("/").content.decode()
    assert new in client_for("resident").get("/").content.decode()
    assert new not in client_for("unit").get("/").content.decode()
    assert new not in client_for("district").get("/").content.decode()


def test_the_home_page_no_longer_shows_register_counts(day, client_for):
    html = client_for("gridworker").get("/").content.decode()
    assert "今天要办" in html
    assert "<span>楼栋</span>" not in html and "<span>网格</span>" not in html


@pytest.mark.parametrize("persona", ["community2", "gridworker2", "unit2"])
def test_work_outside_the_scope_is_not_counted(day, client_for, persona):
    # given staff of 和平社区 and its property manager; when they open their home, then 幸福社区's work is not theirs
    with clock.at(T0):
        tasks = client_for(persona).get(reverse("home")).context["tasks"]
    assert {t.key: t.count for t in tasks if t.key != "unread"} == {
        t.key: 0 for t in tasks if t.key != "unread"
    }
