"""Who hears about an appeal: the unit's staff, the staff of an area level, the resident."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from access.models import Role
from appeals.models import Appeal, Level
from areas.models import Area
from units.models import Unit

User = get_user_model()


def unit_staff(unit: Unit | None):
    if unit is None:
        return User.objects.none()
    return User.objects.filter(
        role_assignments__role=Role.UNIT_STAFF, role_assignments__unit=unit, is_active=True
    )


def level_staff(appeal: Appeal, level: int | None = None):
    """Staff who dispatch at the appeal's level: community staff, subdistrict staff or district leadership."""
    level = appeal.level if level is None else level
    ids = [int(p) for p in appeal.community.path.strip("/").split("/") if p]
    role, kind = {
        Level.COMMUNITY: (Role.COMMUNITY_STAFF, Area.Kind.COMMUNITY),
        Level.SUBDISTRICT: (Role.SUBDISTRICT_STAFF, Area.Kind.SUBDISTRICT),
        Level.DISTRICT: (Role.DISTRICT_LEADER, Area.Kind.DISTRICT),
    }[Level(level)]
    return User.objects.filter(
        Q(role_assignments__role=role, role_assignments__area__kind=kind, role_assignments__area_id__in=ids),
        is_active=True,
    ).distinct()


def raiser(appeal: Appeal) -> list:
    """The raiser's login, then those of the people following the appeal (one query)."""
    users = User.objects.filter(
        Q(person__pk=appeal.raised_by_id) | Q(person__appeals_followed=appeal)
    ).annotate(is_raiser=Q(person__pk=appeal.raised_by_id))
    return sorted({u.pk: u for u in users}.values(), key=lambda u: (not u.is_raiser, u.pk))


def handlers(appeal: Appeal) -> list:
    """Who handles it: the unit's staff, or the party member serving a service order in person."""
    users = list(unit_staff(appeal.unit))
    provider = appeal.provider
    if provider is not None and provider.user is not None:
        users.append(provider.user)
    return users
