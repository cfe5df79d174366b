"""Votes through their services: who may vote, one per household, paper never doubling online, secret results
hidden until close, nothing changes after close, and every refusal says why."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from deliberation import voting
from deliberation.models import Ballot, Decision
from deliberation.tally import result_for
from deliberation.tests.conftest import later, option
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError

pytestmark = pytest.mark.django_db


def test_owner_votes_online_once_per_household(world, open_vote):
    vote = open_vote()
    # when the resident (owner of h1a) votes
    ballot = voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    # then one online ballot weighs the flat's area
    assert (ballot.household, ballot.floor_area, ballot.channel) == (
        world.h1a,
        world.h1a.floor_area,
        "online",
    )
    # and a second try is refused, saying when the flat voted
    with pytest.raises(TransitionError, match="已于 .* 投票，每户只能投一票，投票后不能更改"):
        voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "不同意"))
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert AuditEvent.objects.filter(action="vote_cast", object_id=str(vote.pk)).count() == 1


def test_paper_ballot_after_online_is_refused(world, open_vote):
    vote = open_vote()
    voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    with pytest.raises(TransitionError, match="已于 .* 在线投票，不能再录入纸质选票"):
        voting.vote_enter_paper(
            user=world.community, vote_id=vote.pk, household=world.h1a, option_id=option(vote, "不同意")
        )
    assert list(Ballot.objects.filter(vote=vote).values_list("channel", flat=True)) == ["online"]


def test_online_after_paper_ballot_is_refused(world, open_vote):
    vote = open_vote()
    voting.vote_enter_paper(
        user=world.community, vote_id=vote.pk, household=world.h1a, option_id=option(vote, "同意")
    )
    with pytest.raises(TransitionError, match="纸质选票已于 .* 由工作人员录入，不能再在线投票"):
        voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "不同意"))
    ballot = Ballot.objects.get(vote=vote)
    assert (ballot.channel, ballot.entered_by) == ("paper", world.community)


def test_who_may_vote(world, open_vote):
    vote = open_vote()
    # a resident of another building (h1b, b1b) is outside the named building's owners
    with pytest.raises(PermissionDenied, match="您不在本次表决范围内（幸福1号楼的业主（每户一票））"):
        voting.vote_cast(user=world.partymember, vote_id=vote.pk, option_id=option(vote, "同意"))
    # staff cannot enter a paper ballot for a flat outside the vote (h1b is in another building)
    with pytest.raises(ValidationError, match="不在本次表决范围内"):
        voting.vote_enter_paper(
            user=world.community, vote_id=vote.pk, household=world.h1b, option_id=option(vote, "同意")
        )
    # nor may a resident enter paper ballots, nor staff of another community
    for user in (world.resident, world.community2):
        with pytest.raises(PermissionDenied, match="社区工作者可以录入纸质选票"):
            voting.vote_enter_paper(
                user=user, vote_id=vote.pk, household=world.h1a2, option_id=option(vote, "同意")
            )


def test_owners_matter_must_be_owners_one_per_household(world, open_vote):
    with pytest.raises(ValidationError, match="须由业主按户表决"):
        open_vote(electorate="residents")
    with pytest.raises(ValidationError, match="须由业主按户表决"):
        open_vote(one_per_household=False)
    with pytest.raises(ValidationError, match="截止时间须晚于开始时间"):
        v = open_vote()
        open_vote(closes_at=v.opens_at)


def test_secret_results_hidden_until_close(world, open_vote):
    vote = open_vote(secret=True)
    voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    shown = result_for(vote, clock.now())
    assert shown["hidden"] is True and shown["ballots"] == 1
    assert "options" not in shown and "outcome" not in shown
    # after the closing time the count is shown, and closing freezes it
    with clock.at(later()):
        voting.vote_close(user=world.community, vote_id=vote.pk)
    vote.refresh_from_db()
    final = result_for(vote, clock.now())
    assert final["hidden"] is False and final["final"] is True
    assert [o["count"] for o in final["options"]] == [1, 0, 0]


def test_open_results_are_live(world, open_vote):
    vote = open_vote()
    voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    shown = result_for(vote, clock.now())
    assert shown["hidden"] is False and shown["final"] is False and shown["options"][0]["count"] == 1


def test_vote_cannot_change_after_close(world, open_vote):
    vote = open_vote()
    voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    with pytest.raises(TransitionError, match="截止时间 .* 未到，不能提前结束"):
        voting.vote_close(user=world.community, vote_id=vote.pk)
    with clock.at(later()):
        # after the closing time, before it is closed: no ballot either way
        with pytest.raises(TransitionError, match="表决已于 .* 截止，选票不能再投、不能更改"):
            voting.vote_cast(user=world.buildinghead, vote_id=vote.pk, option_id=option(vote, "同意"))
        voting.vote_close(user=world.community, vote_id=vote.pk)
        with pytest.raises(TransitionError, match="截止，选票不能再投"):
            voting.vote_enter_paper(
                user=world.community, vote_id=vote.pk, household=world.h1a2, option_id=option(vote, "同意")
            )
        with pytest.raises(TransitionError, match="表决已于 .* 结束，结果不能更改"):
            voting.vote_close(user=world.community, vote_id=vote.pk)


def test_closing_counts_by_article_278_and_records_the_decision(world, open_vote):
    # given both owners of 1 号楼 (89.50 + 120.00 m²) vote, one online and one on paper, both agreeing
    vote = open_vote()
    voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    voting.vote_enter_paper(
        user=world.community, vote_id=vote.pk, household=world.h1a2, option_id=option(vote, "同意")
    )
    with clock.at(later()):
        voting.vote_close(user=world.community, vote_id=vote.pk)
    vote.refresh_from_db()
    outcome = vote.result["outcome"]
    assert outcome["passed"] and outcome["quorum_met"]
    assert vote.result["voted_area"] == "209.50" and vote.result["paper_ballots"] == 1
    decision = Decision.objects.get(vote=vote)
    assert decision.adopted and "表决通过" in decision.text


def test_closing_a_vote_that_misses_participation(world, open_vote):
    # only the resident's 89.50 m² of 209.50 votes: 1 of 2 owners, less than 2/3 of either
    vote = open_vote()
    voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    with clock.at(later()):
        voting.vote_close(user=world.community, vote_id=vote.pk)
    vote.refresh_from_db()
    assert not vote.result["outcome"]["passed"]
    summary = vote.result["outcome"]["summary"]
    assert "参与表决的业主不足" in summary and "差 50.17 m²" in summary and "差 1 户" in summary
    assert not Decision.objects.get(vote=vote).adopted


def test_the_paper_ballot_list_of_a_persons_vote_writes_the_access_log(world, lift, open_vote, client_for):
    """Staff entering paper ballots see each resident not yet voted with their flat: one address row each."""
    from audit.models import PersonalDataView

    vote = open_vote(electorate="residents", matter="", one_per_household=False, buildings=[])
    voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    page = client_for("community").get(f"/deliberation/votes/{vote.pk}/")
    assert page.status_code == 200
    rows = PersonalDataView.objects.filter(field=PersonalDataView.Field.ADDRESS)
    assert rows.count() > 0 and world.resident_person.pk not in {
        r.person_id for r in rows
    }  # voted: not listed
    listed = {r.person.name for r in rows}
    assert all(f"{name} · " in page.content.decode() for name in listed)
    assert {r.actor_id for r in rows} == {world.community.pk} and all(
        r.subject.startswith("areas.household#") for r in rows
    )
    client_for("resident").get(f"/deliberation/votes/{vote.pk}/")  # a voter sees no roll: nothing logged
    assert PersonalDataView.objects.filter(field=PersonalDataView.Field.ADDRESS).count() == rows.count()
    with clock.at(later()):  # closed: no paper ballot, no roll shown, nothing logged
        closed = client_for("community").get(f"/deliberation/votes/{vote.pk}/").content.decode()
    assert "录入纸质选票" not in closed
    assert PersonalDataView.objects.filter(field=PersonalDataView.Field.ADDRESS).count() == rows.count()


def test_one_per_person_vote_of_all_residents(world, lift, open_vote):
    vote = open_vote(electorate="residents", matter="", one_per_household=False, buildings=[])
    voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    voting.vote_cast(user=world.buildinghead, vote_id=vote.pk, option_id=option(vote, "同意"))
    assert set(Ballot.objects.filter(vote=vote).values_list("voter_key", flat=True)) == {
        f"p{world.resident_person.pk}",
        f"p{world.buildinghead_person.pk}",
    }
