"""Votes: open one on a topic, cast a ballot online, enter a paper ballot, close and count.

On the loops of ``deliberation.steps``: a vote is opened at its topic's voting step (``TOPICS``); its ballots and
its close are steps of ``VOTES`` (open → closed). Ballots are safe under concurrency: every ballot service locks
the vote row first (``select_for_update``) and the unique ``(vote, voter_key)`` constraint backs it; whichever of
an online and a paper ballot for one household comes second is refused with a message saying which came first.
After the vote closes nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction

from access.scope import Scope
from areas.models import Building, Household
from audit.models import record as audit_record
from deliberation.electorate import (
    electorate_label,
    eligible_members,
    households_in_scope,
    voter_households,
    voter_key,
)
from deliberation.models import (
    Ballot,
    Decision,
    ProcessTemplate,
    Requirement,
    StepDefinition,
    Topic,
    Vote,
    VoteOption,
)
from deliberation.steps import TOPICS, VOTES, begin, begin_vote, record
from deliberation.tally import compute
from deliberation.workflow import when as _when
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from linli.steps import after_commit
from linli.text import required_text as text
from notifications.services import notify

DEFAULT_OPTIONS = ["同意", "不同意", "弃权"]


def voting_steps(template: ProcessTemplate | None) -> list[StepDefinition]:
    """The steps of a process at which a vote may be held: those that need a decision before they end (开展协商 of
    the six steps, 会议决议 of 五议)."""
    if template is None:
        return []
    return [s for s in template.steps.order_by("order") if Requirement.DECISION in s.requires]


def require_voting_step(topic: Topic) -> None:
    """A vote is opened at its topic's voting step, once the topic has been made public, never at 确定议题 (409)."""
    steps = voting_steps(topic.template)
    if not steps:
        raise TransitionError(f"“{topic.template}”没有表决步骤，不能发起表决")
    if topic.current_step_id not in {s.pk for s in steps}:
        where = f"在“{topic.current_step.name}”步骤" if topic.current_step else "尚未开始议事流程"
        names = "、".join(f"“{s.name}”" for s in steps)
        raise TransitionError(f"议题当前{where}，表决须在{names}步骤发起")


@transaction.atomic
def vote_open(
    *,
    user,
    topic_id: int,
    title: str,
    question: str,
    electorate: str,
    opens_at: datetime,
    closes_at: datetime,
    buildings: Sequence[Building] = (),
    one_per_household: bool = True,
    matter: str = "",
    secret: bool = False,
    options: Sequence[str] = (),
    approval_index: int | None = 0,
) -> Vote:
    """发起表决. For an owners' joint matter (``matter`` ordinary or weighty) the electorate is the owners, one
    vote per flat, and the first option (by default 同意) is the approval counted against 民法典 278."""
    topic, _ = begin(user, topic_id, "vote_open")
    require_voting_step(topic)
    if electorate not in Vote.Electorate.values:
        raise ValidationError({"electorate": "请选择表决范围"})
    if matter not in Vote.Matter.values:
        raise ValidationError({"matter": "请选择表决规则"})
    if matter and (electorate != Vote.Electorate.OWNERS or not one_per_household):
        raise ValidationError(
            {"matter": "业主共同决定事项（民法典第二百七十八条）须由业主按户表决，每户一票"}
        )
    if electorate == Vote.Electorate.BUILDINGS and not buildings:
        raise ValidationError({"buildings": "请选择参加表决的楼栋"})
    outside = [b.name for b in buildings if not b.grid.path.startswith(topic.community.path)]
    if outside:
        raise ValidationError({"buildings": f"{'、'.join(outside)}不在{topic.community.name}"})
    labels = [o.strip() for o in (options or DEFAULT_OPTIONS) if o and o.strip()]
    if len(labels) < 2 or len(set(labels)) != len(labels):
        raise ValidationError({"options": "请至少给出两个互不相同的选项"})
    if matter and (approval_index is None or not 0 <= approval_index < len(labels)):
        raise ValidationError({"options": "业主共同决定事项须指明哪个选项表示同意"})
    now = clock.now()
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": "截止时间须晚于开始时间"})
    if closes_at <= now:
        raise ValidationError({"closes_at": "截止时间须晚于现在"})
    vote = Vote.objects.create(
        topic=topic,
        title=text(title, "title", "表决事项", 120),
        question=text(question, "question", "表决内容", 3000),
        electorate=electorate,
        one_per_household=one_per_household,
        matter=matter,
        secret=secret,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=user,
        created_at=now,
    )
    vote.buildings.set(buildings)
    if topic.published_at is None:  # a vote puts the topic before the residents
        topic.published_at = now
        TOPICS.save(topic, "published_at")
    VoteOption.objects.bulk_create(
        [
            VoteOption(vote=vote, order=i, label=label[:60], is_approval=i == approval_index)
            for i, label in enumerate(labels)
        ]
    )
    who = electorate_label(vote)
    record(
        topic,
        user=user,
        action="vote_open",
        note=f"{vote.title}（{who}，{_when(opens_at)} 至 {_when(closes_at)}）",
    )
    audit_record(
        actor=user,
        action="vote_open",
        obj=vote,
        summary=f"发起表决：{vote.title}",
        electorate=who,
        matter=matter,
    )
    voters = {
        m.person.user for m in eligible_members(vote).select_related("person__user") if m.person.user_id
    }
    after_commit(
        notify,
        users=voters,
        title=f"请参加表决：{vote.title}",
        body=f"{who}，截止 {_when(closes_at)}",
        url=f"/deliberation/votes/{vote.pk}/",
    )
    return vote


def _require_open(vote: Vote) -> None:
    """Ballots are cast between the vote's opening and closing times (its state checked by ``VOTES``)."""
    now = clock.now()
    if now >= vote.closes_at:
        raise TransitionError(f"表决已于 {_when(vote.closes_at)} 截止，选票不能再投、不能更改")
    if now < vote.opens_at:
        raise TransitionError(f"表决 {_when(vote.opens_at)} 开始，开始后才能投票")


def _require_closing_time(vote: Vote) -> None:
    if clock.now() < vote.closes_at:
        raise TransitionError(f"表决截止时间 {_when(vote.closes_at)} 未到，不能提前结束")


def _option(vote: Vote, option_id: int) -> VoteOption:
    option = vote.options.filter(pk=option_id).first()
    if option is None:
        raise ValidationError({"option": "请选择本次表决的一个选项"})
    return option


def _refuse_second(vote: Vote, key: str, household: Household, channel: str) -> None:
    first = Ballot.objects.filter(vote=vote, voter_key=key).first()
    if first is None:
        return
    whose = f"{household}（{household.building.name}）" if vote.one_per_household else "您"
    if first.channel == Ballot.Channel.PAPER and channel == Ballot.Channel.ONLINE:
        raise TransitionError(f"{whose}的纸质选票已于 {_when(first.cast_at)} 由工作人员录入，不能再在线投票")
    if first.channel == Ballot.Channel.ONLINE and channel == Ballot.Channel.PAPER:
        raise TransitionError(f"{whose}已于 {_when(first.cast_at)} 在线投票，不能再录入纸质选票")
    raise TransitionError(
        f"{whose}已于 {_when(first.cast_at)} 投票，{'每户' if vote.one_per_household else '每人'}只能投一票，投票后不能更改"
    )


def _create_ballot(
    vote: Vote, household: Household, person, option_id: int, channel: str, **fields
) -> Ballot:
    """One ballot for the household (or the person, one per person), after refusing a second one (409)."""
    option = _option(vote, option_id)
    key = voter_key(vote, household, person)
    _refuse_second(vote, key, household, channel)
    try:
        with transaction.atomic():
            return Ballot.objects.create(
                vote=vote,
                option=option,
                voter_key=key,
                household=household,
                person=person,
                floor_area=household.floor_area,
                channel=channel,
                **fields,
            )
    except IntegrityError as exc:  # the constraint, should a ballot have slipped in without the lock
        raise TransitionError("该户已投票，每户只能投一票") from exc


@transaction.atomic
def vote_cast(*, user, vote_id: int, option_id: int, household_id: int | None = None) -> Ballot:
    """A resident votes online for their flat (or for themselves when the vote is one per person)."""
    vote = VOTES.lock(vote_id)
    VOTES.check_state(vote, "cast")
    _require_open(vote)
    scope = Scope.of(user)
    person = scope.person
    now = clock.now()
    households = voter_households(vote, person) if person is not None else []
    if not households:
        raise PermissionDenied(f"您不在本次表决范围内（{electorate_label(vote)}）")
    if household_id is not None:
        household = next((h for h in households if h.pk == household_id), None)
        if household is None:
            raise ValidationError({"household": "您不能代表这一户投票"})
    elif len(households) == 1:
        household = households[0]
    else:
        raise ValidationError({"household": "您在表决范围内有多处房屋，请选择代表哪一户投票"})
    ballot = _create_ballot(vote, household, person, option_id, Ballot.Channel.ONLINE, cast_at=now)
    audit_record(
        actor=user, action="vote_cast", obj=vote, summary=f"在线投票：{vote.title}", household=str(household)
    )
    return ballot


@transaction.atomic
def vote_enter_paper(
    *, user, vote_id: int, household: Household, option_id: int, person_id: int | None = None
) -> Ballot:
    """Staff enter a paper ballot for a flat (or, for a one-per-person vote, for the person named)."""
    vote, topic = begin_vote(user, vote_id, "paper_ballot", check=_require_open)
    now = clock.now()
    members = eligible_members(vote).filter(household=household).select_related("person")
    # An owner need not be on the register (a flat let to tenants): staff collect the flat's paper ballot anyway.
    any_flat = vote.electorate == Vote.Electorate.OWNERS and vote.one_per_household
    if not (members or (any_flat and households_in_scope(vote).filter(pk=household.pk).exists())):
        raise ValidationError({"household": f"{household}不在本次表决范围内（{electorate_label(vote)}）"})
    person = None
    if not vote.one_per_household:
        person = next((m.person for m in members if m.person_id == person_id), None)
        if person is None:
            raise ValidationError({"person": "本次表决每人一票：请选择该户中投票的人"})
    elif person_id is not None:
        person = next((m.person for m in members if m.person_id == person_id), None)
    ballot = _create_ballot(
        vote, household, person, option_id, Ballot.Channel.PAPER, cast_at=now, entered_by=user
    )
    record(topic, user=user, action="paper_ballot", note=f"{vote.title}：{household}")
    audit_record(
        actor=user,
        action="vote_paper",
        obj=vote,
        summary=f"录入纸质选票：{household}",
        household=household.pk,
    )
    return ballot


@transaction.atomic
def vote_close(*, user, vote_id: int) -> Vote:
    """After the closing time: count, freeze the result, and record it as the topic's decision (or refusal)."""
    vote, topic = begin_vote(user, vote_id, "vote_close", check=_require_closing_time)
    now = clock.now()
    result = compute(vote)
    vote.result, vote.status, vote.closed_at = result, Vote.Status.CLOSED, now
    VOTES.save(vote, "result", "status", "closed_at")
    outcome = result["outcome"]
    summary = (
        outcome["summary"]
        if outcome
        else "表决结束：" + "，".join(f"{o['label']} {o['count']} 票" for o in result["options"])
    )
    if outcome is not None:
        Decision.objects.create(
            topic=topic,
            vote=vote,
            text=f"表决“{vote.title}”：{summary}",
            adopted=outcome["passed"],
            decided_at=now,
            recorded_by=user,
        )
    record(topic, user=user, action="vote_close", note=summary)
    audit_record(actor=user, action="vote_close", obj=vote, summary=summary[:300], ballots=result["ballots"])
    return vote
