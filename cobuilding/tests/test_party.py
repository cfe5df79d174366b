"""The party tree kept on the product's pages: who may add and change what, and the coverage figure."""

from __future__ import annotations

import pytest

from cobuilding import party
from cobuilding.party_services import party_member_assign, party_org_add_child, party_org_edit
from cobuilding.sections import coverage_table
from evaluation.ledgers import Rate
from linli.errors import PermissionDenied, ValidationError
from people.services import person_create
from units.models import PartyOrg

pytestmark = pytest.mark.django_db


def _branch(w):
    return party_org_add_child(
        user=w.community, parent_id=w.po_c1.pk, name="幸福一网格党支部", area_id=w.g1a.pk
    )


def test_community_staff_build_the_tree_down_to_a_building_group(world):
    # given the community's committee; when its staff found a grid branch and a building group with a secretary
    w = world
    branch = _branch(w)
    group = party_org_add_child(
        user=w.community,
        parent_id=branch.pk,
        name="幸福1号楼党小组",
        building_id=w.b1a.pk,
        secretary_id=w.partymember_person.pk,
    )
    # then the group covers the building, in its grid, under the branch, with its secretary
    assert (group.kind, group.building, group.area, group.parent) == ("group", w.b1a, w.g1a, branch)
    assert group.secretary == w.partymember_person
    roots = party.tree(w.c1)
    assert [n.org for n in roots] == [w.po_c1]
    flat = party.flatten(roots)
    assert [(n.org.name, n.depth) for n in flat] == [
        ("幸福社区党委", 0),
        ("幸福一网格党支部", 1),
        ("幸福1号楼党小组", 2),
    ]
    assert flat[0].members == 1  # the party member organised in the committee


def test_a_secretary_must_be_a_party_member_and_a_group_needs_a_building_of_its_grid(world):
    w = world
    branch = _branch(w)
    with pytest.raises(ValidationError) as err:
        party_org_edit(user=w.community, org_id=branch.pk, secretary_id=w.neighbour_g1b.pk)
    assert "不是党员" in str(err.value)
    with pytest.raises(ValidationError) as err:
        party_org_add_child(user=w.community, parent_id=branch.pk, name="错楼党小组", building_id=w.b1b.pk)
    assert "请选择幸福一网格内的楼栋" in str(err.value)


def test_outsiders_cannot_keep_the_tree(world):
    w = world
    # another community's staff do not even find the committee; a resident of the community sees it but may not
    # change it, nor may the party member organised in it
    with pytest.raises(ValidationError):
        party_org_add_child(user=w.community2, parent_id=w.po_c1.pk, name="x", area_id=w.g1a.pk)
    for outsider in (w.resident, w.partymember):
        with pytest.raises(PermissionDenied):
            party_org_edit(user=outsider, org_id=w.po_c1.pk, name="改名")
    # subdistrict staff above the community may
    party_org_edit(user=w.subdistrict, org_id=w.po_c1.pk, name="幸福社区大党委")
    assert PartyOrg.objects.get(pk=w.po_c1.pk).name == "幸福社区大党委"


def test_a_party_member_is_organised_in_a_group(world):
    w = world
    member = person_create(name="赵红", phone="13900003333", community=w.c1, is_party_member=True)
    branch = _branch(w)
    party_member_assign(user=w.community, org_id=branch.pk, person_id=member.pk)
    member.refresh_from_db()
    assert member.party_org == branch
    with pytest.raises(ValidationError):
        party_member_assign(user=w.community, org_id=branch.pk, person_id=w.neighbour_g1b.pk)


def test_coverage_table_recounts_from_the_rows(world, clock_at):
    # given a group in b1a (1 of c1's 2 buildings)
    w = world
    branch = _branch(w)
    party_org_add_child(user=w.community, parent_id=branch.pk, name="1号楼党小组", building_id=w.b1a.pk)
    from linli import clock

    now = clock.now()
    table = coverage_table(w.c1, now, now)
    assert table is not None
    by_name = {r[0]: r for r in table.rows}
    # then each grid and the total are the counts of buildings with a group over all buildings
    assert by_name["幸福一网格"][1:4] == [1, 1, Rate(1, 1)]
    assert by_name["幸福二网格"][1:4] == [1, 0, Rate(0, 1)]
    total = by_name["幸福社区（合计）"]
    buildings = [b for g in (w.g1a, w.g1b) for b in g.buildings.all()]
    covered = [b for b in buildings if PartyOrg.objects.filter(kind="group", building=b).exists()]
    assert total[1:4] == [len(buildings), len(covered), Rate(len(covered), len(buildings))]
    assert str(total[3]) == "50.0%（1 ÷ 2）"
    assert all(link.startswith("/cobuilding/community/") for link in table.links)
    assert table.definitions
