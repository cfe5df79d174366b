"""Counting a vote: the tallies per option, and the outcome by 民法典 278 or by simple majority.

``result_for(vote, now)`` is what anybody may see: a secret vote shows only how many have voted until it closes;
a closed vote shows the result frozen when it was closed.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from deliberation.civil_code import owners_decision, simple_majority
from deliberation.electorate import electorate_label, totals, turnout
from deliberation.models import Vote


def compute(vote: Vote) -> dict[str, Any]:
    options = list(vote.options.all())
    ballots = list(vote.ballots.values_list("option_id", "floor_area", "channel"))
    zero = Decimal("0.00")
    counts: dict[int, int] = {o.pk: 0 for o in options}
    areas: dict[int, Decimal] = {o.pk: zero for o in options}
    for option_id, area, _ in ballots:
        counts[option_id] += 1
        areas[option_id] += area or zero
    approvals = {o.pk for o in options if o.is_approval}
    voted_area = sum((area or zero for _, area, _ in ballots), zero)
    agreed = sum(counts[o] for o in approvals)
    agreed_area = sum((areas[o] for o in approvals), zero)
    total_area, total_households = totals(vote)
    roll = turnout(vote)
    outcome = None
    if vote.matter:
        outcome = owners_decision(
            weighty=vote.matter == Vote.Matter.WEIGHTY,
            total_area=total_area,
            total_owners=total_households,
            voted_area=voted_area,
            voted_owners=len(ballots),
            agreed_area=agreed_area,
            agreed_owners=agreed,
        )
    elif approvals:
        outcome = simple_majority(voted=len(ballots), agreed=agreed)
    return {
        "rule": str(Vote.Matter(vote.matter).label),
        "electorate": electorate_label(vote),
        "by": roll.by,
        "eligible": roll.may_vote,
        "not_voted": roll.not_voted,
        "total_area": str(total_area),
        "total_households": total_households,
        "ballots": len(ballots),
        "paper_ballots": sum(1 for *_, channel in ballots if channel == "paper"),
        "voted_area": str(voted_area),
        "options": [
            {
                "id": o.pk,
                "label": o.label,
                "is_approval": o.is_approval,
                "count": counts[o.pk],
                "area": str(areas[o.pk]),
            }
            for o in options
        ],
        "outcome": outcome.as_dict() if outcome else None,
    }


def reworded(outcome: dict[str, Any] | None) -> dict[str, Any] | None:
    """A frozen outcome in today's words: its lines worded again from the figures frozen with it (a result frozen
    before the wording of article 278 was corrected read "须超过 3 户，恰好达到"). The figures and whether each line
    was met stay as frozen."""
    if not outcome or outcome.get("rule") not in ("ordinary", "weighty", "simple"):
        return outcome
    lines = {t["key"]: t for t in outcome["thresholds"]}
    try:
        if outcome["rule"] == "simple":
            t = lines["approval_ballots"]
            again = simple_majority(voted=int(t["base"]), agreed=int(t["actual"]))
        else:
            again = owners_decision(
                weighty=outcome["rule"] == "weighty",
                total_area=Decimal(lines["quorum_area"]["base"]),
                total_owners=int(lines["quorum_owners"]["base"]),
                voted_area=Decimal(lines["quorum_area"]["actual"]),
                voted_owners=int(lines["quorum_owners"]["actual"]),
                agreed_area=Decimal(lines["approval_area"]["actual"]),
                agreed_owners=int(lines["approval_owners"]["actual"]),
            )
    except (KeyError, ValueError, ArithmeticError):
        return outcome
    fresh = {t["key"]: t for t in again.as_dict()["thresholds"]}
    thresholds = [{**fresh[t["key"]], "met": t["met"]} for t in outcome["thresholds"]]
    return {**outcome, "thresholds": thresholds}


def result_for(vote: Vote, now: datetime) -> dict[str, Any]:
    """The result as shown: final once closed, live for an open vote, hidden for a secret one until it closes."""
    if vote.status == Vote.Status.CLOSED and vote.result is not None:
        return {
            **vote.result,
            "outcome": reworded(vote.result.get("outcome")),
            "final": True,
            "hidden": False,
        }
    if vote.secret and not vote.is_over(now):
        roll = turnout(vote)  # how many have voted is public; how they voted is not
        return {
            "rule": str(Vote.Matter(vote.matter).label),
            "electorate": electorate_label(vote),
            "by": roll.by,
            "eligible": roll.may_vote,
            "not_voted": roll.not_voted,
            "ballots": roll.voted,
            "final": False,
            "hidden": True,
            "message": "不记名投票：截止后公布结果，目前只公布已投票数",
        }
    return {**compute(vote), "final": False, "hidden": False}
