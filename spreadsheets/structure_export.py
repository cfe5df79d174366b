"""The rows of the structure sheets (``structure_layout``) that a scope may see, in the workbook's column order."""

from __future__ import annotations

from typing import Any

from access.scope import Scope
from cobuilding.models import Pledge
from cobuilding.scope import agreements
from compounds.models import Body, Member
from compounds.scope import visible_compounds
from councils.models import Seat
from councils.scope import councils
from estates.selectors import stewards
from people.models import Person
from spreadsheets.structure_layout import (
    AGREEMENTS,
    BODIES,
    COMPOUNDS,
    COUNCILS,
    MEMBERS,
    PARTY,
    PLEDGES,
    SEATS,
    STEWARDS,
    STREETS,
)
from streets.selectors import visible_streets


def _who(scope: Scope, person: Person | None) -> list[str]:
    return [person.name, scope.phone_of(person)] if person is not None else ["", ""]


def _codes(objects) -> str:
    return "、".join(sorted(o.code for o in objects))


def _yuan(fen: int) -> str:
    return f"{fen / 100:.2f}" if fen else ""


def structure_rows(scope: Scope) -> dict[str, list[list[Any]]]:
    orgs = scope.party_orgs().select_related("parent", "area", "unit", "building", "secretary")
    deals = agreements(scope).select_related("unit", "community", "party_org").order_by("pk")
    pledges = (
        Pledge.objects.filter(agreement__in=deals)
        .select_related("agreement__unit", "agreement__community")
        .order_by("agreement_id", "id")
    )
    bodies = councils(scope).order_by("pk")
    seats = (
        Seat.objects.filter(council__in=bodies)
        .select_related("council__area", "unit", "person")
        .order_by("id")
    )
    streets = (
        visible_streets(scope)
        .select_related("community", "head", "lead_unit")
        .prefetch_related("grids", "units", "categories")
        .order_by("pk")
    )
    heads = (
        stewards(scope)
        .filter(ended_at__isnull=True)
        .select_related("building")
        .prefetch_related("households")
        .order_by("pk")
    )
    places = visible_compounds(scope).prefetch_related("buildings").order_by("pk")
    terms = (
        Body.objects.filter(compound__in=places, status=Body.Status.ACTIVE)
        .select_related("compound", "firm", "party_org")
        .order_by("compound_id", "kind")
    )
    members = (
        Member.objects.filter(body__in=terms, left_at__isnull=True)
        .select_related("body__compound", "person")
        .order_by("body_id", "id")
    )
    return {
        PARTY: [
            [
                o.code,
                o.name,
                o.get_kind_display(),
                o.parent.code if o.parent else "",
                o.area.code if o.area else "",
                o.unit.code if o.unit else "",
                o.building.code if o.building else "",
                *_who(scope, o.secretary),
            ]
            for o in _parents_first(list(orgs))
        ],
        AGREEMENTS: [
            [
                a.unit.code,
                a.community.code,
                a.title,
                a.starts_on,
                a.ends_on,
                a.party_org.code if a.party_org else "",
            ]
            for a in deals
        ],
        PLEDGES: [
            [
                p.agreement.unit.code,
                p.agreement.community.code,
                p.agreement.title,
                p.get_kind_display(),
                p.description,
                _yuan(p.amount_fen),
                p.people or "",
                p.hours_per_year or "",
            ]
            for p in pledges
        ],
        COUNCILS: [
            [c.area.code, c.name, c.get_kind_display(), *_who(scope, c.convenor), c.charter] for c in bodies
        ],
        SEATS: [
            [
                s.council.area.code,
                s.council.name,
                s.unit.code if s.unit else "",
                *_who(scope, s.person),
                s.post,
            ]
            for s in seats
        ],
        STREETS: [
            [
                s.community.code,
                s.name,
                s.section,
                _codes(s.grids.all()),
                *_who(scope, s.head),
                s.lead_unit.code if s.lead_unit else "",
                _codes(u for u in s.units.all() if u.pk != s.lead_unit_id),
                _codes(s.categories.all()),
            ]
            for s in streets
        ],
        STEWARDS: [
            [
                h.letter_no,
                h.building.code,
                h.get_post_display(),
                h.entrance,
                *_who(scope, h.person),
                "、".join(sorted(x.number for x in h.households.all())),
                h.appointed_on,
                h.term_ends_on,
            ]
            for h in heads
        ],
        COMPOUNDS: [
            [c.code, c.community.code, c.name, c.get_kind_display(), c.address, _codes(c.buildings.all())]
            for c in places
        ],
        BODIES: [
            [
                b.compound.code,
                b.get_kind_display(),
                b.firm.code if b.firm else "",
                b.party_org.code if b.party_org else "",
                b.starts_on,
                b.ends_on,
            ]
            for b in terms
        ],
        MEMBERS: [
            [
                m.body.compound.code,
                m.body.get_kind_display(),
                *_who(scope, m.person),
                m.get_post_display(),
                m.starts_on,
                m.ends_on,
            ]
            for m in members
        ],
    }


def _parents_first(orgs: list) -> list:
    """Each organisation after its parent (the import creates them in the sheet's order), else by code."""
    by_pk = {o.pk: o for o in orgs}

    def depth(o) -> int:
        n = 0
        while o.parent_id in by_pk and n < 20:
            o, n = by_pk[o.parent_id], n + 1
        return n

    return sorted(orgs, key=lambda o: (depth(o), o.code))
