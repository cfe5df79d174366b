"""Writes to people and their households; a login is optional and can be added later."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from areas.models import Area, Building, Household
from areas.services import household_create
from audit.models import record
from people.models import HouseholdMember, Person
from units.models import PartyOrg


@transaction.atomic
def person_create(
    *,
    actor=None,
    name: str,
    phone: str = "",
    gender: str = "",
    birth_year: int | None = None,
    community: Area | None = None,
    is_party_member: bool = False,
    party_org: PartyOrg | None = None,
    note: str = "",
) -> Person:
    if community is not None and community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "所属社区必须是社区一级"})
    if party_org is not None and not is_party_member:
        raise ValidationError({"party_org": "只有党员才能有所在党组织"})
    person = Person(
        name=name,
        phone=phone,
        gender=gender,
        birth_year=birth_year,
        community=community,
        is_party_member=is_party_member,
        party_org=party_org,
        note=note,
    )
    person.full_clean()
    person.save()
    record(actor=actor, action="create", obj=person, summary=f"登记人员 {name}")
    return person


@transaction.atomic
def person_update(*, actor=None, person: Person, **changes) -> Person:
    allowed = {"name", "phone", "gender", "birth_year", "is_party_member", "party_org", "note", "community"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: "不能修改此项" for name in unknown})
    person = Person.objects.select_for_update().get(pk=person.pk)
    for attr, value in changes.items():
        setattr(person, attr, value)
    person.full_clean()
    person.save(update_fields=list(changes) or None)
    record(
        actor=actor, action="update", obj=person, summary=f"修改人员 {person.name}", fields=sorted(changes)
    )
    return person


@transaction.atomic
def household_member_add(
    *,
    actor=None,
    person: Person,
    household: Household,
    relation: str = HouseholdMember.Relation.HEAD,
    is_owner: bool = False,
) -> HouseholdMember:
    if HouseholdMember.objects.filter(person=person, household=household).exists():
        raise ValidationError({"household": f"{person.name} 已是 {household} 的成员"})
    member = HouseholdMember(person=person, household=household, relation=relation, is_owner=is_owner)
    member.full_clean()
    member.save()
    community = household.building.grid.ancestor_of_kind(Area.Kind.COMMUNITY)
    if person.community_id is None and community is not None:
        person.community = community
        person.save(update_fields=["community"])
    record(actor=actor, action="join_household", obj=person, summary=f"{person.name} 入户 {household}")
    return member


@transaction.atomic
def person_give_login(
    *, actor=None, person: Person, username: str, password: str, email: str = "", is_staff: bool = False
):
    """Create a login for a person who had none."""
    User = get_user_model()
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id is not None:
        raise ValidationError({"username": f"{person.name} 已有登录账号"})
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"用户名 {username} 已被使用"})
    user = User.objects.create_user(username=username, password=password, email=email, first_name=person.name)
    if is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    person.user = user
    person.save(update_fields=["user"])
    record(actor=actor, action="give_login", obj=person, summary=f"为 {person.name} 开通账号 {username}")
    return user


@transaction.atomic
def person_set_elder_mode(*, actor, person: Person, on: bool) -> Person:
    """Turn 长辈模式 on or off for a person: their own choice, so only their own login may make it.

    Setting the mode it already has changes nothing and writes no audit row (a second tap, two devices)."""
    if getattr(actor, "pk", None) is None or person.user_id != actor.pk:
        raise PermissionDenied("只能为自己开启或关闭长辈模式")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.elder_mode == on:
        return person
    person.elder_mode = on
    person.save(update_fields=["elder_mode"])
    record(
        actor=actor,
        action="elder_mode",
        obj=person,
        summary=f"{person.name} {'开启' if on else '关闭'}长辈模式",
        on=on,
    )
    return person


@transaction.atomic
def person_house(
    *,
    actor=None,
    person: Person,
    building: Building,
    number: str,
    floor_area=None,
    relation: str = HouseholdMember.Relation.HEAD,
    is_owner: bool = False,
) -> HouseholdMember:
    """登记住址: the person joins the flat ``number`` of ``building``; a flat not yet on the register is added
    with its floor area (required then). Both rows are audited."""
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": "请填写房号"})
    Building.objects.select_for_update().get(pk=building.pk)  # two workers adding the same flat: one adds it
    household = Household.objects.filter(building=building, number=number).first()
    if household is None:
        if floor_area in (None, ""):
            raise ValidationError({"floor_area": f"{building.name} {number} 还没有登记，请填写建筑面积"})
        household = household_create(actor=actor, building=building, number=number, floor_area=floor_area)
    return household_member_add(
        actor=actor, person=person, household=household, relation=relation, is_owner=is_owner
    )


@transaction.atomic
def household_member_remove(*, actor=None, member: HouseholdMember) -> None:
    """搬离: the person no longer lives in the flat; the flat stays on the register."""
    member = (
        HouseholdMember.objects.select_for_update()
        .select_related("person", "household__building")
        .get(pk=member.pk)
    )
    record(
        actor=actor,
        action="leave_household",
        obj=member.person,
        summary=f"{member.person.name} 搬离 {member.household}",
    )
    member.delete()
