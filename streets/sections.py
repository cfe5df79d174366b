"""街长制 on other pages: the community's staff page, its public page, the hub and a street's figures."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from access.scope import Scope
from appeals.models import OPEN_STATUSES, Appeal
from areas.models import Area
from evaluation.ledgers import Cell, LedgerTable
from linli import clock
from notices.public import PublicSection
from streets.figures import DEFINITIONS, street_figures
from streets.models import Street
from streets.selectors import year_bounds
from web.hub import HubLink


def _streets(community: Area):
    return (
        Street.objects.filter(community=community)
        .select_related("head", "lead_unit")
        .prefetch_related("grids", "categories")
    )


def streets_section(request, scope: Scope, area: Area) -> PublicSection | None:
    if area.kind != Area.Kind.COMMUNITY:
        return None
    streets = list(_streets(area))
    start, end = year_bounds(clock.now())
    figures = street_figures([s.pk for s in streets], start, end)
    return PublicSection(
        key="streets",
        title="街长制",
        template="streets/section.html",
        context={
            "community": area,
            "streets": streets,
            "link": True,
            "year": start.year,
            "rows": [(s, figures[s.pk]) for s in streets],
        },
    )


def public_streets(community: Area, now: datetime) -> PublicSection | None:
    streets = list(_streets(community))
    if not streets:
        return None
    return PublicSection(
        key="streets",
        title="街长公示",
        template="streets/section.html",
        context={"community": community, "streets": streets, "link": False},
    )


def hub_card(request, scope: Scope) -> HubLink | None:
    if not scope.is_staff_like:
        return None
    return HubLink(
        title="街长制",
        url=reverse("streets-index"),
        description="街路、街长、牵头和包保部门，街路诉求的分拨。",
    )


def my_streets_card(request, scope: Scope) -> HubLink | None:
    """The 街长's own streets and the appeals filed on them; the open ones wait."""
    if not scope.street_ids:
        return None
    waiting = Appeal.objects.filter(street_id__in=scope.street_ids, status__in=OPEN_STATUSES).count()
    return HubLink(
        title="我的街路",
        url=reverse("streets-mine"),
        description="我担任街长的街路，以及居民在这些街路上反映的诉求。",
        waiting=waiting,
        waiting_label="办理中",
    )


def street_table(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    streets = list(
        Street.objects.filter(community__path__startswith=area.path).select_related(
            "head", "lead_unit", "community"
        )
    )
    if not streets:
        return None
    figures = street_figures([s.pk for s in streets], start, end)
    rows: list[list[Cell]] = []
    for s in streets:
        f = figures[s.pk]
        rows.append(
            [
                f"{s.community.name} · {s}",
                s.head.name if s.head else "",
                s.lead_unit.name if s.lead_unit else "",
                f.appeals,
                f.closed,
                f.rated,
                f.resolved,
                f.resolution,
            ]
        )
    return LedgerTable(
        key="streets",
        title="街长制 · 街路诉求",
        columns=["街路", "街长", "牵头部门", "街路诉求", "已办结", "已评价", "已解决", "解决率"],
        rows=rows,
        definitions=DEFINITIONS,
        links=[reverse("streets-street", args=[s.pk]) for s in streets],
    )


AREA = [streets_section]
PUBLIC = [public_streets]
HUB = [hub_card, my_streets_card]
REPORT = [street_table]
