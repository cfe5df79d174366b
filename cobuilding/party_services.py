"""Writes of the party tree on the product's pages: the staff of a community keep its organisations.

Each function checks the right (``cobuilding.scope``) and then calls the register's own service in
``units.services`` (which validates, saves and writes the audit row), in one transaction.
"""

from __future__ import annotations

from django.db import transaction

from access.scope import Scope
from areas.models import Area, Building
from audit.models import record
from cobuilding.scope import keeps_party_org
from linli.errors import PermissionDenied, ValidationError
from people.models import Person
from units.models import PartyOrg
from units.services import party_org_create, party_org_update

# What may be added below each kind of organisation on the party tree page, and the area level it covers.
CHILD_KIND: dict[str, str] = {
    PartyOrg.Kind.COMMITTEE: PartyOrg.Kind.BRANCH,
    PartyOrg.Kind.GENERAL_BRANCH: PartyOrg.Kind.BRANCH,
    PartyOrg.Kind.BRANCH: PartyOrg.Kind.GROUP,
}


def _org(scope: Scope, org_id: int) -> PartyOrg:
    org = scope.party_orgs().select_related("area").filter(pk=org_id).first()
    if org is None:
        raise ValidationError({"org": "党组织不存在"})
    if not keeps_party_org(scope, org):
        raise PermissionDenied(f"您不能维护“{org.name}”")
    return org


def _party_member(scope: Scope, person_id: int | None, org: PartyOrg) -> Person | None:
    if person_id is None:
        return None
    person = scope.persons().filter(pk=person_id).first()
    if person is None:
        raise ValidationError({"secretary": "人员不存在"})
    if not person.is_party_member:
        raise ValidationError({"secretary": f"{person.name} 不是党员"})
    return person


@transaction.atomic
def party_org_edit(
    *,
    user,
    org_id: int,
    name: str | None = None,
    secretary_id: int | None = None,
    building_id: int | None = None,
) -> PartyOrg:
    scope = Scope.of(user)
    org = _org(scope, org_id)
    secretary = _party_member(scope, secretary_id, org)
    building = None
    if building_id is not None:
        building = scope.buildings().filter(pk=building_id).first()
        if building is None:
            raise ValidationError({"building": "楼栋不存在"})
    return party_org_update(actor=user, org=org, name=name, secretary=secretary, building=building)


@transaction.atomic
def party_org_add_child(
    *,
    user,
    parent_id: int,
    name: str,
    area_id: int | None = None,
    building_id: int | None = None,
    secretary_id: int | None = None,
) -> PartyOrg:
    """A 网格党支部 under a community committee, or a 楼栋党小组 under a grid branch."""
    scope = Scope.of(user)
    parent = _org(scope, parent_id)
    kind = CHILD_KIND.get(parent.kind)
    if kind is None or parent.area is None:
        raise ValidationError({"parent": f"{parent.get_kind_display()}之下不能再设党组织"})
    if not name.strip():
        raise ValidationError({"name": "请填写党组织名称"})
    building: Building | None = None
    area: Area | None = parent.area
    if kind == PartyOrg.Kind.GROUP:
        if building_id is None:
            raise ValidationError({"building": f"请选择{parent.area.name}内的楼栋"})
        building = scope.buildings().filter(pk=building_id, grid__path__startswith=parent.area.path).first()
        if building is None:
            raise ValidationError({"building": f"请选择{parent.area.name}内的楼栋"})
        area = building.grid
    elif area_id is not None:
        area = scope.areas().filter(pk=area_id, path__startswith=parent.area.path).first()
        if area is None:
            raise ValidationError({"area": f"请选择{parent.area.name}内的区域"})
    assert area is not None
    secretary = _party_member(scope, secretary_id, parent)
    code = _free_code(f"{(building.code if building else area.code)}-P")
    return party_org_create(
        actor=user,
        kind=kind,
        code=code,
        name=name.strip()[:100],
        parent=parent,
        area=area,
        building=building,
        secretary=secretary,
    )


def _free_code(base: str) -> str:
    code, n = base[:40], 1
    while PartyOrg.objects.filter(code=code).exists():
        n += 1
        code = f"{base[:36]}-{n}"
    return code


@transaction.atomic
def party_member_assign(*, user, org_id: int, person_id: int) -> Person:
    """Organise a party member in this organisation (组织关系): the person's ``party_org``."""
    scope = Scope.of(user)
    org = _org(scope, org_id)
    person = (
        Person.objects.select_for_update().filter(pk__in=scope.persons().values("pk"), pk=person_id).first()
    )
    if person is None:
        raise ValidationError({"person": "人员不存在"})
    if not person.is_party_member:
        raise ValidationError({"person": f"{person.name} 不是党员"})
    before = person.party_org.name if person.party_org else ""
    person.party_org = org
    person.save(update_fields=["party_org"])
    record(actor=user, action="update", obj=person, summary=f"{person.name} 编入 {org.name}", before=before)
    return person
