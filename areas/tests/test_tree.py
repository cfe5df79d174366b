"""The area tree's services: parent kinds, moving subtrees, guarded deletes, audit rows, role placement."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from access.models import Role, RoleAssignment
from access.scope import Scope
from access.services import role_grant
from areas.models import Area, Building
from areas.services import (
    area_create,
    area_delete,
    area_move,
    area_update,
    building_create,
    household_create,
)
from audit.models import AuditEvent
from people.models import Person
from people.services import person_create
from units.services import party_org_create, unit_create

K = Area.Kind


def audit_rows(obj, action: str) -> int:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    ).count()


@pytest.mark.parametrize(
    ("kind", "parent_name"),
    [
        (K.GRID, "s1"),  # a grid straight under a subdistrict
        (K.COMMUNITY, "d"),  # a community straight under the district
        (K.SUBDISTRICT, "c1"),
        (K.DISTRICT, "d"),  # only one level of districts, at the top
        (K.ZONE, "g1a"),
        (K.COMMUNITY, None),  # nothing but a district sits at the top
    ],
)
def test_area_create_refuses_wrong_parent_kind(world, kind, parent_name):
    parent = getattr(world, parent_name) if parent_name else None
    with pytest.raises(ValidationError) as exc:
        area_create(kind=kind, code="X1", name="错位", parent=parent)
    assert "parent" in exc.value.message_dict
    assert "上级必须是" in exc.value.message_dict["parent"][0]
    assert not Area.objects.filter(code="X1").exists()


def test_area_create_keeps_path_and_depth_and_writes_audit(world, django_user_model):
    # given a zone in 幸福社区; when a grid is created in it
    zone = area_create(actor=world.admin, kind=K.ZONE, code="Z1", name="幸福东片", parent=world.c1)
    grid = area_create(actor=world.admin, kind=K.GRID, code="G1z", name="东片一网格", parent=zone)

    # then paths and depths follow the tree, and the creation is recorded with its actor
    assert zone.path == f"{world.c1.path}{zone.pk}/" and zone.depth == 3
    assert grid.path == f"{zone.path}{grid.pk}/" and grid.depth == 4
    event = AuditEvent.objects.get(object_type="areas.area", object_id=str(grid.pk), action="create")
    assert event.actor == world.admin
    assert event.data == {"code": "G1z"}


def test_area_create_refuses_a_bad_code_with_a_field_message(world):
    with pytest.raises(ValidationError) as exc:
        area_create(kind=K.GRID, code="网格 1", name="坏代码", parent=world.c1)
    assert "code" in exc.value.message_dict


def test_area_move_moves_the_subtree_and_roles_follow(world):
    # given 幸福社区 (with its grids, buildings and community worker) under 东湖街道
    old_path = world.c1.path

    # when it moves to 西山街道
    moved = area_move(actor=world.admin, area=world.c1, new_parent=world.s2)

    # then it and every descendant have new paths and depths
    assert moved.parent == world.s2
    assert moved.path == f"{world.s2.path}{world.c1.pk}/" and moved.depth == 2
    for grid in (world.g1a, world.g1b):
        grid.refresh_from_db()
        assert grid.path == f"{moved.path}{grid.pk}/"
        assert grid.depth == 3
    assert not Area.objects.filter(path__startswith=old_path).exists()
    assert audit_rows(moved, "move") == 1

    # and the subdistricts' scopes follow: 西山街道's staff now see the community's grids, 东湖街道's do not
    role_grant(user=world.subdistrict, role=Role.SUBDISTRICT_STAFF, area=world.s2)
    RoleAssignment.objects.filter(user=world.subdistrict, area=world.s1).delete()
    fresh = get_user_model().objects.get(pk=world.subdistrict.pk)
    assert set(Scope.of(fresh).areas()) == {world.s2, world.c1, world.c2, world.g1a, world.g1b, world.g2a}
    # the community worker at the moved community still covers its grids and people
    community = get_user_model().objects.get(pk=world.community.pk)
    assert {world.g1a, world.g1b} <= set(Scope.of(community).areas())
    assert world.resident_person in Scope.of(community).persons()
    # and a district leader sees the same tree under 西山街道
    assert world.c1 in Area.objects.filter(path__startswith=world.s2.path)


def test_area_move_refuses_own_subtree_and_wrong_kinds(world):
    with pytest.raises(ValidationError) as exc:
        area_move(area=world.s1, new_parent=world.g1a)
    assert "自己或它的下级" in exc.value.message_dict["parent"][0]
    with pytest.raises(ValidationError) as exc:
        area_move(area=world.c1, new_parent=world.c1)
    assert "parent" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        area_move(area=world.g1a, new_parent=world.s2)  # a grid under a subdistrict
    assert "parent" in exc.value.message_dict
    world.g1a.refresh_from_db()
    assert world.g1a.parent == world.c1


def test_area_move_of_a_grid_to_another_community(world):
    area_move(area=world.g1b, new_parent=world.c2)
    world.g1b.refresh_from_db()
    assert world.g1b.path == f"{world.c2.path}{world.g1b.pk}/"
    assert world.b1b in Scope.of(world.community2).buildings()


@pytest.mark.parametrize(
    ("blocker", "area_name", "message"),
    [
        ("children", "c1", "下级区域"),
        ("buildings", "g1b", "楼栋"),
        ("residents", "empty", "居民"),
        ("units", "empty", "所属单位"),
        ("roles", "empty", "角色分配"),
        ("party_orgs", "empty", "党组织"),
    ],
)
def test_area_delete_refuses_when_something_hangs_on_it(world, blocker, area_name, message):
    # given an area with something attached
    world.empty = area_create(kind=K.COMMUNITY, code="C9", name="空社区", parent=world.s2)
    area = getattr(world, area_name)
    if blocker == "residents":
        person_create(name="赵来福", community=area)
    elif blocker == "units":
        unit_create(kind="social_org", code="U-SO", name="邻里互助会", home_area=area)
    elif blocker == "roles":
        role_grant(user=world.community2, role=Role.COMMUNITY_STAFF, area=area)
    elif blocker == "party_orgs":
        party_org_create(kind="branch", code="P-9", name="空社区党支部", area=area)

    # when it is deleted, then it is refused with the reason, and nothing is deleted
    with pytest.raises(ValidationError) as exc:
        area_delete(actor=world.admin, area=area)
    assert message in exc.value.messages[0]
    assert Area.objects.filter(pk=area.pk).exists()
    assert audit_rows(area, "delete") == 0


def test_area_delete_removes_an_empty_leaf_and_records_it(world):
    leaf = area_create(kind=K.GRID, code="G1c", name="幸福三网格", parent=world.c1)
    pk = leaf.pk
    area_delete(actor=world.admin, area=leaf)
    assert not Area.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(object_type="areas.area", object_id=str(pk), action="delete")
    assert event.actor == world.admin and event.data == {"code": "G1c"}


def test_every_service_writes_an_audit_row(world):
    actor = world.admin
    area = area_update(actor=actor, area=world.g1a, name="幸福甲网格", population=800)
    building = building_create(actor=actor, grid=world.g1a, code="B1c", name="幸福3号楼")
    household = household_create(actor=actor, building=building, number="301", floor_area=Decimal("66.60"))
    assert AuditEvent.objects.get(object_id=str(area.pk), action="update", object_type="areas.area").data == {
        "fields": ["name", "population"]
    }
    assert audit_rows(building, "create") == 1
    assert audit_rows(household, "create") == 1
    # the world itself was built through the services: every area, building and person has its creation row
    for model in (Area, Building, Person):
        for obj in model.objects.all():
            assert audit_rows(obj, "create") == 1, obj


def test_building_needs_a_grid_and_household_a_positive_floor_area(world):
    with pytest.raises(ValidationError) as exc:
        building_create(grid=world.c1, code="B9", name="社区楼")
    assert "grid" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        household_create(building=world.b1a, number="999", floor_area=Decimal("0"))
    assert "floor_area" in exc.value.message_dict
    with pytest.raises(ValidationError):
        household_create(building=world.b1a, number="101", floor_area=Decimal("50"))  # already there


@pytest.mark.parametrize(
    ("role", "holder", "field"),
    [
        (Role.GRID_WORKER, {"area": "c1"}, "area"),  # grid worker at a community
        (Role.COMMUNITY_STAFF, {"area": "g1a"}, "area"),
        (Role.DISTRICT_LEADER, {"area": "s1"}, "area"),
        (Role.UNIT_STAFF, {}, "role"),  # unit staff without a unit
        (Role.UNIT_STAFF, {"area": "c1"}, "role"),
        (Role.BUILDING_HEAD, {"area": "g1a"}, "role"),
        (Role.ADMIN, {"area": "d"}, "role"),
    ],
)
def test_role_assignment_refuses_the_wrong_kind_of_holder(world, role, holder, field):
    objects = {k: getattr(world, v) for k, v in holder.items()}
    assignment = RoleAssignment(user=world.resident, role=role, **objects)
    with pytest.raises(ValidationError) as exc:
        assignment.clean()
    assert field in exc.value.message_dict
    with pytest.raises(ValidationError):
        role_grant(user=world.resident, role=role, **objects)
    assert not RoleAssignment.objects.filter(user=world.resident, role=role).exists()


def test_role_grant_audits_and_refuses_duplicates_and_only_the_admin_role_opens_the_admin_site(world):
    assert not world.resident.is_staff
    role_grant(actor=world.admin, user=world.resident, role=Role.GRID_WORKER, area=world.g1b)
    world.resident.refresh_from_db()
    assert not world.resident.is_staff  # grid workers work on the product's pages, not in the admin
    assert AuditEvent.objects.filter(action="grant_role", actor=world.admin).count() == 1
    with pytest.raises(ValidationError) as exc:
        role_grant(user=world.resident, role=Role.GRID_WORKER, area=world.g1b)
    assert "role" in exc.value.message_dict
    role_grant(actor=world.admin, user=world.resident, role=Role.ADMIN)
    world.resident.refresh_from_db()
    assert world.resident.is_staff
