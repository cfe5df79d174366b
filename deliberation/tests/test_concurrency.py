"""Two people acting at once on PostgreSQL, with real concurrent connections: one ballot per household whichever
way the two ballots come (online and paper, or two owners of one flat online), and one answer to a proposal.
Exactly one wins; the other gets 409 with the reason, naming what came first.

SQLite serialises writers on the database file, so there is no race to test there: the module is skipped.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from access.models import Role
from access.services import role_grant
from audit.models import AuditEvent
from deliberation import services, voting
from deliberation.models import Ballot, Topic
from deliberation.processes import ensure_templates
from deliberation.tests.conftest import to_voting_step
from linli.testing import api_client as client
from linli.testing import build_world
from linli.testing import race as race_calls
from people.models import HouseholdMember
from people.services import household_member_add, person_create, person_give_login

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: real concurrent connections and row locks (SQLite serialises all writers)",
    ),
]


def race(calls) -> list[tuple[int, dict]]:
    """The calls at the same moment; each response's status code and body."""
    return [(r.status_code, r.json()) for r in race_calls(calls)]


@pytest.fixture
def w(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_templates()  # seeded by a data migration, which an earlier transactional test's flush removed
    return build_world()


@pytest.fixture
def vote(w):
    """An owners' vote of 幸福1号楼 (b1a), one ballot per flat, open now."""
    HouseholdMember.objects.filter(person=w.buildinghead_person).update(is_owner=True)
    topic = services.topic_create(
        user=w.community, community=w.c1, title="1 号楼加装电梯", body="…", building=w.b1a
    )
    to_voting_step(w.community, topic)
    now = timezone.now()
    return voting.vote_open(
        user=w.community, topic_id=topic.pk, title="是否加装电梯", question="…", electorate="owners",
        buildings=[w.b1a], matter="ordinary", opens_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=7),
    )  # fmt: skip


def option(vote, label: str) -> int:
    return vote.options.get(label=label).pk


@pytest.mark.parametrize("round_", range(3))
def test_online_and_paper_ballot_for_one_flat_at_once(w, vote, round_):
    url = f"/api/votes/{vote.pk}/ballots/"
    online = {"option": option(vote, "同意")}
    paper = {"option": option(vote, "不同意"), "paper": True, "household": w.h1a.pk}
    results = race(
        [
            lambda: client(w.resident).post(url, online, format="json"),
            lambda: client(w.community).post(url, paper, format="json"),
        ]
    )
    assert sorted(code for code, _ in results) == [201, 409], results
    ballots = list(Ballot.objects.filter(vote=vote))
    assert len(ballots) == 1 and ballots[0].voter_key == f"h{w.h1a.pk}"
    # the loser is told which ballot came first, and that it stands
    (_, loser) = next(r for r in results if r[0] == 409)
    if ballots[0].channel == Ballot.Channel.ONLINE:
        assert "已于" in loser["detail"] and "在线投票，不能再录入纸质选票" in loser["detail"]
        assert AuditEvent.objects.filter(action="vote_cast").count() == 1
        assert not AuditEvent.objects.filter(action="vote_paper").exists()
    else:
        assert "纸质选票已于" in loser["detail"] and "由工作人员录入，不能再在线投票" in loser["detail"]
        assert AuditEvent.objects.filter(action="vote_paper").count() == 1
        assert not AuditEvent.objects.filter(action="vote_cast").exists()


def test_two_owners_of_one_flat_vote_online_at_once(w, vote):
    # given the resident's husband, a co-owner of flat 101 with his own login
    husband = person_create(name="张建军", phone="13812340000")
    household_member_add(person=husband, household=w.h1a, is_owner=True)
    user = person_give_login(person=husband, username="husband", password=w.password)
    role_grant(user=user, role=Role.RESIDENT, area=w.c1)
    url = f"/api/votes/{vote.pk}/ballots/"
    # when both vote on their phones at the same moment, differently
    results = race(
        [
            lambda: client(w.resident).post(url, {"option": option(vote, "同意")}, format="json"),
            lambda: client(user).post(url, {"option": option(vote, "不同意")}, format="json"),
        ]
    )
    # then the flat has one ballot, and the other is told the flat has voted
    assert sorted(code for code, _ in results) == [201, 409], results
    assert Ballot.objects.filter(vote=vote).count() == 1
    (_, loser) = next(r for r in results if r[0] == 409)
    assert "每户只能投一票，投票后不能更改" in loser["detail"]
    assert AuditEvent.objects.filter(action="vote_cast").count() == 1


def test_accept_and_decline_of_one_proposal_at_once(w):
    topic = services.topic_propose(user=w.resident, title="增设快递柜", body="快递常丢")
    base = f"/api/topics/{topic.pk}"
    results = race(
        [
            lambda: client(w.community).post(f"{base}/accept/", {"template": "146"}, format="json"),
            lambda: client(w.admin).post(f"{base}/decline/", {"reason": "已列入物业计划"}, format="json"),
        ]
    )
    assert sorted(code for code, _ in results) == [200, 409], results
    (_, loser) = next(r for r in results if r[0] == 409)
    assert "不是待受理的提议" in loser["detail"]
    topic.refresh_from_db()
    assert topic.status in (Topic.Status.ACTIVE, Topic.Status.DECLINED)
    assert topic.events.filter(action__in=["accept", "decline"]).count() == 1
    assert w.resident.notifications.filter(title__startswith="您提议的议题").count() == 1
