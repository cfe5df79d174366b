"""Who hears of a case's steps (users with a login): its team, the community's staff and police, its parties."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from access.models import Role
from areas.models import Area
from disputes.models import Case

User = get_user_model()


def holders(case: Case, roles: set[str], *, grid_too: bool = True):
    """Users holding one of ``roles`` for the case's community (or, with ``grid_too``, for its grid)."""
    areas = [case.community_id] + ([case.grid_id] if grid_too and case.grid_id else [])
    return User.objects.filter(
        role_assignments__role__in=roles, role_assignments__area_id__in=areas, is_active=True
    ).distinct()


def community_staff(case: Case):
    return holders(case, {Role.COMMUNITY_STAFF}, grid_too=False)


def risk_alerted(case: Case) -> list:
    """可能激化: the community's staff and every community_police role holder for its community or grid, at once."""
    return list(holders(case, {Role.COMMUNITY_STAFF, Role.COMMUNITY_POLICE, Role.MEDIATOR}))


def subdistrict_staff(case: Case):
    ids = [int(p) for p in case.community.path.strip("/").split("/") if p]
    return User.objects.filter(
        Q(
            role_assignments__role=Role.SUBDISTRICT_STAFF,
            role_assignments__area__kind=Area.Kind.SUBDISTRICT,
            role_assignments__area_id__in=ids,
        ),
        is_active=True,
    ).distinct()


def team(case: Case) -> list:
    people = [m.person for m in case.members.select_related("person__user")]
    if case.owner is not None:
        people.append(case.owner)
    return [p.user for p in people if p.user_id and p.user is not None]


def parties(case: Case) -> list:
    return [
        p.person.user for p in case.parties.select_related("person__user") if p.person and p.person.user_id
    ]
