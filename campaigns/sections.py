"""评选 on pages it does not own: the honour roll on the community's public page, its card on 社区事务, and the
results per campaign on the dashboards and in the monthly report."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse

from access.scope import Scope
from areas.models import Area
from campaigns.models import Campaign, Honour, Nomination
from campaigns.scope import visible_campaigns
from evaluation.ledgers import Cell, LedgerTable, Rate, table_of
from notices.public import PublicSection


def honour_roll_section(community: Area, now: datetime) -> PublicSection | None:
    """光荣榜: the campaigns announced in the last two years and those open for nominations; masked names only."""
    finished = list(
        Campaign.objects.filter(
            community=community, status=Campaign.Status.FINISHED, finished_at__gte=now - timedelta(days=730)
        ).prefetch_related("honours__nomination")[:10]
    )
    open_now = list(
        Campaign.objects.filter(
            community=community, status=Campaign.Status.NOMINATING, nominations_close__gt=now
        )[:5]
    )
    if not finished and not open_now:
        return None
    return PublicSection(
        key="honour-roll",
        title="评选光荣榜",
        template="campaigns/section_public.html",
        context={"finished": finished, "open_now": open_now, "today": now.date()},
    )


def hub_card(request, scope: Scope):
    from web.hub import HubLink

    campaigns = visible_campaigns(scope)
    if not campaigns.exists() and not scope.is_staff_like:
        return None
    user_pk = getattr(scope.user, "pk", None) or 0
    to_score = campaigns.filter(status=Campaign.Status.REVIEWING, panel__pk=user_pk).count()
    return HubLink(
        title="评选表彰",
        url=reverse("campaigns-list"),
        description="最美家庭、星级文明户、文明楼院：推荐、评审打分、公示、光荣榜",
        waiting=to_score or None,
        waiting_label="待评分",
    )


def results_table(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    campaigns = Campaign.objects.filter(
        Q(finished_at__isnull=True) | Q(finished_at__gte=start),
        community__path__startswith=area.path,
        created_at__lt=end,
    ).exclude(status=Campaign.Status.CANCELLED)

    def row(c: Campaign) -> tuple[list[Cell], str]:
        nominated = c.nominations.filter(nominated_at__lt=end).count()
        announced = c.finished_at is not None and c.finished_at < end
        honoured = Honour.objects.filter(campaign=c).count() if announced else 0
        residents = c.nominations.filter(source=Nomination.Source.RESIDENT, nominated_at__lt=end).count()
        cells: list[Cell] = [
            c.community.name,
            c.title,
            c.get_kind_display(),
            "已揭晓" if announced else "未揭晓",
            nominated,
            residents,
            honoured,
            Rate(honoured, nominated),
        ]
        return cells, reverse("campaigns-detail", args=[c.pk])

    return table_of(
        campaigns.select_related("community").order_by("created_at", "id")[:200],
        row,
        key="campaigns",
        title="评选表彰",
        columns=["社区", "评选", "类型", "状态", "提名数", "其中居民推荐", "表彰数", "表彰比例"],
        definitions=[
            "列出本区域内本期揭晓的评选和本期末尚未揭晓的评选（已撤销的不计）；状态为本期末的状态。",
            "提名数：本期末以前的提名（居民、网格员、社区推荐）；其中居民推荐：居民本人提出的提名。",
            "表彰数：本期内揭晓时授予荣誉的家庭或楼院（公示期内因异议取消的不计）。",
            "表彰比例 = 表彰数 ÷ 提名数。",
        ],
    )


PUBLIC = [honour_roll_section]
HUB = [hub_card]
REPORT = [results_table]
