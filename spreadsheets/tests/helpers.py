"""A small town for the spreadsheet tests, built through the service functions, and workbook helpers.

Imported by the tests from ``spreadsheets.tests.helpers``; ``conftest.py`` only holds the fixture.

    示范区 D
    ├── 东湖街道 S1
    │   └── 幸福社区 C1 ── 网格 G1A ── 楼栋 B1A: 101 (张秀英 户主, 李建华 配偶), 102 (空)
    │                   ├── 网格 G1B
    │                   └── 片区 Z1 ── 网格 G1Z
    └── 西山街道 S2
        └── 和平社区 C2 ── 网格 G2A ── 楼栋 B2A: 301 (王德明 户主)
    units: DEPT 区住建局 (home D), PM1 幸福物业 (home C1, serves C1 and G1A), PM2 和平物业 (home C2)
    people without a household: 何党员 (C1, party member), 赵阿姨 (C2)

Personas (users): admin (admin role), staff_c1 (community staff at C1), staff_c2 (at C2),
staff_s1 (subdistrict staff at S1), worker_g1a (grid worker at G1A), resident (resident at C1).
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from openpyxl import Workbook, load_workbook

from access.models import Role, RoleAssignment
from access.scope import Scope
from access.services import role_grant
from areas.models import Area, Building, Household
from areas.services import area_create, building_create, household_create
from audit.models import AuditEvent
from people.models import HouseholdMember, Person
from people.services import household_member_add, person_create
from spreadsheets.layout import SHEET_BY_NAME
from spreadsheets.services import ImportResult, workbook_import
from units.models import PartyOrg, Unit
from units.services import party_org_create, unit_create

K = Area.Kind
PERSONAS = {
    "admin": (Role.ADMIN, None),
    "staff_c1": (Role.COMMUNITY_STAFF, "c1"),
    "staff_c2": (Role.COMMUNITY_STAFF, "c2"),
    "staff_s1": (Role.SUBDISTRICT_STAFF, "s1"),
    "worker_g1a": (Role.GRID_WORKER, "g1a"),
    "resident": (Role.RESIDENT, "c1"),
}


def build_places(*, with_party_org: bool = True) -> SimpleNamespace:
    """Areas, buildings, households, units and people (no users), all through the services."""
    t = SimpleNamespace()
    t.d = area_create(kind=K.DISTRICT, code="D", name="示范区", population=300000)
    t.s1 = area_create(kind=K.SUBDISTRICT, code="S1", name="东湖街道", parent=t.d)
    t.s2 = area_create(kind=K.SUBDISTRICT, code="S2", name="西山街道", parent=t.d)
    t.c1 = area_create(kind=K.COMMUNITY, code="C1", name="幸福社区", parent=t.s1, population=5200)
    t.c2 = area_create(kind=K.COMMUNITY, code="C2", name="和平社区", parent=t.s2)
    t.g1a = area_create(kind=K.GRID, code="G1A", name="幸福一网格", parent=t.c1)
    t.g1b = area_create(kind=K.GRID, code="G1B", name="幸福二网格", parent=t.c1)
    t.z1 = area_create(kind=K.ZONE, code="Z1", name="幸福东片区", parent=t.c1)
    t.g1z = area_create(kind=K.GRID, code="G1Z", name="幸福东网格", parent=t.z1)
    t.g2a = area_create(kind=K.GRID, code="G2A", name="和平一网格", parent=t.c2)
    t.b1a = building_create(
        grid=t.g1a,
        code="B1A",
        name="幸福1号楼",
        address="幸福路1号",
        floors=6,
        built_year=1998,
        has_lift=False,
    )
    t.b2a = building_create(grid=t.g2a, code="B2A", name="和平1号楼", floors=18, has_lift=True)
    t.h101 = household_create(building=t.b1a, number="101", floor_area=Decimal("89.50"))
    t.h102 = household_create(building=t.b1a, number="102", floor_area=Decimal("120.00"))
    t.h301 = household_create(building=t.b2a, number="301", floor_area=Decimal("95.00"))
    t.dept = unit_create(kind=Unit.Kind.DEPARTMENT, code="DEPT", name="区住建局", home_area=t.d)
    t.pm1 = unit_create(
        kind=Unit.Kind.PROPERTY_MANAGER,
        code="PM1",
        name="幸福物业",
        home_area=t.c1,
        areas_served=[t.c1, t.g1a],
        contact_phone="0914-1234567",
    )
    t.pm2 = unit_create(kind=Unit.Kind.PROPERTY_MANAGER, code="PM2", name="和平物业", home_area=t.c2)
    t.po_c1 = (
        party_org_create(kind=PartyOrg.Kind.COMMITTEE, code="PO_C1", name="幸福社区党委", area=t.c1)
        if with_party_org
        else None
    )
    t.zhang = person_create(name="张秀英", phone="13812345678", gender="F", birth_year=1958)
    household_member_add(person=t.zhang, household=t.h101, is_owner=True)
    t.li = person_create(name="李建华", phone="13900001111", gender="M", birth_year=1955)
    household_member_add(person=t.li, household=t.h101, relation=HouseholdMember.Relation.SPOUSE)
    t.wang = person_create(name="王德明", phone="13700002222", gender="M")
    household_member_add(person=t.wang, household=t.h301, is_owner=True)
    t.he = person_create(
        name="何党员", phone="13800000007", community=t.c1, is_party_member=True, party_org=t.po_c1
    )
    t.zhao = person_create(name="赵阿姨", community=t.c2, birth_year=1949, gender="F")
    return t


def add_personas(t: SimpleNamespace) -> SimpleNamespace:
    User = get_user_model()
    for username, (role, holder) in PERSONAS.items():
        user = User.objects.create_user(username=username, password="x-test-password")
        role_grant(user=user, role=role, area=getattr(t, holder) if holder else None)
        user.refresh_from_db()
        setattr(t, username, user)
    return t


# ---- workbook helpers -----------------------------------------------------------------------------------------
def make_workbook(sheets: dict[str, list[list[Any]]], headers: dict[str, list[str]] | None = None) -> bytes:
    """A workbook with the format's headers (or the given ones) and the given data rows."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        ws.append((headers or {}).get(name) or SHEET_BY_NAME[name].headers)
        for row in rows:
            ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def read_sheets(data: bytes) -> dict[str, list[list[Any]]]:
    """Every sheet's rows (header included), values as Excel stored them."""
    wb = load_workbook(BytesIO(data))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def run_import(user: Any, data: bytes) -> ImportResult:
    return workbook_import(actor=user, scope=Scope.of(user), file=BytesIO(data), filename="test.xlsx")


def table_counts() -> dict[str, int]:
    """Row counts of every table an import could touch."""
    return {
        "area": Area.objects.count(),
        "building": Building.objects.count(),
        "household": Household.objects.count(),
        "unit": Unit.objects.count(),
        "unit_served": Unit.areas_served.through.objects.count(),
        "party_org": PartyOrg.objects.count(),
        "person": Person.objects.count(),
        "member": HouseholdMember.objects.count(),
        "role": RoleAssignment.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def errors_of(result: ImportResult) -> list[tuple[str, int | None, str]]:
    return [(e.sheet, e.row, e.column) for e in result.errors]
