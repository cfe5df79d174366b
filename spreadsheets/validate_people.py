"""Checking the 人员 sheet. People have no code, so "already there" means the same name in the same household,
or, for someone without a household, the same name, community and details."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch

from areas.models import Area, Household
from people.models import HouseholdMember, Person
from spreadsheets import cells
from spreadsheets.layout import GENDER_LABELS, PEOPLE, RELATION_LABELS
from spreadsheets.plan import PersonRow
from spreadsheets.validate import CHUNK, OUT_OF_SCOPE, Validator, chunked_lookup
from units.models import PartyOrg


def _phone_or_masked(value: Any) -> str:
    """A phone as typed; a masked one (138****5678) is kept as is and only accepted for a skipped row."""
    raw = "" if cells.is_blank(value) else str(value).strip()
    if "*" in raw and len(raw) <= 20:
        return raw
    return cells.phone(value)


def check_people(v: Validator) -> None:
    rows = v.parsed_rows(
        PEOPLE,
        {
            "name": lambda v: cells.text(v, max_length=50, required=True),
            "phone": lambda v: _phone_or_masked(v),
            "gender": lambda v: cells.choice(v, GENDER_LABELS, default=""),
            "birth_year": lambda v: cells.integer(v, low=1900, high=2100),
            "community": lambda v: cells.code(v),
            "building": lambda v: cells.code(v),
            "number": lambda v: cells.text(v, max_length=40),
            "relation": lambda v: cells.choice(v, RELATION_LABELS, default=HouseholdMember.Relation.HEAD),
            "is_owner": lambda v: cells.boolean(v),
            "is_party_member": lambda v: cells.boolean(v),
            "party_org": lambda v: cells.code(v),
        },
        PersonRow,
    )
    if not rows:
        return
    orgs: dict[str, PartyOrg] = chunked_lookup(PartyOrg, "code", [r.party_org for r in rows])
    visible_orgs = set(
        v.scope.party_orgs().filter(pk__in=[o.pk for o in orgs.values()]).values_list("pk", flat=True)
    )
    known = _existing_people(v, {r.name for r in rows})
    households = v.existing_households(r.building for r in rows)
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        if row.building and row.number:
            key = (row.name, row.building, row.number)
            if key in seen:
                v.error(PEOPLE, row.row, "姓名", f"同一户的“{row.name}”在本表第 {seen[key]} 行已出现")
                continue
            seen[key] = row.row
        _check_person(v, row, orgs, visible_orgs, known, households)


def _existing_people(v: Validator, names: set[str]) -> dict[str, list[Person]]:
    """People the importer may see with one of the names in the file, with their memberships."""
    by_name: dict[str, list[Person]] = defaultdict(list)
    members = HouseholdMember.objects.select_related("household__building")
    name_list = sorted(names)
    for start in range(0, len(name_list), CHUNK):
        qs = (
            v.scope.persons()
            .filter(name__in=name_list[start : start + CHUNK])
            .select_related("community", "party_org")
            .prefetch_related(Prefetch("memberships", queryset=members))
        )
        for person in qs:
            by_name[person.name].append(person)
    return by_name


def _same_details(v: Validator, person: Person, row: PersonRow) -> bool:
    phones = {person.phone, v.scope.phone_of(person)}
    return (
        row.phone in phones
        and person.gender == row.gender
        and person.birth_year == row.birth_year
        and person.is_party_member == row.is_party_member
        and (person.party_org.code if person.party_org else "") == row.party_org
    )


def _check_person(
    v: Validator,
    row: PersonRow,
    orgs: dict[str, PartyOrg],
    visible_orgs: set[int],
    known: dict[str, list[Person]],
    households: dict[tuple[str, str], Household],
) -> None:
    ok = True
    if bool(row.building) != bool(row.number):
        v.error(PEOPLE, row.row, "房号" if row.building else "楼栋代码", "楼栋代码和房号要一起填写")
        return
    household_key = (row.building, row.number)
    household: Household | None = None
    house_community: str | None = None
    if row.building:
        if not v.resolve_building(PEOPLE, row.row, "楼栋代码", row.building):
            return
        if household_key not in v.new_households:
            household = households.get(household_key)
            if household is None:
                v.error(
                    PEOPLE,
                    row.row,
                    "房号",
                    f"楼栋“{row.building}”没有房号“{row.number}”，请先在「户」表中登记",
                )
                return
            grid = household.building.grid
            v.areas.setdefault(grid.code, grid)
            house_community = v.community_of(grid.code)
        else:
            new_building = v.new_buildings.get(row.building)
            if new_building is not None:
                house_community = v.community_of(new_building.grid)
            else:
                grid = v.buildings[row.building].grid
                v.areas.setdefault(grid.code, grid)
                house_community = v.community_of(grid.code)
    community = row.community or house_community or ""
    if row.community:
        if not v.resolve_area(PEOPLE, row.row, "社区代码", row.community, (Area.Kind.COMMUNITY,)):
            return
        if house_community and house_community != row.community:
            v.error(PEOPLE, row.row, "社区代码", f"房屋在社区“{house_community}”，与所填社区代码不一致")
            ok = False
    if row.party_org:
        if not row.is_party_member:
            v.error(PEOPLE, row.row, "党组织代码", "只有党员才能填写党组织")
            ok = False
        elif row.party_org in v.new_party_orgs:
            pass  # a row of the 党组织 sheet, written before the people (its own errors are its row's)
        elif row.party_org not in orgs or orgs[row.party_org].pk not in visible_orgs:
            v.error(PEOPLE, row.row, "党组织代码", f"党组织代码“{row.party_org}”不存在")
            ok = False
    if not ok:
        return
    # Already registered? Then the row is skipped (same details) or refused (different details).
    candidates = known.get(row.name, [])
    if household is not None:
        in_house = [
            p
            for p in candidates
            for m in p.memberships.all()
            if m.household_id == household.pk and (m.relation, m.is_owner) == (row.relation, row.is_owner)
        ]
        if any(_same_details(v, p, row) for p in in_house):
            v.plan.unchanged[PEOPLE] += 1
            return
        if any(m.household_id == household.pk for p in candidates for m in p.memberships.all()):
            v.error(PEOPLE, row.row, "姓名", f"该户已有“{row.name}”（导入只新增；已有人员请在系统中修改）")
            return
    elif not row.building:
        for p in candidates:
            same_place = (p.community.code if p.community else "") == community and not p.memberships.all()
            if same_place and _same_details(v, p, row):
                v.plan.unchanged[PEOPLE] += 1
                return
    if "*" in row.phone:
        v.error(PEOPLE, row.row, "电话", "号码已被遮挡（含 *），请填写完整号码或留空")
        return
    if not _may_create_in(v, community):
        where = community or "（未填社区）"
        v.error(PEOPLE, row.row, "社区代码", f"社区“{where}”{OUT_OF_SCOPE}，不能登记人员")
        return
    row.community = community
    v.plan.people.append(row)


def _may_create_in(v: Validator, community: str) -> bool:
    if not community:
        return v.scope.can_create_person_in(None)
    if community in v.new_areas:
        return True  # the 区域 row that creates it was checked against the scope
    area = v.areas.get(community)
    return area is not None and v.scope.can_create_person_in(area)
