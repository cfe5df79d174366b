"""Phone masking and the person services' validation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from people.models import HouseholdMember, Person, mask_phone
from people.services import household_member_add, person_create, person_give_login, person_update


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("19900001111", "199****1111"),
        ("0914-1234567", "0914-****567"),  # landline with area code
        ("01012345678", "010****5678"),  # 11 digits: masked like a mobile
        ("021-87654321", "021-8****321"),
        ("1234567", "****"),
        ("", ""),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize("phone", ["12345678901", "1381234567", "138-1234-5678", "电话", "+8613812345678"])
def test_person_create_refuses_a_bad_phone_with_a_field_message(db, phone):
    with pytest.raises(ValidationError) as exc:
        person_create(name="赵来福", phone=phone)
    assert "请输入 11 位手机号" in exc.value.message_dict["phone"][0]
    assert not Person.objects.filter(name="赵来福").exists()


def test_person_create_checks_community_level_and_party_org(world):
    with pytest.raises(ValidationError) as exc:
        person_create(name="赵来福", community=world.g1a)
    assert "community" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        person_create(name="赵来福", party_org=world.po_c1)
    assert "party_org" in exc.value.message_dict


def test_joining_a_household_sets_the_community_once(world):
    # given a person with no community; when they join a household in 幸福二网格
    person = person_create(name="赵来福", phone="13911112222")
    member = household_member_add(
        person=person, household=world.h1b, relation=HouseholdMember.Relation.TENANT
    )
    person.refresh_from_db()
    # then they belong to 幸福社区; a second home elsewhere does not move them
    assert person.community == world.c1 and member.relation == "tenant"
    household_member_add(person=person, household=world.h2a)
    person.refresh_from_db()
    assert person.community == world.c1
    with pytest.raises(ValidationError):
        household_member_add(person=person, household=world.h1b)


def test_person_update_refuses_unknown_fields_and_bad_phones(world):
    with pytest.raises(ValidationError) as exc:
        person_update(person=world.neighbour_g1b, user=world.admin)
    assert "user" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        person_update(person=world.neighbour_g1b, phone="123")
    assert "phone" in exc.value.message_dict
    person_update(person=world.neighbour_g1b, phone="0914-1234567")
    world.neighbour_g1b.refresh_from_db()
    assert world.neighbour_g1b.phone == "0914-1234567"


def test_person_give_login_once_and_with_a_free_username(world):
    user = person_give_login(person=world.neighbour_g1b, username="ligl", password="s3cret-pass")
    world.neighbour_g1b.refresh_from_db()
    assert world.neighbour_g1b.user == user and user.check_password("s3cret-pass")
    with pytest.raises(ValidationError) as exc:
        person_give_login(person=world.neighbour_g1b, username="ligl2", password="x")
    assert "username" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        person_give_login(person=world.resident_c2, username="ligl", password="x")
    assert "已被使用" in exc.value.message_dict["username"][0]
