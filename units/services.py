"""Writes to units, party organisations and co-building links."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from areas.models import Area
from audit.models import record
from categories.models import Category
from units.models import CoBuildingLink, PartyOrg, Unit


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
    org = PartyOrg(kind=kind, code=code, name=name, parent=parent, area=area, unit=unit)
    org.full_clean()
    org.save()
    record(actor=actor, action="create", obj=org, summary=f"新建党组织 {name}", code=code)
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
