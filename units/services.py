"""Writes to units, party organisations and co-building links."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from areas.models import Area, Building
from audit.models import record
from categories.models import Category
from people.models import Person
from units.models import CoBuildingLink, PartyOrg, Unit


def _check_secretary(secretary: Person | None) -> None:
    if secretary is not None and not secretary.is_party_member:
        raise ValidationError({"secretary": f"{secretary.name} 不是党员，不能担任书记（组长）"})


@transaction.atomic
def unit_create(
    *,
    actor=None,
    kind: str,
    code: str,
    name: str,
    home_area: Area,
    areas_served: Iterable[Area] = (),
    categories: Iterable[Category] = (),
    contact_phone: str = "",
) -> Unit:
    unit = Unit(kind=kind, code=code, name=name, home_area=home_area, contact_phone=contact_phone)
    unit.full_clean()
    unit.save()
    served = list(areas_served) or [home_area]
    unit.areas_served.set(served)
    unit.categories.set(list(categories))
    record(actor=actor, action="create", obj=unit, summary=f"新建单位 {name}", code=code)
    return unit


@transaction.atomic
def unit_update(
    *,
    actor=None,
    unit: Unit,
    name: str | None = None,
    contact_phone: str | None = None,
    areas_served: Iterable[Area] | None = None,
    categories: Iterable[Category] | None = None,
    is_active: bool | None = None,
) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    fields = []
    for attr, value in (("name", name), ("contact_phone", contact_phone), ("is_active", is_active)):
        if value is not None:
            setattr(unit, attr, value)
            fields.append(attr)
    unit.full_clean()
    if fields:
        unit.save(update_fields=fields)
    if areas_served is not None:
        unit.areas_served.set(list(areas_served))
        fields.append("areas_served")
    if categories is not None:
        unit.categories.set(list(categories))
        fields.append("categories")
    record(actor=actor, action="update", obj=unit, summary=f"修改单位 {unit.name}", fields=fields)
    return unit


@transaction.atomic
def party_org_create(
    *,
    actor=None,
    kind: str,
    code: str,
    name: str,
    parent: PartyOrg | None = None,
    area: Area | None = None,
    unit: Unit | None = None,
    building: Building | None = None,
    secretary: Person | None = None,
) -> PartyOrg:
    parent_kind = parent.kind if parent else None
    if parent_kind not in PartyOrg.ALLOWED_PARENTS[kind]:
        raise ValidationError(
            {
                "parent": f"{PartyOrg.Kind(kind).label}不能设在{parent.get_kind_display() if parent else '顶层'}之下"
            }
        )
    if area is None and unit is None:
        raise ValidationError({"area": "党组织必须属于一个区域或一个单位"})
    if building is not None:
        if kind != PartyOrg.Kind.GROUP:
            raise ValidationError({"building": "只有党小组可以设在楼栋"})
        area = area or building.grid
        if not building.grid.path.startswith(area.path):
            raise ValidationError({"building": f"{building.name} 不在 {area.name} 内"})
    _check_secretary(secretary)
    org = PartyOrg(
        kind=kind,
        code=code,
        name=name,
        parent=parent,
        area=area,
        unit=unit,
        building=building,
        secretary=secretary,
    )
    org.full_clean()
    org.save()
    record(actor=actor, action="create", obj=org, summary=f"新建党组织 {name}", code=code)
    return org


@transaction.atomic
def party_org_update(
    *,
    actor=None,
    org: PartyOrg,
    name: str | None = None,
    secretary: Person | None = None,
    clear_secretary: bool = False,
    building: Building | None = None,
) -> PartyOrg:
    """Rename a party organisation, name its secretary, or set the building a party group covers."""
    org = PartyOrg.objects.select_for_update(of=("self",)).select_related("area").get(pk=org.pk)
    fields: list[str] = []
    if name is not None:
        if not name.strip():
            raise ValidationError({"name": "请填写党组织名称"})
        org.name = name.strip()[:100]
        fields.append("name")
    if secretary is not None or clear_secretary:
        _check_secretary(secretary)
        org.secretary = secretary
        fields.append("secretary")
    if building is not None:
        if org.kind != PartyOrg.Kind.GROUP:
            raise ValidationError({"building": "只有党小组可以设在楼栋"})
        if org.area is None or not building.grid.path.startswith(org.area.path):
            raise ValidationError({"building": f"{building.name} 不在本党小组所在区域内"})
        org.building = building
        fields.append("building")
    if fields:
        org.save(update_fields=fields)
        record(
            actor=actor,
            action="update",
            obj=org,
            summary=f"修改党组织 {org.name}",
            fields=fields,
            secretary=org.secretary.name if org.secretary else "",
        )
    return org


@transaction.atomic
def co_building_link_create(
    *, actor=None, party_org: PartyOrg, community: Area, since: date, note: str = ""
) -> CoBuildingLink:
    if community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "共建对象必须是社区"})
    if CoBuildingLink.objects.filter(party_org=party_org, community=community).exists():
        raise ValidationError({"community": f"{party_org.name} 已与 {community.name} 共建"})
    link = CoBuildingLink(party_org=party_org, community=community, since=since, note=note)
    link.full_clean()
    link.save()
    record(actor=actor, action="create", obj=link, summary=f"共建 {party_org.name} ↔ {community.name}")
    return link
