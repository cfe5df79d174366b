"""小区 and its bodies: kept by the community's staff through the services, each change an event row; refusals
409 (wrong state), 403 (no right), 400 (bad input with the field named)."""

from __future__ import annotations

from datetime import date

import pytest

from areas.models import Building
from compounds.models import Body, CompoundEvent, Member
from compounds.services import (
    body_create,
    body_end,
    compound_set_buildings,
    compound_update,
    member_add,
    member_remove,
)
from compounds.tests.helpers import compound, firm
from linli.errors import PermissionDenied, TransitionError, ValidationError

pytestmark = pytest.mark.django_db


def test_a_compound_spans_grids_and_its_buildings_point_to_it(world):
    w = world
    c = compound(w)
    assert set(c.buildings.all()) == {w.b1a, w.b1b}
    assert {b.grid for b in c.buildings.all()} == {w.g1a, w.g1b}
    assert CompoundEvent.objects.filter(compound=c, action="create", actor=w.community).exists()
    compound_set_buildings(user=w.community, compound_id=c.pk, buildings=[w.b1a])
    assert Building.objects.get(pk=w.b1b.pk).compound is None
    compound_update(user=w.community, compound_id=c.pk, name="幸福家园", kind="work_unit")
    c.refresh_from_db()
    assert (c.name, c.get_kind_display()) == ("幸福家园", "单位宿舍（家属院）")
    assert list(CompoundEvent.objects.filter(compound=c).values_list("action", flat=True)) == [
        "create",
        "buildings",
        "update",
    ]


def test_bad_input_names_the_field(world):
    w = world
    with pytest.raises(ValidationError) as err:
        compound(w, code="bad code", name="", kind="castle", buildings=[w.b2a])
    fields = err.value.message_dict
    assert set(fields) == {"code", "name", "kind", "buildings"}
    assert "和平1号楼不在幸福社区" in fields["buildings"][0]
    c = compound(w)
    with pytest.raises(ValidationError) as err:
        compound(w, code="C1-XF2", name="另一个小区", buildings=[w.b1a])
    assert "幸福1号楼（已属幸福小区）" in err.value.message_dict["buildings"][0]
    with pytest.raises(ValidationError) as err:
        compound(w, code="C1-XF", name="幸福小区", buildings=[])
    assert set(err.value.message_dict) == {"code", "name"}
    with pytest.raises(ValidationError) as err:
        body_create(
            user=w.community,
            compound_id=c.pk,
            kind="self_management",
            starts_on=date(2026, 1, 1),
            ends_on=None,
        )
    assert "ends_on" in err.value.message_dict


def test_only_the_communitys_staff_keep_it(world):
    w = world
    for name in ("community2", "subdistrict", "district", "gridworker", "unit", "resident"):
        with pytest.raises(PermissionDenied):
            compound(w, user=getattr(w, name))
    c = compound(w, user=w.admin)
    for name in ("subdistrict", "district", "gridworker", "unit", "resident", "community2"):
        with pytest.raises(PermissionDenied):
            compound_update(user=getattr(w, name), compound_id=c.pk, name="x", kind="old")


def test_the_property_firm_is_a_red_property_with_its_branch_and_a_change_of_firm_ends_the_old_one(world):
    w = world
    c = compound(w)
    body = firm(w, c)
    assert body.is_red and body.party_org == w.po_pm1
    with pytest.raises(TransitionError):
        firm(w, c)  # already serving
    with pytest.raises(ValidationError) as err:
        firm(w, c, firm=w.pm2)  # serves another community
    assert "未登记服务幸福社区" in err.value.message_dict["firm"][0]
    with pytest.raises(ValidationError) as err:
        firm(w, c, firm=w.dept)
    assert "不是物业服务企业" in err.value.message_dict["firm"][0]
    w.pm2.areas_served.add(w.c1)
    member_add(user=w.community, body_id=body.pk, person=w.unit_person, post="manager")
    second = firm(w, c, firm=w.pm2)
    body.refresh_from_db()
    assert body.status == Body.Status.ENDED and body.end_reason == "物业更换为和平物业"
    assert not Member.objects.filter(body=body, left_at__isnull=True).exists()
    assert second.term_no == 2 and not second.is_red  # 和平物业 has no party organisation


def test_members_and_their_terms(world):
    w = world
    c = compound(w)
    committee = body_create(
        user=w.community,
        compound_id=c.pk,
        kind="owners_committee",
        starts_on=date(2024, 6, 1),
        ends_on=date(2029, 5, 31),
    )
    with pytest.raises(TransitionError):  # one sitting committee at a time
        body_create(
            user=w.community,
            compound_id=c.pk,
            kind="owners_committee",
            starts_on=date(2024, 6, 1),
            ends_on=date(2029, 5, 31),
        )
    director = member_add(user=w.community, body_id=committee.pk, person=w.resident_person, post="director")
    assert director.ends_on == date(2029, 5, 31)
    with pytest.raises(ValidationError) as err:  # lives there but does not own the flat
        member_add(user=w.community, body_id=committee.pk, person=w.buildinghead_person, post="member")
    assert "不是幸福小区的业主" in err.value.message_dict["person"][0]
    with pytest.raises(ValidationError) as err:
        member_add(user=w.community, body_id=committee.pk, person=w.neighbour_g1b, post="director")
    assert "已有主任" in err.value.message_dict["post"][0]
    with pytest.raises(ValidationError) as err:
        member_add(user=w.community, body_id=committee.pk, person=w.neighbour_g1b, post="manager")
    assert "post" in err.value.message_dict
    with pytest.raises(ValidationError):
        member_add(user=w.community, body_id=committee.pk, person=w.resident_person, post="member")
    with pytest.raises(PermissionDenied):
        member_add(user=w.community2, body_id=committee.pk, person=w.neighbour_g1b, post="member")
    member_remove(user=w.community, member_id=director.pk, reason="搬离小区")
    with pytest.raises(TransitionError):
        member_remove(user=w.community, member_id=director.pk, reason="again")
    with pytest.raises(ValidationError):
        member_remove(user=w.community, member_id=0, reason="x")
    body_end(user=w.community, body_id=committee.pk, reason="提前换届")
    with pytest.raises(TransitionError):  # ended already: the second is told the state
        body_end(user=w.community, body_id=committee.pk, reason="again")
    with pytest.raises(TransitionError):
        member_add(user=w.community, body_id=committee.pk, person=w.neighbour_g1b, post="member")
    actions = list(CompoundEvent.objects.filter(body=committee).values_list("action", flat=True))
    assert actions == ["create", "add_member", "remove_member", "end"]
