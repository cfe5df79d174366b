"""Who sees and runs which activities (built on ``access.scope.Scope`` and ``sites.scope``).

- Community and subdistrict staff (and the administrator) plan, publish, check in and close the activities of
  the communities under their node. Grid workers and leaders see their community's activities and tick names
  at check-in of those published to their grid or community; district leadership reads all under its node.
- Residents and party members see the activities published to an area they live in (their grid, their
  community) and sign up for them; once planned but not yet published an activity is the staff's alone.
- Unit staff see the activities their unit co-builds.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from access.models import Role
from access.scope import AREA_STAFF_ROLES, Scope, any_of
from activities.models import Activity, Attendance
from sites.scope import SITE_MANAGER_ROLES, home_area_ids

PUBLIC_STATUSES = (Activity.Status.PUBLISHED, Activity.Status.HELD)


def _staff(scope: Scope, roles: set) -> Q:
    conditions = []
    for node in scope.nodes(roles):
        conditions.append(Q(community__path__startswith=node.path))
        conditions.append(Q(community_id__in=node.ancestor_ids()))
    return any_of(conditions)


def activities(scope: Scope) -> QuerySet[Activity]:
    qs = Activity.objects.all()
    if scope.is_admin:
        return qs
    conditions = [
        _staff(scope, AREA_STAFF_ROLES),
        Q(area_id__in=home_area_ids(scope), status__in=PUBLIC_STATUSES),
        Q(unit_id__in=scope.unit_ids),
    ]
    return qs.filter(any_of(conditions))


def may_manage(scope: Scope, activity: Activity) -> bool:
    if scope.is_admin:
        return True
    return any(activity.community.path.startswith(n.path) for n in scope.nodes(SITE_MANAGER_ROLES))


def may_tick(scope: Scope, activity: Activity) -> bool:
    """Check people in by name: the managers, and the grid's workers for an activity of their community."""
    if may_manage(scope, activity):
        return True
    grid_roles = {Role.GRID_WORKER, Role.GRID_LEADER}
    return any(activity.community_id in n.ancestor_ids() for n in scope.nodes(grid_roles))


def may_join(scope: Scope, activity: Activity) -> bool:
    """Residents of the area the activity is published to."""
    return activity.area_id in home_area_ids(scope)


def attendances(scope: Scope) -> QuerySet[Attendance]:
    return Attendance.objects.filter(activity__in=activities(scope))
