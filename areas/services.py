"""Writes to the area tree. Paths are kept here; rows elsewhere that copy a path follow ``area_moved``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from areas.models import Area, Building, Household
from areas.signals import area_moved, replace_prefix
from audit.models import record


def _check_parent(kind: str, parent: Area | None) -> None:
    allowed = Area.ALLOWED_PARENTS[kind]
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in allowed:
        names = "、".join(str(Area.Kind(k).label) if k else "无（顶层）" for k in allowed)
        raise ValidationError({"parent": f"{Area.Kind(kind).label}的上级必须是：{names}"})


@transaction.atomic
def area_create(*, actor=None, kind: str, code: str, name: str, parent: Area | None = None, **extra) -> Area:
    _check_parent(kind, parent)
    area = Area(kind=kind, code=code, name=name, parent=parent, **extra)
    area.full_clean(exclude=["path"])
    area.save()
    area.path = f"{parent.path if parent else '/'}{area.pk}/"
    area.depth = (parent.depth + 1) if parent else 0
    area.save(update_fields=["path", "depth"])
    record(
        actor=actor,
        action="create",
        obj=area,
        summary=f"新建{area.get_kind_display()} {area.name}",
        code=code,
    )
    return area


@transaction.atomic
def area_update(
    *, actor=None, area: Area, name: str | None = None, population: int | None = None, shape=None
) -> Area:
    fields = []
    if name is not None:
        area.name = name
        fields.append("name")
    if population is not None:
        area.population = population
        fields.append("population")
    if shape is not None:
        area.shape = shape
        fields.append("shape")
    area.full_clean(exclude=["path", "parent"])
    area.save(update_fields=fields or None)
    record(actor=actor, action="update", obj=area, summary=f"修改 {area.name}", fields=fields)
    return area


@transaction.atomic
def area_move(*, actor=None, area: Area, new_parent: Area) -> Area:
    """Move a node and its whole subtree under a new parent of the allowed kind."""
    area = Area.objects.select_for_update().get(pk=area.pk)
    if new_parent.path.startswith(area.path):
        raise ValidationError({"parent": "不能把区域移到它自己或它的下级之下"})
    _check_parent(area.kind, new_parent)
    old_path = area.path
    new_path = f"{new_parent.path}{area.pk}/"
    depth_delta = (new_parent.depth + 1) - area.depth
    Area.objects.filter(path__startswith=old_path).update(
        path=replace_prefix("path", old_path, new_path),
        depth=F("depth") + depth_delta,
    )
    Area.objects.filter(pk=area.pk).update(parent=new_parent)
    area.refresh_from_db()
    area_moved.send(sender=Area, area=area, old_path=old_path, new_path=new_path)
    record(
        actor=actor,
        action="move",
        obj=area,
        summary=f"{area.name} 移到 {new_parent.name} 之下",
        old_path=old_path,
    )
    return area


@transaction.atomic
def area_delete(*, actor=None, area: Area) -> None:
    """Delete an empty node. Anything hanging on it (children, buildings, people, units, roles) blocks it."""
    blockers = []
    if area.children.exists():
        blockers.append("下级区域")
    if area.kind == Area.Kind.GRID and area.buildings.exists():
        blockers.append("楼栋")
    if area.residents.exists():
        blockers.append("居民")
    if area.home_units.exists():
        blockers.append("所属单位")
    if area.role_assignments.exists():
        blockers.append("角色分配")
    if area.party_orgs.exists():
        blockers.append("党组织")
    if blockers:
        raise ValidationError(f"“{area.name}”下还有{'、'.join(blockers)}，请先移走或删除它们")
    record(actor=actor, action="delete", obj=area, summary=f"删除 {area.name}", code=area.code)
    area.delete()


@transaction.atomic
def building_create(*, actor=None, grid: Area, code: str, name: str, **extra) -> Building:
    if grid.kind != Area.Kind.GRID:
        raise ValidationError({"grid": "楼栋必须属于一个网格"})
    building = Building(grid=grid, code=code, name=name, **extra)
    building.full_clean()
    building.save()
    record(actor=actor, action="create", obj=building, summary=f"新建楼栋 {name}", code=code)
    return building


@transaction.atomic
def household_create(*, actor=None, building: Building, number: str, floor_area) -> Household:
    household = Household(building=building, number=number, floor_area=floor_area)
    household.full_clean()
    household.save()
    record(actor=actor, action="create", obj=household, summary=f"新建户 {household}")
    return household
