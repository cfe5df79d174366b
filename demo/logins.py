"""The demo logins: one person per role around the main community, all with the password ``linli-demo``.

``resident`` lives in the building ``building`` heads, in the grid ``gridworker`` and ``gridleader`` cover;
``community`` works at that community, ``subdistrict`` at its subdistrict, and ``unit`` at the district's
城市管理局, which serves the whole district, so the community can dispatch to it.
"""

from __future__ import annotations

import random
import unicodedata
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from access.models import Role, RoleAssignment
from access.services import role_grant
from areas.models import Area, Building, Household
from areas.services import household_create
from audit.models import record
from demo.district import DemoTree
from demo.names import NameMaker
from demo.units import DemoUnits, property_manager_of
from people.models import HouseholdMember
from people.services import household_member_add, person_create, person_give_login
from units.models import PartyOrg

DEMO_PASSWORD = "linli-demo"


class LoginSpec(NamedTuple):
    username: str
    name: str
    gender: str
    birth_year: int
    role: str
    holder: str  # key into the holders built by create_logins


LOGINS = [
    LoginSpec("resident", "刘桂芳", "F", 1956, Role.RESIDENT, "community"),
    LoginSpec("gridworker", "陈晓燕", "F", 1990, Role.GRID_WORKER, "grid"),
    LoginSpec("gridleader", "周建军", "M", 1974, Role.GRID_LEADER, "grid"),
    LoginSpec("building", "马德胜", "M", 1958, Role.BUILDING_HEAD, "building"),
    LoginSpec("community", "吴丽华", "F", 1979, Role.COMMUNITY_STAFF, "community"),
    LoginSpec("partymember", "何志强", "M", 1984, Role.PARTY_MEMBER, "community"),
    LoginSpec("subdistrict", "郑文斌", "M", 1977, Role.SUBDISTRICT_STAFF, "subdistrict"),
    LoginSpec("unit", "孙立新", "M", 1981, Role.UNIT_STAFF, "unit"),
    LoginSpec("property", "赵海涛", "M", 1986, Role.UNIT_STAFF, "property"),
    LoginSpec("district", "黄振华", "M", 1970, Role.DISTRICT_LEADER, "district"),
    LoginSpec("admin", "钱志远", "M", 1987, Role.ADMIN, "global"),
]
USERNAMES = [spec.username for spec in LOGINS]


class LoginRow(NamedTuple):
    username: str
    role: str
    role_label: str
    scope: str


def _new_flat(rng: random.Random, building: Building) -> Household:
    taken = set(building.households.values_list("number", flat=True))
    floors = building.floors or 6
    while True:
        number = f"{rng.randint(1, 2)}-{rng.randint(2, floors)}0{rng.randint(1, 2)}"
        if number not in taken:
            area = (Decimal(rng.randint(6000, 11000)) / 100).quantize(Decimal("0.01"))
            return household_create(building=building, number=number, floor_area=area)


def create_logins(rng: random.Random, names: NameMaker, tree: DemoTree, units: DemoUnits) -> None:
    community = tree.communities[0]
    grid = tree.grids_of_community[community.pk][0]
    building = next(b for b in tree.buildings if b.grid_id == grid.pk)
    holders: dict[str, dict[str, Any]] = {
        "community": {"area": community},
        "grid": {"area": grid},
        "building": {"building": building},
        "subdistrict": {"area": community.parent},
        "unit": {"unit": units.units["CGJ"]},
        "property": {"unit": property_manager_of(units, community)},
        "district": {"area": tree.district},
        "global": {},
    }
    # (community registered with, party org) for those who are not plain residents
    party: dict[str, tuple[Area | None, PartyOrg | None]] = {
        "gridleader": (community, units.grid_branch[grid.pk]),
        "community": (None, units.community_committee[community.pk]),
        # an in-service party member of the 住建局 who registered with the community (双报到)
        "partymember": (community, units.unit_branch["ZJJ"]),
    }
    User = get_user_model()
    # Every demo login has the same password: hash it once rather than once per login.
    password_hash = make_password(DEMO_PASSWORD)
    for spec in LOGINS:
        registered_with, party_org = party.get(spec.username, (None, None))
        person = person_create(
            name=spec.name,
            phone=names.mobile(),
            gender=spec.gender,
            birth_year=spec.birth_year,
            community=registered_with,
            is_party_member=party_org is not None,
            party_org=party_org,
            note="演示账号",
        )
        # None: no password hashed here (PBKDF2 takes about half a second); the shared hash is set below.
        user = person_give_login(person=person, username=spec.username, password=None)  # type: ignore[arg-type]
        user.password = password_hash
        user.save(update_fields=["password"])
        if spec.username in ("resident", "building"):
            # both live in the building the building head looks after, in the grid worker's grid
            flat = _new_flat(rng, building)
            household_member_add(
                person=person, household=flat, relation=HouseholdMember.Relation.HEAD, is_owner=True
            )
            if spec.username == "resident":
                spouse = person_create(
                    name=names.name("M", 1954), gender="M", birth_year=1954, community=community
                )
                household_member_add(person=spouse, household=flat, relation=HouseholdMember.Relation.SPOUSE)
        role_grant(user=user, role=spec.role, **holders[spec.holder])
        if spec.role == Role.ADMIN:
            user = User.objects.get(pk=user.pk)
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
            record(actor=None, action="grant_superuser", obj=user, summary=f"{user.username} 设为超级用户")


def _scope_label(assignment: RoleAssignment) -> str:
    if assignment.area is not None:
        area = assignment.area
        label = f"{area.name}（{area.get_kind_display()}）"
        if area.kind in (Area.Kind.GRID, Area.Kind.ZONE):
            community = area.ancestor_of_kind(Area.Kind.COMMUNITY)
            label = f"{community.name if community else ''} {area.name}（{area.get_kind_display()}）"
        return label
    if assignment.building is not None:
        return f"{assignment.building.name}（楼栋）"
    if assignment.unit is not None:
        return f"{assignment.unit.name}（单位）"
    return "全区（超级用户）" if assignment.user.is_superuser else "全区"


def login_rows() -> list[LoginRow]:
    """Every demo login with each of its roles, read back from the database."""
    assignments = RoleAssignment.objects.filter(user__username__in=USERNAMES).select_related(
        "user", "area", "building", "unit"
    )
    order = {name: i for i, name in enumerate(USERNAMES)}
    rows = [
        LoginRow(
            a.user.username,
            a.role,
            f"{Role(a.role).label} {a.role.replace('_', ' ')}",
            _scope_label(a),
        )
        for a in assignments
    ]
    return sorted(rows, key=lambda r: (order[r.username], r.role))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_logins(rows: list[LoginRow]) -> str:
    lines = [f"演示账号 Demo logins — 密码 password: {DEMO_PASSWORD}"]
    lines.append(f"  {_pad('用户名 user', 14)}{_pad('角色 role', 34)}范围 scope")
    for row in rows:
        lines.append(f"  {_pad(row.username, 14)}{_pad(row.role_label, 34)}{row.scope}")
    return "\n".join(lines)
