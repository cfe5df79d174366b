"""活动 on pages it does not own: the 社区事务 card, upcoming activities on the community's public page (titles,
times and places only: no names), the area page's list, and the 场次/人次 table of the dashboards and report."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from activities import scope as rights
from activities import selectors
from activities.figures import activity_table
from activities.models import Activity
from areas.models import Area
from evaluation.ledgers import LedgerTable
from linli import clock
from notices.public import PublicSection
from web.hub import HubLink


def hub_card(request, scope) -> HubLink | None:
    if not scope.is_admin and not scope.assignments:
        return None
    open_to_me = selectors.upcoming(scope, clock.now()).count()
    return HubLink(
        title="社区活动",
        url=reverse("activities-index"),
        description="道德讲堂、微党课、法治讲堂、我们的节日、志愿服务日等：报名、扫码签到、活动小结与服务时长。",
        waiting=open_to_me or None,
        waiting_label="可报名",
    )


def public_upcoming(community: Area, now: datetime) -> PublicSection | None:
    coming = list(
        Activity.objects.filter(community=community, status=Activity.Status.PUBLISHED, ends_at__gte=now)
        .select_related("area")
        .order_by("starts_at")[:10]
    )
    held = Activity.objects.filter(community=community, status=Activity.Status.HELD).order_by("-starts_at")[
        :5
    ]
    if not coming and not held:
        return None
    return PublicSection(
        key="activities",
        title="社区活动",
        template="activities/section_public.html",
        context={"coming": coming, "held": list(held)},
    )


def area_activities(request, scope, area: Area) -> PublicSection | None:
    if area.kind not in (Area.Kind.COMMUNITY, Area.Kind.GRID):
        return None
    qs = rights.activities(scope).filter(status__in=rights.PUBLIC_STATUSES)
    qs = qs.filter(area=area) if area.kind == Area.Kind.GRID else qs.filter(community=area)
    rows = list(selectors.with_counts(qs).order_by("-starts_at")[:10])
    if not rows:
        return None
    return PublicSection(
        key="activities",
        title="社区活动",
        template="activities/section_area.html",
        context={"rows": rows, "area": area},
    )


def report(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    return activity_table(area, start, end)


HUB = [hub_card]
PUBLIC = [public_upcoming]
AREA = [area_activities]
REPORT = [report]
