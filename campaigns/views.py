"""Pages of 评选: the list (and a new campaign), a campaign with its nominations, scores and steps, a household's
honours and star rating, the Excel export."""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from access.models import RoleAssignment
from access.scope import Scope
from areas.models import Area, Building, Household
from campaigns import services
from campaigns.models import Campaign, Honour, Nomination, Score
from campaigns.scope import is_panel_member, may_run, nominator_source, visible_campaigns
from campaigns.selectors import honours_in_force
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from linli.refusals import refusal
from notices.selectors import chosen_run_community, run_communities
from spreadsheets import safe

REFUSED = (ValidationError, PermissionDenied, TransitionError)
CRITERION_LINE = re.compile(r"^\s*(.+?)\s+(\d{1,3})\s*分?\s*$")


def panel_candidates(community: Area):
    """People who may sit on a panel: those holding a role at the community, above it or below it."""
    ids = community.ancestor_ids()
    held = RoleAssignment.objects.filter(Q(area_id__in=ids) | Q(area__path__startswith=community.path))
    return (
        get_user_model()
        .objects.filter(pk__in=held.values("user"))
        .select_related("person")
        .order_by("pk")[:100]
    )


def parse_criteria(text: str) -> list[tuple[str, int]]:
    out = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        m = CRITERION_LINE.match(line)
        if m is None:
            raise ValidationError(
                {"criteria": f"评分项“{line.strip()[:20]}”请写成“名称 满分”，例如：家庭和睦 30"}
            )
        out.append((m.group(1), int(m.group(2))))
    return out


def _local_datetime(value: str) -> datetime:
    try:
        return timezone.make_aware(datetime.fromisoformat(value))
    except (TypeError, ValueError) as exc:
        raise ValidationError({"nominations_close": "请填写提名截止时间"}) from exc


@login_required
def campaign_list(request):
    scope = Scope.of(request.user)
    runnable = list(run_communities(scope)[:50])
    if request.method == "POST":
        try:
            community = chosen_run_community(runnable, request.POST.get("community"))
            panel_ids = request.POST.getlist("panel")
            campaign = services.campaign_create(
                user=request.user,
                community=community,
                kind=request.POST.get("kind", ""),
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                nominations_close=_local_datetime(request.POST.get("nominations_close", "")),
                places=int(request.POST.get("places") or 0)
                if (request.POST.get("places") or "0").isdigit()
                else 0,
                criteria=parse_criteria(request.POST.get("criteria", "")),
                panel=list(panel_candidates(community).filter(pk__in=[i for i in panel_ids if i.isdigit()])),
            )
        except REFUSED as exc:
            refusal(request, exc)
        else:
            messages.success(request, f"已发起评选：{campaign.title}")
            return redirect("campaigns-detail", pk=campaign.pk)
    campaigns = visible_campaigns(scope).select_related("community")
    if not campaigns.exists() and not runnable:
        raise Http404
    return render(
        request,
        "campaigns/list.html",
        {
            "campaigns": campaigns[:200],
            "runnable": runnable,
            "kinds": Campaign.Kind.choices,
            "candidates": panel_candidates(runnable[0]) if runnable else [],
        },
    )


EVENT_LABELS = {**services.LABELS, "create": "发起评选", "panel": "确定评审组"}


def _labelled(event):
    event.label = EVENT_LABELS.get(event.action, event.action)
    return event


def _context(request, scope: Scope, campaign: Campaign) -> dict:
    criteria = list(campaign.criteria.all())
    nominations = list(campaign.nominations.select_related("household__building", "building"))
    mine = {
        (s.nomination_id, s.criterion_id): s.points
        for s in Score.objects.filter(nomination__campaign=campaign, member=request.user)
    }
    can_see_scores = may_run(scope, campaign) or is_panel_member(scope, campaign)
    for n in nominations:
        n.my_points = [(c, mine.get((n.pk, c.pk))) for c in criteria]  # type: ignore[attr-defined]
        n.scorers = n.scores.values("member").distinct().count() if can_see_scores else None  # type: ignore[attr-defined]
    return {
        "campaign": campaign,
        "criteria": criteria,
        "nominations": nominations,
        "can_run": may_run(scope, campaign),
        "is_panel": is_panel_member(scope, campaign),
        "can_see_scores": can_see_scores,
        "source": nominator_source(scope, campaign.community),
        "buildings": Building.objects.filter(grid__path__startswith=campaign.community.path).order_by("code")[
            :300
        ],
        "events": [_labelled(e) for e in campaign.events.select_related("actor__person")],
        "panel": campaign.panel.select_related("person"),
        "now": clock.now(),
    }


@login_required
def campaign_detail(request, pk: int):
    scope = Scope.of(request.user)
    campaign = get_object_or_404(visible_campaigns(scope).select_related("community", "notice"), pk=pk)
    return render(request, "campaigns/detail.html", _context(request, scope, campaign))


def _household(campaign: Campaign, building_id: str, number: str) -> Household | None:
    if not building_id.isdigit():
        return None
    household = Household.objects.filter(
        building_id=building_id,
        building__grid__path__startswith=campaign.community.path,
        number=number.strip(),
    ).first()
    if household is None and number.strip():
        raise ValidationError({"household": "没有找到这个楼栋和房号，请核对"})
    return household


@login_required
@require_POST
def campaign_step(request, pk: int, action: str):
    scope = Scope.of(request.user)
    campaign = get_object_or_404(visible_campaigns(scope), pk=pk)
    post = request.POST
    done = {
        "review": "提名已截止，评审组开始评分",
        "publicize": "拟表彰名单已在阳光居务公示",
        "finish": "评选结果已揭晓，光荣榜已更新",
        "cancel": "评选已撤销",
        "nominate": "提名已提交",
        "score": "评分已保存",
        "exclude": "已取消拟表彰",
    }
    try:
        if action == "review":
            services.campaign_review(user=request.user, campaign_id=campaign.pk)
        elif action == "publicize":
            days = int(post.get("days") or 7) if (post.get("days") or "7").isdigit() else 0
            services.campaign_publicize(user=request.user, campaign_id=campaign.pk, days=days)
        elif action == "finish":
            services.campaign_finish(user=request.user, campaign_id=campaign.pk)
        elif action == "cancel":
            services.campaign_cancel(
                user=request.user, campaign_id=campaign.pk, reason=post.get("reason", "")
            )
        elif action == "nominate":
            building_id = post.get("building", "")
            services.nomination_create(
                user=request.user,
                campaign_id=campaign.pk,
                reason=post.get("reason", ""),
                household=None
                if campaign.for_buildings
                else _household(campaign, building_id, post.get("number", "")),
                building=Building.objects.filter(pk=building_id).first()
                if campaign.for_buildings and building_id.isdigit()
                else None,
            )
        elif action == "score":
            nomination = get_object_or_404(campaign.nominations, pk=post.get("nomination") or 0)
            points = {c.pk: _int(post.get(f"criterion_{c.pk}")) for c in campaign.criteria.all()}
            services.score_submit(
                user=request.user,
                nomination_id=nomination.pk,
                points={k: v for k, v in points.items() if v is not None},
            )
        elif action == "exclude":
            nomination = get_object_or_404(campaign.nominations, pk=post.get("nomination") or 0)
            services.nomination_exclude(
                user=request.user, nomination_id=nomination.pk, reason=post.get("reason", "")
            )
        else:
            raise Http404
    except REFUSED as exc:
        refusal(request, exc)
    else:
        messages.success(request, done[action])
    return redirect("campaigns-detail", pk=campaign.pk)


def _int(value) -> int | None:
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


@login_required
def household_honours(request, pk: int):
    """A household's honours and the star rating in force (a year from its award)."""
    scope = Scope.of(request.user)
    household = get_object_or_404(scope.households().select_related("building__grid"), pk=pk)
    today = clock.now().date()
    honours = list(Honour.objects.filter(household=household).select_related("campaign", "nomination"))
    in_force = next((h for h in honours_in_force(household, today) if h.stars), None)
    return render(
        request,
        "campaigns/household.html",
        {"household": household, "honours": honours, "stars": in_force, "today": today},
    )


@login_required
def export(request):
    scope = Scope.of(request.user)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "评选提名"
    ws.append(
        ["社区", "评选", "类型", "提名对象", "推荐方式", "推荐理由", "评审平均分", "状态", "荣誉", "星级"]
    )
    rows = Nomination.objects.filter(campaign__in=visible_campaigns(scope)).select_related(
        "campaign__community"
    )
    for n in rows.order_by("campaign_id", "-total")[:20000]:
        honour = getattr(n, "honour", None) if n.status == Nomination.Status.HONOURED else None
        ws.append(
            safe.clean_row(
                [
                    n.campaign.community.name,
                    n.campaign.title,
                    n.campaign.get_kind_display(),
                    n.public_name,
                    n.get_source_display(),
                    n.reason,
                    float(n.total) if n.total is not None else "",
                    n.get_status_display(),
                    honour.title if honour else "",
                    honour.stars or "" if honour else "",
                ]
            )
        )
    out = BytesIO()
    safe.save(wb, out)
    response = HttpResponse(
        out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename=campaigns.xlsx"
    return response
