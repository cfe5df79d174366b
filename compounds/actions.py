"""The forms of the 小区 pages: each posts one ``do`` to ``compounds/<pk>/act/`` and calls one service; a refusal
is shown on the page (``linli.refusals``), never a 500."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from access.scope import Scope
from areas.models import Area
from compounds import elections, ratings, services
from compounds.models import CRITERIA, Body, Compound, Member
from compounds.scope import visible_compounds
from compounds.views import communities, owners, people_for
from linli.errors import ValidationError
from linli.refusals import REFUSALS, refusal
from units.models import Unit


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() and len(value.strip()) < 10 else None


def _date(post, field: str, label: str) -> date | None:
    raw = (post.get(field) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({field: f"{label}格式应为 年-月-日"}) from exc


def _moment(post, field: str, label: str) -> datetime:
    day = _date(post, field, label)
    if day is None:
        raise ValidationError({field: f"请填写{label}"})
    return timezone.make_aware(datetime.combine(day, time(18, 0)))


def _ids(post, field: str) -> list[int]:
    return [i for v in post.getlist(field) if (i := _int(v)) is not None]


def _body(compound: Compound, post) -> Body:
    body = (
        Body.objects.filter(compound=compound, pk=_int(post.get("body")) or 0)
        .select_related("compound", "firm")
        .first()
    )
    if body is None:
        raise ValidationError({"body": "请选择本小区的组织"})
    return body


def _update(request, compound: Compound, post) -> str:
    services.compound_update(
        user=request.user,
        compound_id=compound.pk,
        name=post.get("name", ""),
        kind=post.get("kind", ""),
        address=post.get("address", ""),
    )
    return "已保存小区信息"


def _buildings(request, compound: Compound, post) -> str:
    services.compound_set_buildings(
        user=request.user, compound_id=compound.pk, buildings=_ids(post, "buildings")
    )
    return "已调整小区楼栋"


def _body_create(request, compound: Compound, post) -> str:
    body = services.body_create(
        user=request.user,
        compound_id=compound.pk,
        kind=post.get("kind", ""),
        starts_on=_date(post, "starts_on", "任期开始"),
        ends_on=_date(post, "ends_on", "任期届满"),
    )
    return f"已登记{body}"


def _firm(request, compound: Compound, post) -> str:
    firm = Unit.objects.filter(pk=_int(post.get("firm")) or 0).first()
    if firm is None:
        raise ValidationError({"firm": "请选择物业服务企业"})
    services.firm_appoint(
        user=request.user,
        compound_id=compound.pk,
        firm=firm,
        starts_on=_date(post, "starts_on", "服务开始"),
        ends_on=_date(post, "ends_on", "服务届满"),
    )
    return f"已选聘{firm.name}"


def _member(request, compound: Compound, post) -> str:
    body = _body(compound, post)
    person = people_for(body).filter(pk=_int(post.get("person")) or 0).first()
    if person is None:
        raise ValidationError({"person": "请选择人员"})
    member = services.member_add(user=request.user, body_id=body.pk, person=person, post=post.get("post", ""))
    return f"已增补{member}"


def _member_remove(request, compound: Compound, post) -> str:
    member = Member.objects.filter(body__compound=compound, pk=_int(post.get("member")) or 0).first()
    if member is None:
        raise ValidationError({"member": "成员不存在"})
    services.member_remove(user=request.user, member_id=member.pk, reason=post.get("reason", ""))
    return "已办理离任"


def _body_end(request, compound: Compound, post) -> str:
    body = _body(compound, post)
    services.body_end(user=request.user, body_id=body.pk, reason=post.get("reason", ""))
    return f"{body}已卸任"


def _election(request, compound: Compound, post) -> str:
    chosen = set(_ids(post, "candidates"))
    people = [p for p in owners(compound) if p.pk in chosen]
    election = elections.election_create(
        user=request.user,
        compound_id=compound.pk,
        seats=_int(post.get("seats")) or 0,
        candidates=people,
        term_years=_int(post.get("term_years")) or 0,
        days=_int(post.get("days")) or 0,
    )
    return f"{election}：候选人已公示"


def _election_step(step: str) -> Callable[..., str]:
    def act(request, compound: Compound, post) -> str:
        election = compound.elections.filter(pk=_int(post.get("election")) or 0).first()
        if election is None:
            raise ValidationError({"election": "选举不存在"})
        if step == "open":
            elections.election_open(
                user=request.user,
                election_id=election.pk,
                closes_at=_moment(post, "closes_on", "投票截止日期"),
            )
            return "已开始投票：业主可在表决页面投票，纸质选票由工作人员录入"
        if step == "close":
            done = elections.election_close(user=request.user, election_id=election.pk)
            return f"计票完成：{done.get_status_display()}。{done.result_note}"
        elections.election_cancel(user=request.user, election_id=election.pk, reason=post.get("reason", ""))
        return "已取消选举"

    return act


def _scores(post) -> dict[str, Any]:
    return {field: post.get(field) for field, _ in CRITERIA}


def _rate(request, compound: Compound, post) -> str:
    ratings.rating_submit(
        user=request.user, compound_id=compound.pk, scores=_scores(post), comment=post.get("comment", "")
    )
    return "谢谢您的评价"


def _assess(request, compound: Compound, post) -> str:
    rating = ratings.rating_assess(
        user=request.user, compound_id=compound.pk, scores=_scores(post), comment=post.get("comment", "")
    )
    return f"已完成社区测评：{rating.total} 星 / 25"


ACTIONS: dict[str, Callable[..., str]] = {
    "update": _update,
    "buildings": _buildings,
    "body": _body_create,
    "firm": _firm,
    "member": _member,
    "member_remove": _member_remove,
    "body_end": _body_end,
    "election": _election,
    "election_open": _election_step("open"),
    "election_close": _election_step("close"),
    "election_cancel": _election_step("cancel"),
    "rate": _rate,
    "assess": _assess,
}


@login_required
@require_POST
def act(request, pk: int):
    compound = get_object_or_404(visible_compounds(Scope.of(request.user)), pk=pk)
    action = ACTIONS.get(request.POST.get("do", ""))
    if action is None:
        messages.error(request, "未知的操作")
    else:
        try:
            messages.success(request, action(request, compound, request.POST))
        except REFUSALS as exc:
            refusal(request, exc)
    return redirect("compounds-detail", compound.pk)


@login_required
@require_POST
def create(request, pk: int):
    scope = Scope.of(request.user)
    area = get_object_or_404(communities(scope), pk=pk, kind=Area.Kind.COMMUNITY)
    post = request.POST
    try:
        compound = services.compound_create(
            user=request.user,
            community=area,
            code=post.get("code", ""),
            name=post.get("name", ""),
            kind=post.get("kind", ""),
            address=post.get("address", ""),
            buildings=_ids(post, "buildings"),
        )
    except REFUSALS as exc:
        refusal(request, exc)
        return redirect("compounds-community", area.pk)
    messages.success(request, f"已登记{compound.name}")
    return redirect("compounds-detail", compound.pk)
