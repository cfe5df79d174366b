"""Helpers for deliberation tests: a lift topic for 幸福1号楼 (b1a) in c1 and an owners' vote on it.

In the world, b1a has two flats: h1a (89.50 m², the resident, an owner) and h1a2 (120.00 m², the building head,
made an owner here). ``open_vote`` opens the vote at the topic's voting step (开展协商), where votes are held;
``to_voting_step`` takes any six-step topic there. ``later(days)`` is a moment after the vote has closed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from deliberation import services, voting
from linli import clock
from notices.models import Notice
from people.models import HouseholdMember


def to_voting_step(user, topic):
    """确定议题 done, the topic published and its week of notice over (its dates moved back, as a week passing
    would), so the topic stands at 开展协商, the step where a vote may be opened."""
    services.topic_advance(user=user, topic_id=topic.pk)
    notice = services.topic_publish_notice(
        user=user, topic_id=topic.pk, kind="topic", body=f"拟议：{topic.title}", days=7
    )
    past = clock.now() - timedelta(days=8)
    Notice.objects.filter(pk=notice.pk).update(starts_at=past, ends_at=past + timedelta(days=7))
    services.topic_advance(user=user, topic_id=topic.pk)
    topic.refresh_from_db()
    assert topic.current_step.name == "开展协商"
    return topic


@pytest.fixture
def lift(world):
    HouseholdMember.objects.filter(person=world.buildinghead_person).update(is_owner=True)
    return services.topic_create(
        user=world.community,
        community=world.c1,
        title="幸福1号楼加装电梯",
        body="1 号楼六层无电梯，老人上下楼困难，提议加装电梯。",
        building=world.b1a,
        affected_parties="1 号楼全体业主、低层住户",
    )


@pytest.fixture
def lift_at_vote(world, lift):
    return to_voting_step(world.community, lift)


@pytest.fixture
def open_vote(world, lift_at_vote):
    def make(**kw):
        now = clock.now()
        args = {
            "user": world.community,
            "topic_id": lift_at_vote.pk,
            "title": "是否同意 1 号楼加装电梯",
            "question": "按方案加装电梯，费用按楼层分摊。",
            "electorate": "owners",
            "buildings": [world.b1a],
            "matter": "ordinary",
            "opens_at": now - timedelta(minutes=1),
            "closes_at": now + timedelta(days=7),
        }
        args.update(kw)
        return voting.vote_open(**args)

    return make


def later(days: int = 8):
    return clock.now() + timedelta(days=days)


def option(vote, label: str) -> int:
    return vote.options.get(label=label).pk
