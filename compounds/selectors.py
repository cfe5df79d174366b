"""Reads of 小区 shared by the pages, the API and the sections: a compound with its buildings, bodies in office and
their members, the firm serving it and its current rating."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from areas.models import Area, Building
from compounds.figures import Current, current_rating
from compounds.models import Body, Compound, Election, Member


def in_community(compounds: QuerySet[Compound], community: Area) -> QuerySet[Compound]:
    return compounds.filter(community=community).order_by("name")


def in_area(compounds: QuerySet[Compound], area: Area) -> QuerySet[Compound]:
    """Compounds of the area: those of its community, or for a zone or grid those with a building in it."""
    if area.kind in (Area.Kind.ZONE, Area.Kind.GRID):
        ids = Building.objects.filter(grid__path__startswith=area.path, compound__isnull=False).values(
            "compound"
        )
        return compounds.filter(pk__in=ids).order_by("name")
    return compounds.filter(community__path__startswith=area.path).order_by("community__path", "name")


def active_members() -> Prefetch:
    members = Member.objects.filter(left_at__isnull=True).select_related("person").order_by("post", "id")
    return Prefetch("members", queryset=members, to_attr="current_members")


@dataclass
class Overview:
    compound: Compound
    buildings: list[Building]
    bodies: dict[str, Body] = field(default_factory=dict)  # kind -> the body in office
    rating: Current | None = None
    election: Election | None = None  # the latest election that was not cancelled

    @property
    def grids(self) -> list[Area]:
        return list({b.grid_id: b.grid for b in self.buildings}.values())

    @property
    def management(self) -> Body | None:
        """The firm's term serving the compound now (物业)."""
        return self.bodies.get(Body.Kind.PROPERTY)

    @property
    def committee(self) -> Body | None:
        return self.bodies.get(Body.Kind.OWNERS_COMMITTEE)

    @property
    def self_management(self) -> Body | None:
        return self.bodies.get(Body.Kind.SELF_MANAGEMENT)


def overviews(compounds: QuerySet[Compound]) -> list[Overview]:
    """Each compound with what its pages show, in a fixed number of queries (plus one rating read per firm)."""
    rows = list(
        compounds.select_related("community").prefetch_related(
            Prefetch("buildings", queryset=Building.objects.select_related("grid").order_by("code")),
            Prefetch(
                "bodies",
                queryset=Body.objects.filter(status=Body.Status.ACTIVE)
                .select_related("firm", "party_org")
                .prefetch_related(active_members()),
                to_attr="active_bodies",
            ),
        )
    )
    latest: dict[int, Election] = {}
    for e in Election.objects.filter(compound__in=[c.pk for c in rows]).exclude(
        status=Election.Status.CANCELLED
    ):
        if e.compound_id not in latest or (e.created_at, e.pk) > (
            latest[e.compound_id].created_at,
            latest[e.compound_id].pk,
        ):
            latest[e.compound_id] = e
    out = []
    for c in rows:
        view = Overview(compound=c, buildings=list(c.buildings.all()), election=latest.get(c.pk))
        for body in c.active_bodies:  # type: ignore[attr-defined]
            view.bodies[body.kind] = body
        firm = view.management
        if firm is not None and firm.firm_id is not None:
            view.rating = current_rating(c.pk, firm.firm_id)
        out.append(view)
    return out


def overview(compound: Compound) -> Overview:
    return overviews(Compound.objects.filter(pk=compound.pk))[0]
