"""Writes of 街长制: a street, its 街长 and the departments bound to it.

Routing is NOT written here yet: the street's appeals are those of its grids, and triage's routing rules may only
sit at a community, subdistrict or district (``triage.services.ROUTING_AREA_KINDS``), so a rule for the street's
grids would be refused. Until triage accepts grid-level rules, the street's lead department and categories are
recorded and shown (and counted on the dashboard), and dispatch stays with the community's routing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from access.models import RoleAssignment
from access.scope import Scope
from access.services import role_grant, role_revoke
from areas.models import Area
from audit.models import record
from categories.models import Category
from cobuilding.scope import keeps_structure
from linli import clock
from linli.errors import PermissionDenied, ValidationError
from people.models import Person
from streets.models import Street
from units.models import Unit


def _kept(user, community: Area) -> None:
    if not keeps_structure(Scope.of(user), community):
        raise PermissionDenied(f"只有{community.name}的工作人员可以维护街长制")


@transaction.atomic
def street_create(
    *, user, community: Area, name: str, section: str = "", grids: Iterable[Area] = ()
) -> Street:
    if community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "请选择社区"})
    _kept(user, community)
    if not name.strip():
        raise ValidationError({"name": "请填写街路名称"})
    grids = list(grids)
    if any(g.kind != Area.Kind.GRID or not g.path.startswith(community.path) for g in grids):
        raise ValidationError({"grids": f"途经网格须是{community.name}的网格"})
    if Street.objects.filter(community=community, name=name.strip(), section=section.strip()).exists():
        raise ValidationError({"name": f"{community.name}已登记该街路"})
    street = Street.objects.create(
        community=community, name=name.strip()[:60], section=section.strip()[:100], created_at=clock.now()
    )
    street.grids.set(grids)
    record(actor=user, action="create", obj=street, summary=f"登记街路 {street}")
    return street


@transaction.atomic
def street_set_head(*, user, street_id: int, person: Person) -> Street:
    street = (
        Street.objects.select_for_update(of=("self",)).select_related("community", "head").get(pk=street_id)
    )
    _kept(user, street.community)
    before = street.head
    street.head = person
    street.save(update_fields=["head"])
    if before is not None and before.user_id and before != person:
        if not Street.objects.filter(head=before, community=street.community).exclude(pk=street.pk).exists():
            for a in RoleAssignment.objects.filter(
                user_id=before.user_id, role="street_head", area=street.community
            ):
                role_revoke(actor=user, assignment=a)
    if (
        person.user_id
        and not RoleAssignment.objects.filter(
            user_id=person.user_id, role="street_head", area=street.community
        ).exists()
    ):
        role_grant(actor=user, user=person.user, role="street_head", area=street.community)
    record(actor=user, action="update", obj=street, summary=f"{street} 街长 {person.name}")
    return street


@transaction.atomic
def street_bind(
    *, user, street_id: int, lead_unit: Unit, categories: Iterable[Category], units: Iterable[Unit] = ()
) -> Street:
    """Bind the lead department and the categories it takes on this street."""
    street = Street.objects.select_for_update(of=("self",)).select_related("community").get(pk=street_id)
    _kept(user, street.community)
    categories = list(categories)
    if any(c.parent_id is not None for c in categories):
        raise ValidationError({"categories": "请选择一级类别"})
    grids = list(street.grids.all())
    if categories and not grids:
        raise ValidationError({"grids": "请先登记街路途经的网格"})
    street.lead_unit = lead_unit
    street.save(update_fields=["lead_unit"])
    street.categories.set(categories)
    street.units.set({lead_unit, *units})
    record(
        actor=user,
        action="update",
        obj=street,
        summary=f"{street} 牵头部门 {lead_unit.name}",
        categories=[c.name for c in categories],
    )
    return street
