"""Helpers for deliberation tests: a lift topic for 幸福1号楼 (b1a) in c1 and an owners' vote on it.

In the world, b1a has two flats: h1a (89.50 m², the resident, an owner) and h1a2 (120.00 m², the building head,
made an owner here). ``later(days)`` is a moment after the vote has closed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from deliberation import services, voting
from people.models import HouseholdMember


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
def open_vote(world, lift):
    def make(**kw):
        now = timezone.now()
        args = {
            "user": world.community,
            "topic_id": lift.pk,
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
    return timezone.now() + timedelta(days=days)


def option(vote, label: str) -> int:
    return vote.options.get(label=label).pk
