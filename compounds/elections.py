"""业委会 elections on the deliberation app's topics and owners' votes.

1. ``election_create`` (候选人公示): a topic of the community on the six steps (``deliberation.services``), moved to
   公示告知 with the candidates' notice on the board for ``days``.
2. ``election_open`` (开始投票): once the notice period is over (and any objection answered) the topic moves to
   开展协商 and an owners' vote of the compound's buildings is opened, one vote per flat, whose options are the
   candidates (``deliberation.voting.vote_open``). Owners vote online on the vote's page, or staff enter paper
   ballots there.
3. ``election_close`` (计票): after the closing time the vote is closed and counted (``vote_close``). The election is
   valid when the flats that voted hold two thirds or more of the compound's flats and of its floor area (民法典第二百
   七十八条: 参与表决的业主须占专有部分面积和人数三分之二以上). The ``seats`` candidates with the most votes are elected
   (equal votes: the larger floor area voted for them, then the candidate's number); each must have at least one
   vote. A valid election publishes the new 业委会 term with its members (and ends the term before it), records the
   topic's decision and the result notice; an invalid one records that no committee was elected.
``election_cancel`` withdraws an election before its vote opens.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction

from access.scope import Scope
from areas.models import Building
from compounds.models import Body, Candidate, Compound, CompoundEvent, Election, Member
from compounds.scope import keeps
from compounds.services import BODIES, end_body, lock_compound, require_keeper
from deliberation import implementation, voting
from deliberation import services as topics
from deliberation.models import Vote
from linli import clock
from linli.errors import TransitionError, ValidationError
from linli.steps import Loop
from notices.models import Notice
from people.models import HouseholdMember, Person

E = Election.Status
TRANSITIONS = {"open": [E.NOMINATED], "close": [E.VOTING], "cancel": [E.NOMINATED]}
LABELS = {"open": "开始投票", "close": "计票并公布", "cancel": "取消选举"}
ELECTIONS: Loop[Election] = Loop(
    model=Election,
    noun="选举",
    transitions=TRANSITIONS,
    labels=LABELS,
    event_model=CompoundEvent,
    event_fk="election",
    related=("compound__community",),
    key="election",
)
OPEN = (E.NOMINATED, E.VOTING)


def _allowed(user):
    return lambda e: keeps(Scope.of(user), e.compound)


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def owners_of(compound: Compound) -> set[int]:
    return set(
        HouseholdMember.objects.filter(household__building__compound=compound, is_owner=True).values_list(
            "person_id", flat=True
        )
    )


@transaction.atomic
def election_create(
    *,
    user,
    compound_id: int,
    seats: int,
    candidates: Iterable[Person],
    term_years: int = 5,
    days: int = 7,
) -> Election:
    """候选人公示: the election's topic, moved to 公示告知, and the candidates on the notice board."""
    compound = lock_compound(compound_id)
    require_keeper(user, compound, "组织业委会选举")
    running = compound.elections.filter(status__in=OPEN).first()
    if running is not None:
        raise TransitionError(f"{running}正在进行（{running.get_status_display()}），结束后才能再组织选举")
    people = list(dict.fromkeys(candidates))
    errors: dict[str, str] = {}
    if not Building.objects.filter(compound=compound).exists():
        errors["compound"] = f"{compound.name}尚未登记楼栋，无法确定参加选举的业主"
    if not 1 <= seats <= 15:
        errors["seats"] = "应选人数为 1 至 15 人"
    if not 1 <= term_years <= 5:
        errors["term_years"] = "业委会任期为 1 至 5 年"
    if not 3 <= days <= 30:
        errors["days"] = "候选人公示期为 3 至 30 天"
    owners = owners_of(compound)
    outsiders = [p.name for p in people if p.pk not in owners]
    if outsiders:
        errors["candidates"] = f"{'、'.join(outsiders)}不是{compound.name}的业主，不能作为候选人"
    elif len(people) < max(seats, 1):
        errors["candidates"] = f"候选人不能少于应选人数（{seats} 人）"
    if errors:
        raise ValidationError(errors)
    last = max(
        [b.term_no for b in Body.objects.filter(compound=compound, kind=Body.Kind.OWNERS_COMMITTEE)]
        + [e.term_no for e in compound.elections.exclude(status=E.CANCELLED)],
        default=0,
    )
    term_no = last + 1
    title = f"{compound.name}第{term_no}届业主委员会选举"
    names = "、".join(f"{i}号 {p.name}" for i, p in enumerate(people, start=1))
    topic = topics.topic_create(
        user=user,
        community=compound.community,
        title=title,
        body=f"{compound.name}选举第{term_no}届业主委员会委员 {seats} 名，任期 {term_years} 年。候选人：{names}。",
        affected_parties=f"{compound.name}全体业主",
    )
    topics.topic_advance(user=user, topic_id=topic.pk, note="确定选举办法和候选人")
    topics.topic_publish_notice(
        user=user,
        topic_id=topic.pk,
        kind=Notice.Kind.TOPIC,
        title=f"候选人公示：{title}"[:120],
        body=f"应选委员 {seats} 名，任期 {term_years} 年。候选人：{names}。公示期内对候选人有异议的，请向社区提出。",
        days=days,
    )
    election = Election.objects.create(
        compound=compound,
        term_no=term_no,
        seats=seats,
        term_years=term_years,
        topic=topic,
        created_by=user,
        created_at=clock.now(),
    )
    Candidate.objects.bulk_create(
        [Candidate(election=election, person=p, order=i) for i, p in enumerate(people, start=1)]
    )
    ELECTIONS.record(election, user=user, action="create", from_state="", note=names, compound=compound)
    return election


@transaction.atomic
def election_open(*, user, election_id: int, closes_at: datetime) -> Election:
    """开始投票: the topic moves on to 开展协商 (refused while the notice period runs) and the owners' vote opens."""
    election = ELECTIONS.begin(election_id, "open", allowed=_allowed(user))
    compound = election.compound
    now = clock.now()
    if closes_at <= now:
        raise ValidationError({"closes_at": "投票截止时间须晚于现在"})
    topics.topic_advance(user=user, topic_id=election.topic_id, note="候选人公示期满")
    candidates = list(election.candidates.select_related("person").order_by("order"))
    vote = voting.vote_open(
        user=user,
        topic_id=election.topic_id,
        title=f"选举{compound.name}第{election.term_no}届业主委员会委员"[:120],
        question=(
            f"应选委员 {election.seats} 名。每户一票，投给一名候选人；得票最多的 {election.seats} 名当选"
            "（参与投票的户数和专有部分面积均须达到三分之二以上，选举方为有效）。"
        ),
        electorate=Vote.Electorate.OWNERS,
        opens_at=now,
        closes_at=closes_at,
        buildings=list(Building.objects.filter(compound=compound).select_related("grid")),
        one_per_household=True,
        options=[c.label for c in candidates],
        approval_index=None,
    )
    options = {o.order: o for o in vote.options.all()}
    for i, candidate in enumerate(candidates):
        candidate.option = options[i]
        candidate.save(update_fields=["option"])
    election.vote, election.status = vote, E.VOTING
    ELECTIONS.save(election, "vote", "status")
    ELECTIONS.record(
        election, user=user, action="open", from_state=E.NOMINATED, note=f"表决 #{vote.pk}", compound=compound
    )
    return election


def _ranked(candidates: list[Candidate], result: dict) -> list[tuple[Candidate, int, Decimal]]:
    by_option = {o["id"]: o for o in result["options"]}
    rows = []
    for c in candidates:
        o = by_option.get(c.option_id or 0, {"count": 0, "area": "0"})
        rows.append((c, int(o["count"]), Decimal(str(o["area"]))))
    return sorted(rows, key=lambda r: (-r[1], -r[2], r[0].order))


def valid_turnout(result: dict) -> bool:
    """民法典 278: the flats that voted hold two thirds or more of the flats and of the floor area."""
    households, area = int(result["total_households"]), Decimal(str(result["total_area"]))
    voted, voted_area = int(result["ballots"]), Decimal(str(result["voted_area"]))
    return households > 0 and voted * 3 >= households * 2 and voted_area * 3 >= area * 2


@transaction.atomic
def election_close(*, user, election_id: int) -> Election:
    """计票并公布: close and count the vote; publish the elected 业委会 (or record that none was elected)."""
    election = ELECTIONS.begin(election_id, "close", allowed=_allowed(user))
    compound = election.compound
    assert election.vote_id is not None
    vote = voting.vote_close(user=user, vote_id=election.vote_id)
    result = vote.result or {}
    candidates = list(election.candidates.select_related("person"))
    ranked = _ranked(candidates, result)
    for candidate, count, _ in ranked:
        candidate.votes = count
        candidate.save(update_fields=["votes"])
    turnout = (
        f"参与投票 {result['ballots']} 户（共 {result['total_households']} 户），"
        f"面积 {result['voted_area']} m²（共 {result['total_area']} m²）"
    )
    winners = [(c, n) for c, n, _ in ranked[: election.seats] if n > 0] if valid_turnout(result) else []
    now = clock.now()
    if not winners:
        why = "参与投票的业主未达户数和面积的三分之二" if not valid_turnout(result) else "候选人均未得票"
        election.status, election.result_note, election.closed_at = (
            E.FAILED,
            f"{why}，选举未产生业委会。{turnout}"[:500],
            now,
        )
        ELECTIONS.save(election, "status", "result_note", "closed_at")
        implementation.decision_record(
            user=user, topic_id=election.topic_id, text_=f"{election}：{election.result_note}", adopted=False
        )
        ELECTIONS.record(
            election,
            user=user,
            action="close",
            from_state=E.VOTING,
            note=election.result_note,
            compound=compound,
        )
        return election
    for candidate, _ in winners:
        candidate.elected = True
        candidate.save(update_fields=["elected"])
    start = now.date()
    ends = _years_later(start, election.term_years)
    previous = (
        Body.objects.select_for_update(of=("self",))
        .filter(compound=compound, kind=Body.Kind.OWNERS_COMMITTEE, status=Body.Status.ACTIVE)
        .select_related("compound")
        .first()
    )
    if previous is not None:
        end_body(previous, user=user, reason=f"换届：第{election.term_no}届业委会选举产生")
    term_no = max(election.term_no, (previous.term_no + 1) if previous else 1)
    body = Body.objects.create(
        compound=compound,
        kind=Body.Kind.OWNERS_COMMITTEE,
        term_no=term_no,
        starts_on=start,
        ends_on=ends,
        election=election,
        created_at=now,
    )
    Member.objects.bulk_create(
        [
            Member(
                body=body, person=c.person, post=Member.Post.MEMBER, starts_on=start, ends_on=ends, votes=n
            )
            for c, n in winners
        ]
    )
    names = "、".join(f"{c.person.name}（{n} 票）" for c, n in winners)
    election.status, election.closed_at = E.ELECTED, now
    election.result_note = f"当选委员：{names}。{turnout}"[:500]
    ELECTIONS.save(election, "status", "result_note", "closed_at")
    BODIES.record(body, user=user, action="elected", from_state="", note=names, compound=compound)
    implementation.decision_record(
        user=user,
        topic_id=election.topic_id,
        text_=f"选举产生{compound.name}第{term_no}届业主委员会委员：{names}，任期至 {ends:%Y-%m-%d}。",
    )
    topics.topic_publish_notice(
        user=user,
        topic_id=election.topic_id,
        kind=Notice.Kind.RESULT,
        title=f"{compound.name}第{term_no}届业主委员会选举结果公告"[:120],
        body=f"{election.result_note}\n任期自 {start:%Y-%m-%d} 至 {ends:%Y-%m-%d}。",
        days=7,
    )
    ELECTIONS.record(
        election, user=user, action="close", from_state=E.VOTING, note=election.result_note, compound=compound
    )
    return election


@transaction.atomic
def election_cancel(*, user, election_id: int, reason: str) -> Election:
    """取消选举 before the vote opens (the topic is closed with the reason)."""
    election = ELECTIONS.begin(election_id, "cancel", allowed=_allowed(user))
    why = (reason or "").strip()
    if not why:
        raise ValidationError({"reason": "请填写取消原因"})
    topics.topic_close(user=user, topic_id=election.topic_id, reason=f"取消选举：{why}"[:300])
    election.status, election.closed_at, election.result_note = E.CANCELLED, clock.now(), why[:500]
    ELECTIONS.save(election, "status", "closed_at", "result_note")
    ELECTIONS.record(
        election, user=user, action="cancel", from_state=E.NOMINATED, note=why, compound=election.compound
    )
    return election
