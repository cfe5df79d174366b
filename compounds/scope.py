"""Who sees and keeps a 小区, built on ``access.scope.Scope``.

- Community staff of the compound's community (and the administrator) keep it: the compound and its buildings,
  its bodies and members, the firm serving it, 业委会 elections, the community's quarterly assessment of the firm.
- Everyone who works in the community (grid workers and leaders of its grids, community staff, subdistrict staff
  and district leadership above it) reads it; so do the people living in the community (residents, party members,
  building heads), who also see it on the community's public page.
- Unit staff read the compounds their own unit serves (or served) as the property firm.
- A resident living in one of the compound's buildings rates its firm once a quarter.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from access.models import Role
from access.scope import Scope, any_of
from campaigns.scope import community_ids
from compounds.models import Body, Compound
from notices.selectors import runs_community
from people.models import Person


def visible_compounds(scope: Scope) -> QuerySet[Compound]:
    qs = Compound.objects.select_related("community")
    if scope.is_admin or Role.DISTRICT_LEADER in scope.roles:
        return qs
    conditions = [Q(community_id__in=community_ids(scope))]
    if scope.unit_ids:
        conditions.append(Q(bodies__firm_id__in=scope.unit_ids))
    if scope.building_ids:
        conditions.append(Q(buildings__id__in=scope.building_ids))
    return qs.filter(pk__in=Compound.objects.filter(any_of(conditions)).values("pk"))


def keeps(scope: Scope, compound: Compound) -> bool:
    """Whether this person may change the compound, its bodies, members, elections and the community's rating."""
    return runs_community(scope, compound.community)


def resident_of(person: Person | None, compound: Compound) -> bool:
    """Whether the person lives in one of the compound's buildings."""
    if person is None:
        return False
    return Person.objects.filter(
        pk=person.pk, memberships__household__building__compound_id=compound.pk
    ).exists()


def may_rate(scope: Scope, compound: Compound) -> bool:
    return resident_of(scope.person, compound)


def firm_of(compound: Compound) -> Body | None:
    """The property body serving the compound now (its firm, party organisation and term), if any."""
    return (
        Body.objects.filter(compound=compound, kind=Body.Kind.PROPERTY, status=Body.Status.ACTIVE)
        .select_related("firm", "party_org")
        .first()
    )
