"""Reads of the party tree (区委 → 街道党工委 → 社区大党委 → 网格党支部 → 楼栋党小组) and its coverage figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from areas.models import Area, Building
from needs.models import Registration
from people.models import Person
from units.models import CoBuildingLink, PartyOrg


@dataclass
class TreeNode:
    org: PartyOrg
    depth: int
    members: int = 0
    registered: int = 0  # in-service party members registered with the community (双报到), on its committee
    children: list[TreeNode] = field(default_factory=list)


def orgs_of(area: Area) -> QuerySet[PartyOrg]:
    """The party organisations of the area and everything below it (not the units' own)."""
    return PartyOrg.objects.filter(area__path__startswith=area.path).select_related(
        "area", "building", "secretary", "parent"
    )


def chain_above(area: Area) -> list[PartyOrg]:
    """The organisations above the area's own top committee (区委, 街道党工委), top first, by its parent links."""
    top = (
        PartyOrg.objects.filter(area=area, unit__isnull=True)
        .exclude(parent__area=area)
        .order_by("code")
        .first()
    )
    chain: list[PartyOrg] = []
    parent_id = top.parent_id if top else None
    while parent_id is not None and len(chain) < 10:
        org = PartyOrg.objects.select_related("area", "secretary").get(pk=parent_id)
        chain.insert(0, org)
        parent_id = org.parent_id
    return chain


def registered_party_members(community: Area) -> QuerySet[Person]:
    """双报到: in-service party members registered (and still registered) with the community."""
    return Person.objects.filter(
        registrations__community=community, registrations__status=Registration.Status.ACTIVE
    ).distinct()


def tree(area: Area) -> list[TreeNode]:
    """The area's party organisations as a forest (roots are those whose parent lies outside the area)."""
    orgs = list(orgs_of(area).order_by("code"))
    ids = {o.pk for o in orgs}
    counts = dict(
        Person.objects.filter(party_org_id__in=ids)
        .values_list("party_org_id")
        .annotate(n=Count("id"))
        .values_list("party_org_id", "n")
    )
    nodes = {o.pk: TreeNode(org=o, depth=0, members=counts.get(o.pk, 0)) for o in orgs}
    roots: list[TreeNode] = []
    for o in orgs:
        node = nodes[o.pk]
        if o.area and o.area.kind == Area.Kind.COMMUNITY and o.parent_id not in ids:
            node.registered = registered_party_members(o.area).count()
        parent = nodes.get(o.parent_id) if o.parent_id else None
        (parent.children if parent else roots).append(node)

    def level(ns: list[TreeNode], depth: int) -> None:
        for n in ns:
            n.depth = depth
            level(n.children, depth + 1)

    level(roots, 0)
    return roots


def flatten(nodes: list[TreeNode]) -> list[TreeNode]:
    out: list[TreeNode] = []
    for n in nodes:
        out.append(n)
        out.extend(flatten(n.children))
    return out


def co_building_orgs(community: Area) -> QuerySet[CoBuildingLink]:
    return CoBuildingLink.objects.filter(community=community).select_related("party_org__unit", "party_org")


# ---- coverage figures ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Coverage:
    buildings: int
    covered: int  # buildings with a 楼栋党小组
    party_members: int  # party members living or organised in the area
    registered: int  # 双报到 in-service party members registered with its communities


def buildings_in(area: Area) -> QuerySet[Building]:
    return Building.objects.filter(grid__path__startswith=area.path)


def coverage(area: Area) -> Coverage:
    buildings = buildings_in(area)
    covered = buildings.filter(party_groups__kind=PartyOrg.Kind.GROUP).distinct().count()
    members = (
        Person.objects.filter(is_party_member=True)
        .filter(
            Q(community__path__startswith=area.path)
            | Q(memberships__household__building__grid__path__startswith=area.path)
        )
        .distinct()
        .count()
    )
    registered = (
        Registration.objects.filter(
            community__path__startswith=area.path,
            status=Registration.Status.ACTIVE,
            person__isnull=False,
        )
        .values("person")
        .distinct()
        .count()
    )
    return Coverage(buildings.count(), covered, members, registered)


def rows_below(area: Area) -> list[Area]:
    """The areas one level below that a coverage table breaks the figure into (a grid has none)."""
    if area.kind == Area.Kind.GRID:
        return []
    below: dict[str, str] = {
        "district": "subdistrict",
        "subdistrict": "community",
        "community": "grid",
        "zone": "grid",
    }
    wanted = below[area.kind]
    return list(Area.objects.filter(path__startswith=area.path, kind=wanted).order_by("path"))


def as_of(end: datetime) -> str:
    return end.strftime("%Y-%m-%d")
