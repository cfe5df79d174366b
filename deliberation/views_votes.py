"""The vote page: big buttons for residents on a phone; paper ballots, closing and the count for staff."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from audit.access_log import reveal_records
from deliberation import voting
from deliberation.electorate import electorate_label, turnout, voter_households
from deliberation.selectors import is_runner, my_ballot, visible_votes
from deliberation.tally import result_for
from linli import clock
from linli.errors import ValidationError
from linli.refusals import REFUSALS, refusal


@login_required
def vote_detail(request, pk: int):
    scope = Scope.of(request.user)
    vote = get_object_or_404(visible_votes(scope), pk=pk)
    now = clock.now()
    runner = is_runner(scope, vote.topic)
    person = scope.person
    households = voter_households(vote, person) if person is not None else []
    context: dict[str, Any] = {
        "vote": vote,
        "topic": vote.topic,
        "options": list(vote.options.all()),
        "runner": runner,
        "households": households,
        "ballot": my_ballot(scope, vote),
        "accepting": vote.accepts_ballots(now),
        "over": vote.is_over(now),
        "result": result_for(vote, now),
        "electorate": electorate_label(vote),
    }
    if runner and context["accepting"]:
        # the same roll as the count line: those not yet voted, and only they, are offered a paper ballot
        roll = context["turnout"] = turnout(vote)
        # a person's vote lists each voter not yet voted with their flat: their home, in the PIPL access log
        reveal_records(user=request.user, shown=[(s.household, s.person) for s in roll.waiting if s.person])
    return render(request, "deliberation/vote.html", context)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_POST
def vote_act(request, pk: int, action: str):
    scope = Scope.of(request.user)
    vote = get_object_or_404(visible_votes(scope), pk=pk)
    option = _int(request.POST.get("option"))
    try:
        if action == "cast":
            if option is None:
                raise ValidationError({"option": "请选择一个选项"})
            voting.vote_cast(
                user=request.user,
                vote_id=pk,
                option_id=option,
                household_id=_int(request.POST.get("household")),
            )
            messages.success(request, "投票成功，谢谢您的参与")
        elif action == "paper":
            flat, _, person = (request.POST.get("household") or "").partition("-")
            household = scope.households().filter(pk=_int(flat) or 0).first()
            if household is None or option is None:
                raise ValidationError({"household": "请选择户和选项"})
            voting.vote_enter_paper(
                user=request.user, vote_id=pk, household=household, option_id=option, person_id=_int(person)
            )
            messages.success(request, f"已录入纸质选票：{household}")
        elif action == "close":
            voting.vote_close(user=request.user, vote_id=pk)
            messages.success(request, "表决已结束，结果已公布")
        else:
            raise Http404
    except REFUSALS as exc:
        refusal(request, exc)
    return redirect("vote-detail", pk=vote.pk)
