"""A small named world for tests and benchmarks, built only through the service functions.

``build_world()`` returns a ``World`` (a SimpleNamespace); ``conftest.py`` documents every attribute.
The tree::

    示范区 d
    ├── 东湖街道 s1
    │   └── 幸福社区 c1                 pm1 幸福物业 (property manager), po_c1 幸福社区党委
    │       ├── 幸福一网格 g1a ── b1a 幸福1号楼: h1a 101 (resident), h1a2 102 (buildinghead)
    │       └── 幸福二网格 g1b ── b1b 幸福2号楼: h1b 201 (neighbour_g1b)
    └── 西山街道 s2
        └── 和平社区 c2                 pm2 和平物业, po_c2 和平社区党委
            └── 和平一网格 g2a ── b2a 和平1号楼: h2a 301 (resident_c2)
    dept 区住建局 (department at the district, serves it), po_dept 区住建局党支部 co-builds with c1
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from access.models import Role
from access.services import role_grant
from areas.models import Area
from areas.services import area_create, building_create, household_create
from people.models import HouseholdMember
from people.services import household_member_add, person_create, person_give_login
from units.models import PartyOrg, Unit
from units.services import co_building_link_create, party_org_create, unit_create

PASSWORD = "linli-test-password"

World = SimpleNamespace

# persona name -> (person's name, phone)
PERSONAS: dict[str, tuple[str, str]] = {
    "resident": ("张秀英", "13812345678"),
    "gridworker": ("陈网格", "13800000001"),
    "gridleader": ("周组长", "13800000002"),
    "buildinghead": ("刘建国", "13800000003"),
    "community": ("吴书记", "13800000004"),
    "subdistrict": ("郑主任", "13800000005"),
    "unit": ("孙经理", "13800000006"),
    "partymember": ("何党员", "13800000007"),
    "district": ("黄区长", "13800000008"),
    "admin": ("钱志强", "13800000009"),
    "community2": ("冯社工", "13800000010"),
    "gridworker2": ("褚网格", "13800000011"),
    "unit2": ("卫经理", "13800000012"),
}


def build_world() -> World:
    w = World()
    K = Area.Kind
    w.d = area_create(kind=K.DISTRICT, code="D", name="示范区")
    w.s1 = area_create(kind=K.SUBDISTRICT, code="S1", name="东湖街道", parent=w.d)
    w.s2 = area_create(kind=K.SUBDISTRICT, code="S2", name="西山街道", parent=w.d)
    w.c1 = area_create(kind=K.COMMUNITY, code="C1", name="幸福社区", parent=w.s1, population=5200)
    w.c2 = area_create(kind=K.COMMUNITY, code="C2", name="和平社区", parent=w.s2, population=3100)
    w.g1a = area_create(kind=K.GRID, code="G1a", name="幸福一网格", parent=w.c1)
    w.g1b = area_create(kind=K.GRID, code="G1b", name="幸福二网格", parent=w.c1)
    w.g2a = area_create(kind=K.GRID, code="G2a", name="和平一网格", parent=w.c2)

    w.b1a = building_create(grid=w.g1a, code="B1a", name="幸福1号楼", floors=6)
    w.b1b = building_create(grid=w.g1b, code="B1b", name="幸福2号楼", floors=18, has_lift=True)
    w.b2a = building_create(grid=w.g2a, code="B2a", name="和平1号楼", floors=7)
    w.h1a = household_create(building=w.b1a, number="101", floor_area=Decimal("89.50"))
    w.h1a2 = household_create(building=w.b1a, number="102", floor_area=Decimal("120.00"))
    w.h1b = household_create(building=w.b1b, number="201", floor_area=Decimal("76.30"))
    w.h2a = household_create(building=w.b2a, number="301", floor_area=Decimal("95.00"))

    w.dept = unit_create(kind=Unit.Kind.DEPARTMENT, code="U-DEPT", name="区住建局", home_area=w.d)
    w.pm1 = unit_create(kind=Unit.Kind.PROPERTY_MANAGER, code="U-PM1", name="幸福物业", home_area=w.c1)
    w.pm2 = unit_create(kind=Unit.Kind.PROPERTY_MANAGER, code="U-PM2", name="和平物业", home_area=w.c2)

    PK = PartyOrg.Kind
    w.po_c1 = party_org_create(kind=PK.COMMITTEE, code="P-C1", name="幸福社区党委", area=w.c1)
    w.po_c2 = party_org_create(kind=PK.COMMITTEE, code="P-C2", name="和平社区党委", area=w.c2)
    w.po_dept = party_org_create(kind=PK.BRANCH, code="P-DEPT", name="区住建局党支部", unit=w.dept)
    w.po_pm1 = party_org_create(kind=PK.BRANCH, code="P-PM1", name="幸福物业党支部", unit=w.pm1)
    w.link = co_building_link_create(
        party_org=w.po_dept, community=w.c1, since=date(2024, 3, 1), note="老旧小区改造"
    )

    # People on the register without a login: a grid worker acts for them.
    w.neighbour_g1b = person_create(name="李桂兰", phone="13900001111", community=w.c1)
    household_member_add(person=w.neighbour_g1b, household=w.h1b, is_owner=True)
    w.resident_c2 = person_create(name="王德明", phone="13700002222")
    household_member_add(person=w.resident_c2, household=w.h2a, is_owner=True)

    # One persona per role: a User (w.<name>) with a Person (w.<name>_person).
    for key, (name, phone) in PERSONAS.items():
        is_party = key == "partymember"
        person = person_create(
            name=name,
            phone=phone,
            is_party_member=is_party,
            party_org=w.po_c1 if is_party else None,
            community=w.c1 if is_party else None,
        )
        user = person_give_login(person=person, username=key, password=PASSWORD)
        person.refresh_from_db()
        setattr(w, key, user)
        setattr(w, f"{key}_person", person)

    household_member_add(person=w.resident_person, household=w.h1a, is_owner=True)
    household_member_add(
        person=w.buildinghead_person, household=w.h1a2, relation=HouseholdMember.Relation.HEAD
    )
    for key in ("resident_person", "buildinghead_person"):
        getattr(w, key).refresh_from_db()

    R = Role
    grants = [
        ("resident", R.RESIDENT, {"area": w.c1}),
        ("gridworker", R.GRID_WORKER, {"area": w.g1a}),
        ("gridleader", R.GRID_LEADER, {"area": w.g1a}),
        ("buildinghead", R.BUILDING_HEAD, {"building": w.b1a}),
        ("community", R.COMMUNITY_STAFF, {"area": w.c1}),
        ("subdistrict", R.SUBDISTRICT_STAFF, {"area": w.s1}),
        ("unit", R.UNIT_STAFF, {"unit": w.pm1}),
        ("partymember", R.PARTY_MEMBER, {"area": w.c1}),
        ("district", R.DISTRICT_LEADER, {"area": w.d}),
        ("admin", R.ADMIN, {}),
        ("community2", R.COMMUNITY_STAFF, {"area": w.c2}),
        ("gridworker2", R.GRID_WORKER, {"area": w.g2a}),
        ("unit2", R.UNIT_STAFF, {"unit": w.pm2}),
    ]
    for key, role, holder in grants:
        role_grant(user=getattr(w, key), role=role, **holder)
        getattr(w, key).refresh_from_db()  # role_grant may have set is_staff
    w.personas = list(PERSONAS)
    w.password = PASSWORD
    return w


# ---- two people at once (PostgreSQL tests with real concurrent connections) ------------------------------------
def two_at_once() -> list:
    """A module of tests of two people acting at once (``pytestmark = two_at_once()``): each test commits on
    real connections, and runs only on PostgreSQL (row locks); on SQLite it is skipped."""
    import pytest
    from django.db import connection

    return [
        pytest.mark.postgres,
        pytest.mark.django_db(transaction=True),
        pytest.mark.skipif(
            connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real connections"
        ),
    ]


def race(calls: list) -> list:
    """Run the calls in threads released at the same moment, each on its own connection; return what each
    returned, in order."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def api_client(user):
    """A DRF test client authenticated as ``user``."""
    from rest_framework.test import APIClient

    c = APIClient()
    c.force_authenticate(user)
    return c
