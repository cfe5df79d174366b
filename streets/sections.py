"""街长制 on other pages: the community's staff page, its public page, the hub and a street's figures."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from access.scope import Scope
from appeals.models import Appeal
from areas.models import Area
from evaluation.ledgers import Cell, LedgerTable, Rate
from notices.public import PublicSection
from streets.models import Street
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
    return PublicSection(
        key="streets",
        title="街长制",
        template="streets/section.html",
        context={"community": area, "streets": _streets(area), "link": True},
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


def street_table(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    rows: list[list[Cell]] = []
    links: list[str] = []
    for s in Street.objects.filter(community__path__startswith=area.path).select_related(
        "head", "lead_unit", "community"
    ):
        grid_ids = list(s.grids.values_list("pk", flat=True))
        appeals = Appeal.objects.filter(
            grid_id__in=grid_ids,
            category__in=_with_children(s),
            submitted_at__gte=start,
            submitted_at__lt=end,
        ).exclude(status__in=["withdrawn", "merged"])
        closed = appeals.filter(status="closed").count()
        rows.append(
            [
                str(s),
                s.head.name if s.head else "",
                s.lead_unit.name if s.lead_unit else "",
                appeals.count(),
                closed,
                Rate(closed, appeals.count()),
            ]
        )
        links.append(reverse("streets-community", args=[s.community_id]))
    if not rows:
        return None
    return LedgerTable(
        key="streets",
        title="街长制",
        columns=["街路", "街长", "牵头部门", "本期街路诉求", "已办结", "办结率"],
        rows=rows,
        definitions=[
            "本期街路诉求：本期内提交、所在网格为该街路途经网格、类别属于街长负责类别（含其下级类别）的诉求，不含撤回和合并的。",
            "办结率 = 其中已办结的 ÷ 本期街路诉求。",
        ],
        links=links,
    )


def _with_children(street: Street):
    from categories.models import Category

    roots = list(street.categories.values_list("pk", flat=True))
    return (
        Category.objects.filter(pk__in=roots)
        | Category.objects.filter(parent_id__in=roots)
        | Category.objects.filter(parent__parent_id__in=roots)
    )


AREA = [streets_section]
PUBLIC = [public_streets]
HUB = [hub_card]
REPORT = [street_table]
