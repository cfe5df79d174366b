"""Who sees and manages which service sites, bookings and service records (built on ``access.scope.Scope``).

- Community and subdistrict staff (and the administrator) manage the sites of the communities under the node
  where they hold the role: register sites, rooms and hours, confirm or decline bookings, keep the 代办/预约
  ledger. Grid workers and leaders see their community's sites and bookings; district leadership reads all
  under its node.
- Residents and party members see the sites of their own community (by their role's community or their
  household's building) and book there; they see only their own bookings.
- Unit staff see the sites of the areas their unit serves.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from access.models import Role
from access.scope import AREA_MANAGER_ROLES, AREA_STAFF_ROLES, HOME_ROLES, Scope, any_of
from areas.models import Area
from sites.models import Booking, ServiceRecord, ServiceSite

SITE_MANAGER_ROLES = AREA_MANAGER_ROLES  # community staff, subdistrict staff


def home_areas(scope: Scope) -> list[Area]:
    """The areas a person lives in: their resident / party-member role's area and their household's grid."""
    areas = list(scope.nodes(HOME_ROLES))
    person = scope.person
    if person is not None:
        areas += list(Area.objects.filter(buildings__households__memberships__person=person).distinct())
    return areas


def home_area_ids(scope: Scope) -> set[int]:
    """Every area on the way up from where the person lives (their grid, community, subdistrict, district)."""
    ids: set[int] = set()
    for area in home_areas(scope):
        ids.update(area.ancestor_ids())
    return ids


def home_community_ids(scope: Scope) -> set[int]:
    ids = home_area_ids(scope)
    return set(Area.objects.filter(pk__in=ids, kind=Area.Kind.COMMUNITY).values_list("pk", flat=True))


def _staff_condition(scope: Scope, roles: set, field: str = "community") -> Q:
    """Sites of the communities under (or above, for a grid's staff) the nodes where these roles are held."""
    conditions = []
    for node in scope.nodes(roles):
        conditions.append(Q(**{f"{field}__path__startswith": node.path}))
        conditions.append(Q(**{f"{field}_id__in": node.ancestor_ids()}))
    return any_of(conditions)


def sites(scope: Scope) -> QuerySet[ServiceSite]:
    qs = ServiceSite.objects.all()
    if scope.is_admin:
        return qs
    conditions = [_staff_condition(scope, AREA_STAFF_ROLES), Q(community_id__in=home_community_ids(scope))]
    served = scope._served_areas()
    conditions += [
        Q(community__path__startswith=a.path) | Q(community_id__in=a.ancestor_ids()) for a in served
    ]
    return qs.filter(any_of(conditions))


def manageable_sites(scope: Scope) -> QuerySet[ServiceSite]:
    if scope.is_admin:
        return ServiceSite.objects.all()
    nodes = scope.nodes(SITE_MANAGER_ROLES)
    return ServiceSite.objects.filter(any_of([Q(community__path__startswith=n.path) for n in nodes]))


def may_manage_site(scope: Scope, site: ServiceSite) -> bool:
    if scope.is_admin:
        return True
    return any(site.community.path.startswith(n.path) for n in scope.nodes(SITE_MANAGER_ROLES))


def may_manage_community(scope: Scope, community: Area) -> bool:
    """Register sites in this community."""
    if scope.is_admin:
        return True
    return any(community.path.startswith(n.path) for n in scope.nodes(SITE_MANAGER_ROLES))


def may_book_at(scope: Scope, site: ServiceSite) -> bool:
    """A resident books at the sites of their own community; staff book on a resident's behalf."""
    return site.community_id in home_community_ids(scope) or may_manage_site(scope, site)


def bookings(scope: Scope) -> QuerySet[Booking]:
    qs = Booking.objects.all()
    if scope.is_admin:
        return qs
    staff = _staff_condition(scope, AREA_STAFF_ROLES, "site__community")
    conditions = [staff]
    if getattr(scope.user, "is_authenticated", False):
        conditions.append(Q(booked_by=scope.user))
    if scope.person is not None:
        conditions.append(Q(person=scope.person))
    return qs.filter(any_of(conditions))


def records(scope: Scope) -> QuerySet[ServiceRecord]:
    """The 代办/预约 ledger: the staff of the area (residents see theirs through their bookings)."""
    if scope.is_admin:
        return ServiceRecord.objects.all()
    return ServiceRecord.objects.filter(_staff_condition(scope, AREA_STAFF_ROLES, "site__community"))


def is_site_staff(scope: Scope) -> bool:
    return scope.is_admin or bool(scope.roles & (AREA_STAFF_ROLES - {Role.DISTRICT_LEADER}))
