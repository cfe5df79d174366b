"""Who sees and keeps a community's structure (the party tree, 共建 agreements), built on ``access.scope.Scope``.

- Community and subdistrict staff keep the structure of their own community (or of every community below their
  subdistrict): party organisations, secretaries, party groups of buildings, co-building agreements. Unlike the
  area register (which they change strictly below their node), their own community's structure is theirs.
- Everyone who may see the community (its staff, grid workers, residents, party members, the district) reads it.
- Unit staff read the agreements of their own unit, wherever it co-builds.
- The administrator keeps everything.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from access.models import Role
from access.scope import AREA_MANAGER_ROLES, AREA_STAFF_ROLES, HOME_ROLES, Scope, any_of
from areas.models import Area
from cobuilding.models import Agreement
from units.models import PartyOrg


def keeps_structure(scope: Scope, area: Area) -> bool:
    """Whether this person may change the structure of the area (its community's party tree, agreements …)."""
    if scope.is_admin:
        return True
    return any(area.path.startswith(n.path) for n in scope.nodes(AREA_MANAGER_ROLES))


def may_see_area(scope: Scope, area: Area) -> bool:
    return scope.areas().filter(pk=area.pk).exists()


def keeps_party_org(scope: Scope, org: PartyOrg) -> bool:
    """Party orgs of areas are kept by the staff of that area; a unit's own party org by its staff."""
    if scope.is_admin:
        return True
    if org.unit_id is not None:
        return org.unit_id in scope.unit_ids
    return org.area is not None and keeps_structure(scope, org.area)


def agreements(scope: Scope) -> QuerySet[Agreement]:
    qs = Agreement.objects.select_related("unit", "community", "party_org")
    if scope.is_admin or Role.DISTRICT_LEADER in scope.roles:
        return qs
    nodes = scope.nodes(AREA_STAFF_ROLES | HOME_ROLES)
    conditions = [Q(unit_id__in=scope.unit_ids)]
    conditions += [Q(community__path__startswith=n.path) for n in nodes]
    # Grid workers and residents read their own community's agreements (held below or at the community).
    conditions += [Q(community_id__in=n.ancestor_ids()) for n in nodes]
    return qs.filter(any_of(conditions))


def keeps_agreement(scope: Scope, agreement: Agreement) -> bool:
    return keeps_structure(scope, agreement.community)
