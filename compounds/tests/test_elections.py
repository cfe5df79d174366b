"""业委会 elections on the deliberation app's owners' votes: candidates published, a vote whose options are the
candidates, counted under the two-thirds turnout of 民法典 278, the elected members published with their term."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from compounds.elections import election_cancel, election_close, election_create, election_open
from compounds.models import Body, CompoundEvent, Election, Member
from compounds.services import body_create, member_add
from compounds.tests.helpers import DAY, compound
from deliberation import voting
from deliberation.models import Decision, Topic, Vote
from linli.errors import PermissionDenied, TransitionError, ValidationError
from notices.models import Notice

pytestmark = pytest.mark.django_db


def _nominate(w, c, **kw) -> Election:
    values = dict(
        user=w.community,
        compound_id=c.pk,
        seats=1,
        candidates=[w.resident_person, w.neighbour_g1b],
        term_years=5,
        days=7,
    )
    values.update(kw)
    return election_create(**values)


def _vote(w, election, ballots):
    """ballots: household -> candidate order (the resident votes online for h1a, staff enter the rest)."""
    options = {c.order: c.option_id for c in election.candidates.all()}
    for household, order in ballots.items():
        if household == w.h1a:
            voting.vote_cast(user=w.resident, vote_id=election.vote_id, option_id=options[order])
        else:
            voting.vote_enter_paper(
                user=w.community, vote_id=election.vote_id, household=household, option_id=options[order]
            )


def test_an_election_publishes_the_elected_committee_with_its_term(world, clock_at):
    w = world
    clock_at(DAY)
    c = compound(w)
    old = body_create(
        user=w.community,
        compound_id=c.pk,
        kind="owners_committee",
        starts_on=date(2021, 6, 1),
        ends_on=date(2026, 5, 31),
    )
    member_add(
        user=w.community, body_id=old.pk, person=w.neighbour_g1b, post="director", starts_on=date(2021, 6, 1)
    )
    election = _nominate(w, c)
    assert election.term_no == 2 and election.status == "nominated"
    topic = Topic.objects.get(pk=election.topic_id)
    assert topic.current_step.name == "公示告知"
    notice = Notice.objects.get(kind="topic", subject_id=topic.pk)
    assert "1号 张秀英、2号 李桂兰" in notice.body
    with pytest.raises(TransitionError) as err:  # the candidates' notice period runs
        election_open(user=w.community, election_id=election.pk, closes_at=DAY + timedelta(days=3))
    assert "公示期" in err.value.message

    clock_at(DAY + timedelta(days=8))
    election = election_open(user=w.community, election_id=election.pk, closes_at=DAY + timedelta(days=13))
    vote = Vote.objects.get(pk=election.vote_id)
    assert vote.electorate == "owners" and set(vote.buildings.all()) == {w.b1a, w.b1b}
    assert list(vote.options.values_list("label", flat=True)) == ["1号 张秀英", "2号 李桂兰"]
    with pytest.raises(TransitionError):  # the vote is open: nothing to open twice
        election_open(user=w.community, election_id=election.pk, closes_at=DAY + timedelta(days=13))
    clock_at(DAY + timedelta(days=9))
    _vote(w, election, {w.h1a: 1, w.h1a2: 1, w.h1b: 2})
    with pytest.raises(TransitionError):  # before the closing time
        election_close(user=w.community, election_id=election.pk)

    clock_at(DAY + timedelta(days=13, hours=1))
    with pytest.raises(PermissionDenied):
        election_close(user=w.community2, election_id=election.pk)
    election = election_close(user=w.community, election_id=election.pk)
    assert election.status == "elected"
    assert (
        "当选委员：张秀英（2 票）" in election.result_note
        and "参与投票 3 户（共 3 户）" in election.result_note
    )
    new = Body.objects.get(election=election)
    assert (new.kind, new.term_no, new.status) == ("owners_committee", 2, "active")
    assert (new.starts_on, new.ends_on) == (date(2026, 5, 24), date(2031, 5, 24))
    member = Member.objects.get(body=new)
    assert (member.person, member.votes, member.post) == (w.resident_person, 2, "member")
    old.refresh_from_db()
    assert old.status == "ended" and "换届" in old.end_reason
    assert not old.members.filter(left_at__isnull=True).exists()
    assert Decision.objects.filter(topic=topic, adopted=True, text__contains="张秀英（2 票）").exists()
    assert Notice.objects.filter(
        kind="result", subject_id=topic.pk, title__contains="第2届业主委员会选举结果"
    ).exists()
    with pytest.raises(TransitionError):  # counted already
        election_close(user=w.community, election_id=election.pk)
    actions = list(CompoundEvent.objects.filter(election=election).values_list("action", flat=True))
    assert actions == ["create", "open", "close"]


def test_below_two_thirds_no_committee_is_elected(world, clock_at):
    w = world
    clock_at(DAY)
    c = compound(w)
    election = _nominate(w, c)
    clock_at(DAY + timedelta(days=8))
    election_open(user=w.community, election_id=election.pk, closes_at=DAY + timedelta(days=10))
    election.refresh_from_db()
    _vote(w, election, {w.h1a: 1})  # 1 flat of 3
    clock_at(DAY + timedelta(days=11))
    election = election_close(user=w.community, election_id=election.pk)
    assert election.status == "failed" and "未达户数和面积的三分之二" in election.result_note
    assert not Body.objects.filter(compound=c, kind="owners_committee").exists()
    assert Decision.objects.filter(topic_id=election.topic_id, adopted=False).exists()


def test_refusals(world, clock_at):
    w = world
    clock_at(DAY)
    c = compound(w)
    with pytest.raises(ValidationError) as err:
        _nominate(w, c, candidates=[w.resident_person, w.buildinghead_person], seats=0, term_years=8, days=1)
    assert set(err.value.message_dict) == {"candidates", "seats", "term_years", "days"}
    assert "刘建国不是幸福小区的业主" in err.value.message_dict["candidates"][0]
    with pytest.raises(ValidationError) as err:
        _nominate(w, c, candidates=[w.resident_person], seats=2)
    assert "候选人不能少于应选人数" in err.value.message_dict["candidates"][0]
    for name in ("subdistrict", "gridworker", "resident", "unit", "community2"):
        with pytest.raises(PermissionDenied):
            _nominate(w, c, user=getattr(w, name))
    election = _nominate(w, c)
    with pytest.raises(TransitionError):  # one election at a time
        _nominate(w, c)
    with pytest.raises(ValidationError):
        election_cancel(user=w.community, election_id=election.pk, reason=" ")
    election_cancel(user=w.community, election_id=election.pk, reason="候选人名单有误")
    assert Topic.objects.get(pk=election.topic_id).status == "closed"
    with pytest.raises(TransitionError):
        election_open(user=w.community, election_id=election.pk, closes_at=DAY + timedelta(days=20))
    again = _nominate(w, c)
    assert again.term_no == 1
