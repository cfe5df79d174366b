"""Register work on the product's pages instead of the admin: a person, where they live, a unit's contact phone.
In scope and theirs to change: saved, with an audit row; in sight but not theirs: 403; out of scope: 404; bad
input: the message under its field and nothing saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from areas.models import Household
from audit.models import AuditEvent
from people.models import HouseholdMember, Person
from units.models import Unit


def audited(actor, action: str, obj) -> bool:
    return AuditEvent.objects.filter(
        actor=actor, action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).exists()


# ---- a person's details -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("gridworker", 200),  # keeps the people of 幸福一网格
        ("gridleader", 200),
        ("community", 200),
        ("subdistrict", 200),
        ("admin", 200),
        ("district", 403),  # reads everything, changes nothing
        ("buildinghead", 404),  # sees the people of 幸福1号楼 only (and does not keep the register)
        ("gridworker2", 404),  # 和平社区: not in sight
        ("community2", 404),
        ("unit", 404),
        ("resident", 404),  # residents have no register pages
    ],
)
def test_who_may_open_a_residents_edit_page(world, client_for, persona, status):
    response = client_for(persona).get(reverse("person-edit", args=[world.neighbour_g1b.pk]))
    expected = status if persona not in ("gridworker", "gridleader") else 404  # neighbour lives in 幸福二网格
    assert response.status_code == expected
    if expected == 403:
        assert "不能修改" in response.content.decode()


def test_a_building_head_reads_but_does_not_change_the_people_of_the_building(world, client_for):
    client = client_for("buildinghead")
    assert client.get(reverse("person-detail", args=[world.resident_person.pk])).status_code == 200
    assert client.get(reverse("person-edit", args=[world.resident_person.pk])).status_code == 403


def test_a_grid_worker_corrects_a_residents_details(world, client_for):
    client = client_for("gridworker")
    person = world.resident_person
    url = reverse("person-edit", args=[person.pk])
    form = client.get(url).context["form"]
    data = {
        name: ("on" if value is True else value)
        for name, value in form.initial.items()
        if value not in (None, False)
    }
    data.update(name="张秀英", phone="13812340000", birth_year="1948", note="独居老人")
    # when they save the corrected phone, birth year and note
    response = client.post(url, data)
    # then the person is changed, and the audit names the grid worker and the fields
    assert response.status_code == 302 and response["Location"] == reverse("person-detail", args=[person.pk])
    person.refresh_from_db()
    assert (person.phone, person.birth_year, person.note) == ("13812340000", 1948, "独居老人")
    event = AuditEvent.objects.filter(actor=world.gridworker, action="update", object_id=str(person.pk)).get()
    assert set(event.data["fields"]) == {"phone", "birth_year", "note"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "请输入 11 位手机号"),
        ("birth_year", "56", "四位数的出生年份"),
        ("name", "", "该字段是必填项"),
        ("community", "c2", "选择一个有效的选项"),  # another community, typed in
        ("party_org", "po_c1", "只有党员才能有所在党组织"),
    ],
)
def test_bad_details_are_refused_on_their_field(world, client_for, field, value, message):
    client = client_for("community")
    person = world.resident_person
    url = reverse("person-edit", args=[person.pk])
    data = {"name": person.name, "phone": person.phone, "community": world.c1.pk}
    data[field] = getattr(world, value).pk if value in ("c2", "po_c1") else value
    response = client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in response.content.decode()
    assert Person.objects.get(pk=person.pk).community == world.c1
    assert not AuditEvent.objects.filter(action="update", object_id=str(person.pk)).exists()


def test_a_phone_seen_masked_is_neither_shown_nor_changed(world, client_for):
    # given subdistrict staff, who see residents' phones masked
    client = client_for("subdistrict")
    url = reverse("person-edit", args=[world.resident_person.pk])
    page = client.get(url)
    assert "phone" not in page.context["form"].fields and "13812345678" not in page.content.decode()
    # when they post a phone anyway, it is ignored
    client.post(url, {"name": "张秀英", "phone": "13900000000", "community": world.c1.pk})
    assert Person.objects.get(pk=world.resident_person.pk).phone == "13812345678"


# ---- a new resident and where they live --------------------------------------------------------------------------
def test_a_grid_worker_registers_a_new_resident_and_houses_them(world, client_for):
    client = client_for("gridworker")
    # the community they may register with is their grid's, and no other
    offered = set(client.get(reverse("person-new")).context["form"].fields["community"].queryset)
    assert offered == {world.c1}
    # when they register 赵大爷 in 幸福社区
    response = client.post(
        reverse("person-new"),
        {"name": "赵大爷", "phone": "13811112222", "gender": "M", "community": world.c1.pk},
    )
    person = Person.objects.get(name="赵大爷")
    assert response.status_code == 302 and response["Location"] == reverse("person-detail", args=[person.pk])
    assert audited(world.gridworker, "create", person)
    # and house him in a flat of 幸福1号楼 not yet on the register
    housing = reverse("person-housing", args=[person.pk])
    assert set(client.get(housing).context["form"].fields["building"].queryset) == {world.b1a}
    missing_area = client.post(housing, {"building": world.b1a.pk, "number": "103", "relation": "head"})
    assert "floor_area" in missing_area.context["form"].errors  # a new flat needs its floor area
    response = client.post(
        housing,
        {
            "building": world.b1a.pk,
            "number": "103",
            "floor_area": "64.20",
            "relation": "head",
            "is_owner": "on",
        },
    )
    assert response.status_code == 302
    flat = Household.objects.get(building=world.b1a, number="103")
    assert str(flat.floor_area) == "64.20"
    assert HouseholdMember.objects.filter(person=person, household=flat, is_owner=True).exists()
    assert audited(world.gridworker, "create", flat) and audited(world.gridworker, "join_household", person)
    detail = client.get(reverse("person-detail", args=[person.pk])).content.decode()
    assert "幸福1号楼 103" in detail


def test_a_second_person_joins_an_existing_flat_without_its_area(world, client_for):
    client = client_for("community")
    person = world.partymember_person
    response = client.post(
        reverse("person-housing", args=[person.pk]),
        {"building": world.b1b.pk, "number": "201", "relation": "spouse"},
    )
    assert response.status_code == 302
    assert HouseholdMember.objects.filter(person=person, household=world.h1b).exists()


def test_a_building_outside_the_grid_is_refused(world, client_for):
    # given a grid worker of 幸福一网格 housing a resident; when they post 幸福2号楼 (the other grid)
    response = client_for("gridworker").post(
        reverse("person-housing", args=[world.resident_person.pk]),
        {"building": world.b1b.pk, "number": "202", "floor_area": "70", "relation": "head"},
    )
    assert response.status_code == 200 and "building" in response.context["form"].errors
    assert not Household.objects.filter(building=world.b1b, number="202").exists()


def test_moving_out_is_recorded(world, client_for):
    client = client_for("gridworker")
    member = HouseholdMember.objects.get(person=world.resident_person)
    response = client.post(reverse("person-move-out", args=[world.resident_person.pk, member.pk]))
    assert response.status_code == 302
    assert not HouseholdMember.objects.filter(pk=member.pk).exists()
    assert Household.objects.filter(pk=world.h1a.pk).exists()  # the flat stays on the register
    assert audited(world.gridworker, "leave_household", world.resident_person)


@pytest.mark.parametrize(("persona", "status"), [("district", 403), ("gridworker2", 404), ("resident", 404)])
def test_registering_and_housing_are_refused_without_the_right(world, client_for, persona, status):
    client = client_for(persona)
    assert client.get(reverse("person-housing", args=[world.resident_person.pk])).status_code == status
    if persona == "district":
        assert client.get(reverse("person-new")).status_code == 403


# ---- a unit's contact phone ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("unit", 302),  # its own staff
        ("community", 302),  # the community it belongs to
        ("subdistrict", 302),
        ("admin", 302),
        ("gridworker", 403),  # sees the unit, does not keep it
        ("district", 403),
        ("unit2", 404),  # another unit's staff
        ("community2", 404),
        ("resident", 404),
    ],
)
def test_a_units_contact_phone_is_kept_by_its_staff_and_its_community(world, client_for, persona, status):
    client = client_for(persona)
    response = client.post(reverse("unit-edit", args=[world.pm1.pk]), {"contact_phone": "0571-88886666"})
    assert response.status_code == status
    saved = Unit.objects.get(pk=world.pm1.pk).contact_phone
    if status == 302:
        assert saved == "0571-88886666"
        assert audited(getattr(world, persona), "update", world.pm1)
    else:
        assert saved == ""


def test_a_bad_unit_phone_is_refused_on_its_field(world, client_for):
    response = client_for("unit").post(
        reverse("unit-edit", args=[world.pm1.pk]), {"contact_phone": "call me"}
    )
    assert response.status_code == 200 and "contact_phone" in response.context["form"].errors
    assert "请输入 11 位手机号" in response.content.decode()


def test_the_detail_pages_offer_the_edits_to_those_who_may_make_them(world, client_for):
    person_page = client_for("gridworker").get(reverse("person-detail", args=[world.resident_person.pk]))
    assert reverse("person-edit", args=[world.resident_person.pk]) in person_page.content.decode()
    assert reverse("person-housing", args=[world.resident_person.pk]) in person_page.content.decode()
    read_only = client_for("district").get(reverse("person-detail", args=[world.resident_person.pk]))
    assert reverse("person-edit", args=[world.resident_person.pk]) not in read_only.content.decode()
    assert (
        reverse("unit-edit", args=[world.pm1.pk])
        in client_for("unit").get(reverse("unit-detail", args=[world.pm1.pk])).content.decode()
    )
    assert reverse("person-new") in client_for("gridworker").get(reverse("person-list")).content.decode()
    assert reverse("person-new") not in client_for("district").get(reverse("person-list")).content.decode()


# ---- the admin site is the administrator's -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "persona", ["gridworker", "community", "subdistrict", "unit", "district", "resident"]
)
def test_only_the_administrator_sees_and_enters_the_admin(world, client_for, persona):
    client = client_for(persona)
    nav = client.get("/").context["nav"]
    assert "admin" not in [key for key, _, _ in nav]
    for url in ("/admin/", f"/admin/people/person/{world.resident_person.pk}/change/", "/admin/login/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "后台只供系统管理员使用" in response.content.decode()


def test_the_administrator_keeps_the_admin(world, client_for):
    client = client_for("admin")
    assert "admin" in [key for key, _, _ in client.get("/").context["nav"]]
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/people/person/{world.resident_person.pk}/change/").status_code == 200


def test_a_visitor_is_sent_to_the_admin_login(db, client):
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
