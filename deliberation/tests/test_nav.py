"""The menu lights the section a page belongs to, on its sub-pages too: a topic, a meeting, a vote and the notice
board's management page are all 议事; an appeal is 诉求 for staff and 我的诉求 for its resident."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from appeals.models import Channel
from appeals.services import appeal_submit
from deliberation import meetings, services, voting
from deliberation.tests.conftest import to_voting_step

pytestmark = pytest.mark.django_db

CURRENT = re.compile(r'<nav class="nav"[^>]*>(.*?)</nav>', re.S)


def lit(client, url: str) -> list[str]:
    """The labels of the menu items marked as the current page."""
    response = client.get(url)
    assert response.status_code == 200, url
    nav = CURRENT.search(response.content.decode())
    assert nav is not None
    return re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', nav.group(1))


@pytest.fixture
def pages(world):
    topic = services.topic_create(user=world.community, community=world.c1, title="加装电梯", body="…")
    meeting = meetings.meeting_schedule(
        user=world.community, topic_id=topic.pk, form="bench_talk", title="恳谈会", place="楼下",
        starts_at=timezone.now(), convenor=world.community_person,
    )  # fmt: skip
    to_voting_step(world.community, topic)
    vote = voting.vote_open(
        user=world.community, topic_id=topic.pk, title="是否加装", question="…", electorate="residents",
        opens_at=timezone.now() - timedelta(minutes=1), closes_at=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    appeal = appeal_submit(
        user=world.resident, title="路灯坏了", body="…", channel=Channel.APP, building=world.b1a
    )
    return {"topic": topic, "meeting": meeting, "vote": vote, "appeal": appeal}


def test_staff_see_yishi_lit_on_every_deliberation_page(world, pages, client_for):
    staff = client_for("community")
    for url in (
        "/deliberation/",
        f"/deliberation/topics/{pages['topic'].pk}/",
        f"/deliberation/meetings/{pages['meeting'].pk}/",
        f"/deliberation/votes/{pages['vote'].pk}/",
        f"/community/{world.c1.code}/manage/",
    ):
        assert lit(staff, url) == ["议事"], url


def test_residents_see_yishi_biaojue_lit_on_a_topic_and_a_vote(world, pages, client_for):
    resident = client_for("resident")
    for url in (
        "/deliberation/",
        f"/deliberation/topics/{pages['topic'].pk}/",
        f"/deliberation/votes/{pages['vote'].pk}/",
    ):
        assert lit(resident, url) == ["议事·表决"], url


def test_other_sections_keep_their_highlight(world, pages, client_for):
    appeal = pages["appeal"].pk
    staff = client_for("community")
    assert lit(staff, "/") == ["首页"]
    assert lit(staff, f"/appeals/{appeal}/") == ["诉求"]
    assert lit(staff, f"/areas/{world.c1.pk}/") == ["区域"]
    assert lit(staff, f"/people/{world.resident_person.pk}/") == ["人员"]
    resident = client_for("resident")
    assert lit(resident, "/appeals/new/") == ["我要反映"]
    assert lit(resident, "/appeals/mine/") == ["我的诉求"]
    assert lit(resident, f"/appeals/{appeal}/") == ["我的诉求"]
    # a page of no section lights nothing
    assert lit(resident, f"/community/{world.c1.code}/") == []
