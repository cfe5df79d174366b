"""Granting and revoking roles. A role is valid only at the kind of place the role table says."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from access.models import ROLE_HOLDER, Role, RoleAssignment
from areas.models import Area, Building
from audit.models import record
from units.models import Unit

# The admin site is the administrator's (access.admin_site); the other roles work on the product's pages.
ADMIN_SITE_ROLES = {Role.ADMIN}


@transaction.atomic
def role_grant(
    *,
    actor=None,
    user,
    role: str,
    area: Area | None = None,
    building: Building | None = None,
    unit: Unit | None = None,
) -> RoleAssignment:
    if role not in ROLE_HOLDER:
        raise ValidationError({"role": f"未知角色 {role}"})
    assignment = RoleAssignment(user=user, role=role, area=area, building=building, unit=unit)
    assignment.clean()
    if RoleAssignment.objects.filter(user=user, role=role, area=area, building=building, unit=unit).exists():
        raise ValidationError({"role": "该用户已有此角色"})
    assignment.save()
    if role in ADMIN_SITE_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    record(actor=actor, action="grant_role", obj=assignment, summary=f"{user.username} 获得 {assignment}")
    return assignment


@transaction.atomic
def role_revoke(*, actor=None, assignment: RoleAssignment) -> None:
    user = assignment.user
    record(actor=actor, action="revoke_role", obj=assignment, summary=f"{user.username} 撤销 {assignment}")
    assignment.delete()
    if (
        user.is_staff
        and not user.is_superuser
        and not RoleAssignment.objects.filter(user=user, role__in=ADMIN_SITE_ROLES).exists()
    ):
        user.is_staff = False
        user.save(update_fields=["is_staff"])
