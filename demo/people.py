"""Residents of the demo district: households of elderly people living alone or as couples (the old
neighbourhoods are ageing), young families, three generations under one roof, and tenants.

Residents and their memberships are many plain rows, so they are written in bulk (``demo.bulk``); some adults
are party members of their grid's party branch (网格党支部).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from areas.models import Area, Household
from demo.bulk import bulk_register
from demo.district import DemoTree
from demo.names import NameMaker
from demo.units import DemoUnits
from people.models import HouseholdMember, Person
from units.models import PartyOrg

REL = HouseholdMember.Relation
THIS_YEAR = 2025

# (kind, weight): who lives in an occupied flat
COMPOSITIONS = [
    ("elderly_single", 22),
    ("elderly_couple", 26),
    ("couple", 12),
    ("family", 20),
    ("three_generations", 10),
    ("tenants", 10),
]
# share of registered flats with nobody registered yet (vacant, sold but not moved in, not yet visited)
UNREGISTERED_SHARE = 0.3
PARTY_MEMBER_SHARE = 0.12


@dataclass
class Member:
    gender: str
    birth_year: int
    relation: str
    is_owner: bool


def _other(gender: str) -> str:
    return "F" if gender == "M" else "M"


def compose(rng: random.Random, kind: str) -> list[Member]:
    """The members of one household of the given kind, the head first."""
    g = rng.choice("MF")
    if kind == "elderly_single":
        return [Member(rng.choice("FFM"), rng.randint(1933, 1958), REL.HEAD, True)]
    if kind == "elderly_couple":
        year = rng.randint(1938, 1962)
        return [
            Member("M", year, REL.HEAD, True),
            Member("F", year + rng.randint(-1, 4), REL.SPOUSE, rng.random() < 0.5),
        ]
    if kind == "couple":
        year = rng.randint(1965, 1996)
        return [
            Member(g, year, REL.HEAD, True),
            Member(_other(g), year + rng.randint(-3, 3), REL.SPOUSE, True),
        ]
    if kind in ("family", "three_generations"):
        year = rng.randint(1968, 1992)
        members = [
            Member("M", year, REL.HEAD, True),
            Member("F", year + rng.randint(-1, 4), REL.SPOUSE, rng.random() < 0.6),
        ]
        for _ in range(1 if kind == "three_generations" else rng.randint(1, 2)):
            members.append(Member(rng.choice("MF"), min(year + rng.randint(23, 34), 2023), REL.CHILD, False))
        if kind == "three_generations":
            members.append(Member(rng.choice("MF"), year - rng.randint(24, 32), REL.PARENT, False))
        return members
    # tenants: one or two young people renting the flat
    return [
        Member(rng.choice("MF"), rng.randint(1985, 2003), REL.TENANT, False) for _ in range(rng.randint(1, 2))
    ]


def _household_people(names: NameMaker, members: list[Member]) -> list[tuple[Member, str]]:
    """Name each member: the head's children share the head's surname, and so does a man's own parent."""
    head = members[0]
    family = names.surname()
    out = []
    for m in members:
        shares = m.relation in (REL.HEAD, REL.CHILD) or (m.relation == REL.PARENT and head.gender == "M")
        out.append((m, names.name(m.gender, m.birth_year, family if shares else None)))
    return out


def _new_people(
    rng: random.Random,
    names: NameMaker,
    household: Household,
    community: Area,
    members: list[Member],
    party_org: PartyOrg,
) -> list[tuple[Person, HouseholdMember]]:
    """The people of one household and their memberships, not yet saved (party members join ``party_org``)."""
    out = []
    for member, name in _household_people(names, members):
        adult = THIS_YEAR - member.birth_year >= 18
        # most adults have a mobile; the very old often do not
        has_phone = adult and (member.birth_year >= 1950 or rng.random() < 0.5)
        # the older generation joined the party more often
        share = PARTY_MEMBER_SHARE * (2 if member.birth_year < 1975 else 1)
        is_party = adult and rng.random() < share
        person = Person(
            name=name,
            phone=names.mobile() if has_phone else "",
            gender=member.gender,
            birth_year=member.birth_year,
            community=community,
            is_party_member=is_party,
            party_org=party_org if is_party else None,
        )
        membership = HouseholdMember(household=household, relation=member.relation, is_owner=member.is_owner)
        out.append((person, membership))
    return out


def add_residents(rng: random.Random, names: NameMaker, tree: DemoTree, units: DemoUnits) -> list[Person]:
    """Residents for about two flats in three, written in bulk (see ``demo.bulk``)."""
    kinds = [k for k, _ in COMPOSITIONS]
    weights = [w for _, w in COMPOSITIONS]
    grid_of_building = {b.pk: b.grid_id for b in tree.buildings}
    pairs: list[tuple[Person, HouseholdMember]] = []
    for household in tree.households:
        if rng.random() < UNREGISTERED_SHARE:
            continue
        grid_id = grid_of_building[household.building_id]
        members = compose(rng, rng.choices(kinds, weights=weights)[0])
        community = tree.community_of_grid[grid_id]
        pairs += _new_people(rng, names, household, community, members, units.grid_branch[grid_id])
    people = bulk_register([p for p, _ in pairs], summary=f"演示数据：批量登记居民 {len(pairs)} 人")
    for person, membership in pairs:
        membership.person = person
    bulk_register([m for _, m in pairs], summary=f"演示数据：批量登记户成员 {len(pairs)} 条")
    return people
