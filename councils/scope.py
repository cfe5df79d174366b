"""Who sees and keeps a council (联席会议, 党建联盟), built on ``access.scope.Scope``.

- The staff of the council's area (community staff for a community's council, subdistrict staff for the
  subdistrict's and every community council below) keep it: members, meetings, issues, decisions, follow-ups.
- Area staff and district leadership of the area or above read it; so do the staff of every member unit, and the
  staff of a unit that owns a decision, who may report that decision done.
- Residents do not see councils (their public side is the projects and appeals the decisions become).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from access.models import Role
from access.scope import AREA_STAFF_ROLES, Scope, any_of
from cobuilding.scope import keeps_structure
from councils.models import Council, Decision


def councils(scope: Scope) -> QuerySet[Council]:
    qs = Council.objects.select_related("area", "convenor")
    if scope.is_admin or Role.DISTRICT_LEADER in scope.roles:
        return qs
    nodes = scope.nodes(AREA_STAFF_ROLES)
    conditions = [Q(area__path__startswith=n.path) for n in nodes]
    # a grid's staff read their community's (and subdistrict's) councils
    conditions += [Q(area_id__in=n.ancestor_ids()) for n in nodes]
    if scope.unit_ids:
        conditions.append(Q(seats__unit_id__in=scope.unit_ids))
        conditions.append(Q(meetings__decisions__owner_unit_id__in=scope.unit_ids))
    return qs.filter(pk__in=Council.objects.filter(any_of(conditions)).values("pk"))


def keeps_council(scope: Scope, council: Council) -> bool:
    return keeps_structure(scope, council.area)


def may_finish_decision(scope: Scope, decision: Decision) -> bool:
    if keeps_council(scope, decision.meeting.council):
        return True
    return decision.owner_unit_id is not None and decision.owner_unit_id in scope.unit_ids
