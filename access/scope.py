"""What a user may see and change, decided in one place from their scoped roles.

Every list, detail, API view and admin page asks ``Scope.of(user)``; nothing else interprets roles.

- Area staff (grid worker and leader, community and subdistrict staff, district leadership) see the subtree
  under the node where they hold the role. Community and subdistrict staff change what lies strictly below it;
  grid workers record and update the people of their grid and who lives where in its buildings. District
  leadership reads and does not edit. The admin site is the administrator's alone (access.admin_site).
- A building head sees the building's households and people, phones masked, and may record an appeal for them.
- A 街长 (street head) reads the appeals filed on the streets they lead (``street_ids``; appeals.selectors).
- Unit staff see and edit their own unit and read the areas it serves, with their buildings.
- Residents and party members on duty see their own community, its grids and the units serving it,
  and themselves among the people.
- The administrator sees and changes everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

from access.models import Role, RoleAssignment
from areas.models import Area, Building, Household
from audit.access_log import reveal, reveal_many
from people.models import Person
from units.models import PartyOrg, Unit

AREA_STAFF_ROLES = {
    Role.GRID_WORKER,
    Role.GRID_LEADER,
    Role.COMMUNITY_STAFF,
    Role.SUBDISTRICT_STAFF,
    Role.DISTRICT_LEADER,
}
AREA_MANAGER_ROLES = {Role.COMMUNITY_STAFF, Role.SUBDISTRICT_STAFF}
PEOPLE_KEEPER_ROLES = {Role.GRID_WORKER, Role.GRID_LEADER, Role.COMMUNITY_STAFF, Role.SUBDISTRICT_STAFF}
PHONE_ROLES = {Role.GRID_WORKER, Role.GRID_LEADER, Role.COMMUNITY_STAFF}
HOME_ROLES = {Role.RESIDENT, Role.PARTY_MEMBER}


def any_of(conditions: list[Q]) -> Q:
    """OR of the conditions; an empty list matches nothing."""
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


@dataclass
class Scope:
    user: Any
    is_admin: bool = False
    assignments: list[RoleAssignment] = field(default_factory=list)

    # ---- construction -------------------------------------------------------------------------------------
    @classmethod
    def of(cls, user: Any) -> Scope:
        """The scope of a user, computed once per user object (one query for the roles)."""
        cached = getattr(user, "_linli_scope", None)
        if cached is not None:
            return cached
        if user is None or not user.is_authenticated or not user.is_active:
            scope = cls(user=user)
        else:
            assignments = list(
                RoleAssignment.objects.filter(user=user).select_related("area", "building__grid", "unit")
            )
            is_admin = user.is_superuser or any(a.role == Role.ADMIN for a in assignments)
            scope = cls(user=user, is_admin=is_admin, assignments=assignments)
        if user is not None:
            user._linli_scope = scope
        return scope

    # ---- role helpers -------------------------------------------------------------------------------------
    @property
    def roles(self) -> set[str]:
        return {a.role for a in self.assignments}

    def nodes(self, roles: AbstractSet[str]) -> list[Area]:
        return [a.area for a in self.assignments if a.role in roles and a.area is not None]

    @property
    def unit_ids(self) -> set[int]:
        return {a.unit_id for a in self.assignments if a.role == Role.UNIT_STAFF and a.unit_id}

    @property
    def building_ids(self) -> set[int]:
        return {a.building_id for a in self.assignments if a.role == Role.BUILDING_HEAD and a.building_id}

    @cached_property
    def street_ids(self) -> set[int]:
        """The streets this user leads as 街长 (only looked up for holders of the role)."""
        if Role.STREET_HEAD not in self.roles or self.person is None:
            return set()
        return set(self.person.streets_led.values_list("pk", flat=True))

    @cached_property
    def person(self) -> Person | None:
        """The user's own Person (looked up once per scope)."""
        if not getattr(self.user, "is_authenticated", False):
            return None
        # Read with the user by token authentication (access.tokens); __class__, as request.user may be lazy.
        descriptor = getattr(self.user.__class__, "person", None)
        if descriptor is not None and descriptor.is_cached(self.user):
            return getattr(self.user, "person", None)
        return Person.objects.filter(user=self.user).first()

    @property
    def is_staff_like(self) -> bool:
        """Has any working role (not only resident)."""
        return self.is_admin or bool(self.roles - HOME_ROLES)

    @staticmethod
    def _subtree(nodes: list[Area], field_path: str = "path") -> Q:
        return any_of([Q(**{f"{field_path}__startswith": n.path}) for n in nodes])

    def _served_areas(self) -> list[Area]:
        """The areas served by the user's units (unit staff read them and everything below)."""
        if not self.unit_ids:
            return []
        return list(Area.objects.filter(units_serving__id__in=self.unit_ids))

    # ---- areas --------------------------------------------------------------------------------------------
    def areas(self) -> QuerySet[Area]:
        qs = Area.objects.all()
        if self.is_admin:
            return qs
        conditions = [self._subtree(self.nodes(AREA_STAFF_ROLES | HOME_ROLES))]
        buildings = Building.objects.filter(id__in=self.building_ids).select_related("grid")
        conditions += [Q(pk=b.grid_id) for b in buildings]
        conditions.append(self._subtree(self._served_areas()))
        return qs.filter(any_of(conditions))

    def can_change_area(self, area: Area) -> bool:
        if self.is_admin:
            return True
        return any(area.path.startswith(n.path) and area.pk != n.pk for n in self.nodes(AREA_MANAGER_ROLES))

    def can_create_under(self, parent: Area | None) -> bool:
        if parent is None:
            return self.is_admin
        return self.is_admin or any(parent.path.startswith(n.path) for n in self.nodes(AREA_MANAGER_ROLES))

    def buildings(self) -> QuerySet[Building]:
        qs = Building.objects.all()
        if self.is_admin:
            return qs
        conditions = [self._subtree(self.nodes(AREA_STAFF_ROLES), "grid__path"), Q(id__in=self.building_ids)]
        conditions.append(self._subtree(self._served_areas(), "grid__path"))
        person = self.person
        if person is not None:
            conditions.append(Q(households__memberships__person=person))
        return qs.filter(pk__in=Building.objects.filter(any_of(conditions)).values("pk"))

    def can_change_building(self, building: Building) -> bool:
        return self.can_change_area(building.grid)

    def households(self) -> QuerySet[Household]:
        return Household.objects.filter(building__in=self.buildings())

    # ---- people -------------------------------------------------------------------------------------------
    def _people_condition(self, roles: AbstractSet[str]) -> Q:
        conditions = []
        for node in self.nodes(roles):
            if node.kind in (Area.Kind.GRID, Area.Kind.ZONE):
                conditions.append(Q(memberships__household__building__grid__path__startswith=node.path))
                # People registered in the grid's community without a household yet (met on a visit, on the
                # phone): the grid's workers keep them until they are housed.
                conditions.append(Q(community_id__in=node.ancestor_ids(), memberships__isnull=True))
            else:
                conditions.append(Q(community__path__startswith=node.path))
        return any_of(conditions)

    def persons(self) -> QuerySet[Person]:
        qs = Person.objects.all()
        if self.is_admin:
            return qs
        conditions = [
            self._people_condition(AREA_STAFF_ROLES),
            Q(memberships__household__building_id__in=self.building_ids),
        ]
        if getattr(self.user, "is_authenticated", False):
            conditions.append(Q(user=self.user))
        return qs.filter(pk__in=Person.objects.filter(any_of(conditions)).values("pk"))

    def _person_in(self, person: Person, roles: AbstractSet[str]) -> bool:
        return Person.objects.filter(pk=person.pk).filter(self._people_condition(roles)).exists()

    def can_change_person(self, person: Person) -> bool:
        if self.is_admin:
            return True
        return person.pk is not None and self._person_in(person, PEOPLE_KEEPER_ROLES)

    def can_record_for(self, person: Person) -> bool:
        """Whether this user may record an appeal on the person's behalf (a visit, the counter, the hotline):
        the people they keep, and for a building head the people living in their building."""
        if self.can_change_person(person):
            return True
        return bool(self.building_ids) and (
            Person.objects.filter(
                pk=person.pk, memberships__household__building_id__in=self.building_ids
            ).exists()
        )

    def can_create_person_in(self, community: Area | None) -> bool:
        if self.is_admin:
            return True
        if community is None:
            return False
        return any(
            community.path.startswith(n.path) or n.path.startswith(community.path)
            for n in self.nodes(PEOPLE_KEEPER_ROLES)
        )

    def houseable_buildings(self) -> QuerySet[Building]:
        """The buildings where this user records who lives there (and adds flats): those of the grids whose people
        they keep (grid workers and leaders, community and subdistrict staff above them)."""
        if self.is_admin:
            return Building.objects.all()
        return Building.objects.filter(self._subtree(self.nodes(PEOPLE_KEEPER_ROLES), "grid__path"))

    def can_house_in(self, building: Building) -> bool:
        if self.is_admin:
            return True
        return any(building.grid.path.startswith(n.path) for n in self.nodes(PEOPLE_KEEPER_ROLES))

    def person_communities(self) -> QuerySet[Area]:
        """The communities this user may register a person with (``can_create_person_in``)."""
        communities = Area.objects.filter(kind=Area.Kind.COMMUNITY)
        if self.is_admin:
            return communities
        nodes = self.nodes(PEOPLE_KEEPER_ROLES)
        ids: set[int] = set()
        for n in nodes:
            ids.update(n.ancestor_ids())
        return communities.filter(Q(pk__in=ids) | self._subtree(nodes))

    def can_see_phone(self, person: Person) -> bool:
        if self.is_admin:
            return True
        if person.user_id is not None and person.user_id == getattr(self.user, "pk", None):
            return True
        return self._person_in(person, PHONE_ROLES)

    def phone_of(self, person: Person) -> str:
        """The full phone where the scope allows it (a row in the PIPL access log, audit.access_log), else masked."""
        if not self.can_see_phone(person):
            return person.masked_phone
        return reveal(user=self.user, person=person, value=person.phone)

    def phones_of(self, people: Iterable[Person]) -> dict[int, str]:
        """Each person's phone as this user may see it (``phone_of``), decided for the lot in one query."""
        people = list(people)
        if self.is_admin:
            visible = {p.pk for p in people}
        else:
            me = getattr(self.user, "pk", None)
            visible = {p.pk for p in people if p.user_id is not None and p.user_id == me}
            visible |= set(
                Person.objects.filter(pk__in=[p.pk for p in people])
                .filter(self._people_condition(PHONE_ROLES))
                .values_list("pk", flat=True)
            )
        reveal_many(user=self.user, people=[p for p in people if p.pk in visible and p.phone])
        return {p.pk: p.phone if p.pk in visible else p.masked_phone for p in people}

    def with_phones(self, people: Iterable[Person], chunk: int = 500) -> Iterator[tuple[Person, str]]:
        """(person, phone as this user may see it) for a long list, one query per ``chunk`` people."""
        batch: list[Person] = []
        for person in people:
            batch.append(person)
            if len(batch) == chunk:
                phones = self.phones_of(batch)
                yield from ((p, phones[p.pk]) for p in batch)
                batch = []
        phones = self.phones_of(batch)
        yield from ((p, phones[p.pk]) for p in batch)

    def party_members_for(self, community: Area) -> QuerySet[Person]:
        """The 在职党员 a community's staff may register (双报到): party members of the community's district,
        living there or in the party organisation of a unit based there."""
        district = community.ancestor_of_kind(Area.Kind.DISTRICT) or community
        return Person.objects.filter(is_party_member=True).filter(
            Q(community__path__startswith=district.path)
            | Q(party_org__unit__home_area__path__startswith=district.path)
        )

    @property
    def works_for_units_only(self) -> bool:
        """Unit staff with no area role: their queue is their unit's inbox."""
        return bool(self.unit_ids) and not self.is_admin and not self.nodes(AREA_STAFF_ROLES)

    # ---- units and party organisations ---------------------------------------------------------------------
    def _ancestor_and_subtree(self, nodes: list[Area]) -> QuerySet[Area]:
        ids: set[int] = set()
        for n in nodes:
            ids.update(n.ancestor_ids())
        return Area.objects.filter(Q(pk__in=ids) | self._subtree(nodes))

    def units(self) -> QuerySet[Unit]:
        qs = Unit.objects.all()
        if self.is_admin or Role.DISTRICT_LEADER in self.roles:
            return qs
        nodes = self.nodes(AREA_STAFF_ROLES | HOME_ROLES)
        conditions = [Q(id__in=self.unit_ids)]
        if nodes:
            conditions.append(Q(areas_served__in=self._ancestor_and_subtree(nodes)))
            conditions.append(self._subtree(nodes, "home_area__path"))
        return qs.filter(pk__in=Unit.objects.filter(any_of(conditions)).values("pk"))

    def can_change_unit(self, unit: Unit) -> bool:
        if self.is_admin or unit.pk in self.unit_ids:
            return True
        return any(unit.home_area.path.startswith(n.path) for n in self.nodes(AREA_MANAGER_ROLES))

    def party_orgs(self) -> QuerySet[PartyOrg]:
        qs = PartyOrg.objects.all()
        if self.is_admin or Role.DISTRICT_LEADER in self.roles:
            return qs
        conditions = [self._subtree(self.nodes(AREA_STAFF_ROLES | HOME_ROLES), "area__path")]
        conditions.append(Q(unit__in=self.units()))
        return qs.filter(any_of(conditions))

    def can_change_party_org(self, org: PartyOrg) -> bool:
        if self.is_admin:
            return True
        if org.unit_id is not None:
            return org.unit_id in self.unit_ids
        return org.area is not None and any(
            org.area.path.startswith(n.path) for n in self.nodes(AREA_MANAGER_ROLES)
        )

    # ---- for display --------------------------------------------------------------------------------------
    def describe(self) -> list[dict[str, Any]]:
        out = []
        for a in self.assignments:
            holder = a.area or a.building or a.unit
            out.append(
                {
                    "role": a.role,
                    "role_label": str(a.get_role_display()),
                    "scope_type": "area"
                    if a.area
                    else "building"
                    if a.building
                    else "unit"
                    if a.unit
                    else "global",
                    "scope_id": holder.pk if holder else None,
                    "scope_code": getattr(holder, "code", None),
                    "scope_name": holder.name if holder else "全区",
                    "scope_kind": a.area.kind if a.area else None,
                }
            )
        if (
            self.user is not None
            and getattr(self.user, "is_superuser", False)
            and not any(a.role == Role.ADMIN for a in self.assignments)
        ):
            out.append(
                {
                    "role": Role.ADMIN.value,
                    "role_label": str(Role.ADMIN.label),
                    "scope_type": "global",
                    "scope_id": None,
                    "scope_code": None,
                    "scope_name": "全区",
                    "scope_kind": None,
                }
            )
        return out
