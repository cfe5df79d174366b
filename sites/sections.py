"""党群服务阵地 on pages it does not own: the 社区事务 card, the community's public page (sites with their hours,
no personal data), the area's staff page, and the figures on dashboards and in the monthly report."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from areas.models import Area
from evaluation.ledgers import LedgerTable
from notices.public import PublicSection
from sites import scope as rights
from sites import selectors
from sites.figures import site_table
from sites.models import ServiceSite
from web.hub import HubLink


def hub_card(request, scope) -> HubLink | None:
    if not rights.sites(scope).exists():
        return None
    waiting = selectors.waiting_bookings(scope).count() if rights.is_site_staff(scope) else None
    return HubLink(
        title="党群服务阵地",
        url=reverse("sites-index"),
        description="离您最近的服务中心、服务站和开放时间（含延时服务），预约活动室或代办、预约服务。",
        waiting=waiting or None,
        waiting_label="待确认预约",
    )


def public_sites(community: Area, now: datetime) -> PublicSection | None:
    sites = list(selectors.with_hours(ServiceSite.objects.filter(community=community, active=True)))
    if not sites:
        return None
    return PublicSection(
        key="sites",
        title="党群服务阵地与开放时间",
        template="sites/section_public.html",
        context={"sites": [(s, selectors.week(s), selectors.is_open(s, now)) for s in sites]},
    )


def area_sites(request, scope, area: Area) -> PublicSection | None:
    if area.kind in (Area.Kind.DISTRICT, Area.Kind.SUBDISTRICT):
        return None
    community = area.ancestor_of_kind(Area.Kind.COMMUNITY)
    qs = rights.sites(scope).filter(community=community)
    if area.kind == Area.Kind.GRID:
        qs = qs.filter(grid=area)
    sites = list(qs.prefetch_related("rooms"))
    if not sites:
        return None
    return PublicSection(
        key="sites",
        title="党群服务阵地",
        template="sites/section_area.html",
        context={"sites": sites},
    )


def report(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    return site_table(area, start, end)


HUB = [hub_card]
PUBLIC = [public_sites]
AREA = [area_sites]
REPORT = [report]
