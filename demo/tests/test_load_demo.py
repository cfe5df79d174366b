"""load_demo: refuses outside demo mode, builds the demo district once, and its logins work as described."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.test import TestCase, override_settings

from access.models import Role, RoleAssignment
from access.scope import Scope
from areas.models import Area, Building, Household
from audit.models import AuditEvent
from categories.models import CalendarDay, Category
from demo.categories import CATEGORY_TREE
from demo.loader import DemoModeOff, load_demo_district
from demo.logins import DEMO_PASSWORD, USERNAMES
from linli import clock
from people.models import HouseholdMember, Person
from units.models import CoBuildingLink, PartyOrg, Unit

K = Area.Kind
UK = Unit.Kind
# The demo is loaded as if on this day, so what it shows does not depend on the real date.
DEMO_NOW = datetime(2026, 12, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.django_db
@override_settings(DEMO_MODE=False)
def test_refuses_outside_demo_mode_and_writes_nothing():
    # Given demo mode is off, when load_demo runs, then it fails with a clear message
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("load_demo", stdout=StringIO())
    with pytest.raises(DemoModeOff):
        load_demo_district()
    # and nothing at all was written: no areas, people, logins, categories or audit rows
    assert not Area.objects.exists()
    assert not Person.objects.exists()
    assert not get_user_model().objects.exists()
    assert not Category.objects.exists()
    assert not AuditEvent.objects.exists()


# A fast hasher for the class set-up as well as the tests (the root conftest's only reaches the tests).
@override_settings(DEMO_MODE=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class DemoDistrictTests(TestCase):
    """The district is loaded once for the class (each test runs in its own savepoint)."""

    output: str

    @classmethod
    def setUpTestData(cls):
        out = StringIO()
        with clock.at(DEMO_NOW):
            call_command("load_demo", stdout=out)
        cls.output = out.getvalue()

    # ---- the area tree ------------------------------------------------------------------------------------
    def test_area_tree(self):
        district = Area.objects.get(code="D01")
        assert district.kind == K.DISTRICT
        subdistricts = Area.objects.filter(kind=K.SUBDISTRICT)
        assert subdistricts.count() == 3
        assert all(s.parent_id == district.pk for s in subdistricts)
        for s in subdistricts:
            assert 3 <= Area.objects.filter(kind=K.COMMUNITY, parent=s).count() <= 4
        communities = Area.objects.filter(kind=K.COMMUNITY)
        for c in communities:
            assert 3 <= Area.objects.filter(kind=K.GRID, path__startswith=c.path).count() <= 5, c.name
        with_zones = {z.parent_id for z in Area.objects.filter(kind=K.ZONE)}
        assert 1 <= len(with_zones) <= 2
        assert Area.objects.filter(kind=K.GRID, parent__kind=K.ZONE).exists()
        for grid in Area.objects.filter(kind=K.GRID).annotate(n=Count("buildings")):
            assert 3 <= grid.n <= 6, grid.name

    def test_buildings_and_households(self):
        assert not Building.objects.filter(address="").exists()
        assert not Building.objects.filter(floors__isnull=True).exists()
        assert (
            Building.objects.filter(has_lift=True).exists()
            and Building.objects.filter(has_lift=False).exists()
        )
        assert Building.objects.filter(built_year__lt=2000).exists()
        for building in Building.objects.annotate(n=Count("households")):
            assert building.n >= 2, building.name
        for h in Household.objects.select_related("building"):
            assert re.fullmatch(r"\d-\d{1,2}0[12]", h.number), h.number
            assert Decimal("45") <= h.floor_area <= Decimal("140"), h.floor_area
            assert int(h.number.split("-")[1][:-2]) <= h.building.floors

    def test_residents(self):
        assert 400 <= Person.objects.count() <= 700
        # the residents: everyone living in a household (not the duty and service accounts other steps add)
        people = Person.objects.filter(memberships__isnull=False).distinct()
        assert all(2 <= len(p.name) <= 4 for p in people)
        phones = [p.phone for p in people if p.phone]
        assert all(re.fullmatch(r"1[358]\d{9}", phone) for phone in phones)
        assert len(phones) == len(set(phones))
        assert {p.gender for p in people} == {"F", "M"}
        elderly = people.filter(birth_year__lte=1965).count()
        assert elderly >= people.count() // 4  # the old neighbourhoods are ageing
        relations = set(HouseholdMember.objects.values_list("relation", flat=True))
        assert {"head", "spouse", "child", "parent", "tenant"} <= relations
        assert HouseholdMember.objects.filter(is_owner=True).exists()
        # everyone who lives in a household is registered with that household's community
        for m in HouseholdMember.objects.select_related("person", "household__building__grid"):
            assert m.household.building.grid.path.startswith(m.person.community.path)
        members = people.filter(is_party_member=True)
        assert members.count() >= 30
        assert not members.filter(party_org__isnull=True).exists()

    def test_audit_trail_written(self):
        community = Area.objects.get(code="D01-S1-C1")
        assert AuditEvent.objects.filter(object_type="areas.area", object_id=str(community.pk)).exists()
        assert AuditEvent.objects.filter(action="grant_role").count() == RoleAssignment.objects.count()
        assert AuditEvent.objects.filter(action="bulk_create", data__model="people.person").exists()

    # ---- categories ---------------------------------------------------------------------------------------
    def test_categories(self):
        top = Category.objects.filter(parent__isnull=True)
        assert sorted(top.values_list("name", flat=True)) == sorted(
            ["城乡建设", "环境保护", "交通运输", "卫生计生", "劳动和社会保障", "教育文体", "商贸旅游"]
        )
        for t in top:
            assert t.children.count() >= 4, t.name
        second = Category.objects.filter(parent__isnull=False)
        assert second.count() == sum(len(children) for _, children in CATEGORY_TREE)
        assert Category.objects.get(code="CXJS-WYGL").name == "物业管理"
        # every second-level category can be dispatched to some unit
        assert not second.filter(units__isnull=True).exists()

    # ---- units and party orgs -----------------------------------------------------------------------------
    def test_units_of_each_kind(self):
        def named(fragment: str, kind: str) -> Unit:
            units = Unit.objects.filter(name__contains=fragment, kind=kind)
            assert units.exists(), fragment
            return units.first()

        district = Area.objects.get(code="D01")
        for fragment in ("城市管理", "住房和城乡建设", "卫生健康", "应急管理", "交通警察"):
            dept = named(fragment, UK.DEPARTMENT)
            assert list(dept.areas_served.all()) == [district]
            assert dept.categories.exists()
        for fragment in ("供水", "供电"):
            named(fragment, UK.UTILITY)
        police = Unit.objects.filter(kind=UK.POLICE, name__contains="派出所")
        assert police.count() == 3
        assert {p.areas_served.get().kind for p in police} == {K.SUBDISTRICT}
        assert Unit.objects.filter(kind=UK.PROPERTY_MANAGER).count() >= 5
        named("社会工作服务站", UK.SOCIAL_ORG)
        named("志愿者协会", UK.SOCIAL_ORG)
        assert Unit.objects.filter(kind=UK.ENTERPRISE).count() >= 2
        # every community is served by a property manager
        for c in Area.objects.filter(kind=K.COMMUNITY):
            assert c.units_serving.filter(kind=UK.PROPERTY_MANAGER).exists(), c.name

    def test_party_tree_and_co_building(self):
        PK = PartyOrg.Kind
        assert (
            PartyOrg.objects.filter(area__kind=K.DISTRICT, parent__isnull=True, kind=PK.COMMITTEE).count()
            == 1
        )
        assert PartyOrg.objects.filter(area__kind=K.SUBDISTRICT, name__contains="工作委员会").count() == 3
        assert PartyOrg.objects.filter(area__kind=K.COMMUNITY, kind=PK.COMMITTEE).count() == 10
        grids = Area.objects.filter(kind=K.GRID).count()
        assert PartyOrg.objects.filter(area__kind=K.GRID, kind=PK.BRANCH).count() == grids
        assert PartyOrg.objects.filter(kind=PK.GROUP).exists()
        assert not Unit.objects.filter(party_orgs__isnull=True).exists()
        main = Area.objects.get(code="D01-S1-C1")
        partners = CoBuildingLink.objects.filter(community=main).values_list(
            "party_org__unit__name", flat=True
        )
        for fragment in ("城市管理", "住房和城乡建设", "卫生健康", "应急管理", "交通警察", "派出所", "物业"):
            assert any(fragment in name for name in partners), fragment
        assert CoBuildingLink.objects.values("community").distinct().count() == 10

    # ---- logins -------------------------------------------------------------------------------------------
    def test_every_login_authenticates_with_the_demo_password(self):
        from django.test import RequestFactory

        for username in USERNAMES:  # each from its own phone: one wrong password each locks nobody out
            request = RequestFactory().post("/login/", HTTP_USER_AGENT=f"{username}'s phone")
            user = authenticate(request, username=username, password=DEMO_PASSWORD)
            assert user is not None, username
            assert user.person.name
            assert authenticate(request, username=username, password="wrong") is None

    def test_logins_hold_the_described_roles(self):
        c = Area.objects.get(code="D01-S1-C1")
        grid = Area.objects.get(code="D01-S1-C1-G1")
        expected = {
            "resident": (Role.RESIDENT, c),
            "gridworker": (Role.GRID_WORKER, grid),
            "gridleader": (Role.GRID_LEADER, grid),
            "community": (Role.COMMUNITY_STAFF, c),
            "partymember": (Role.PARTY_MEMBER, c),
            "subdistrict": (Role.SUBDISTRICT_STAFF, c.parent),
            "district": (Role.DISTRICT_LEADER, Area.objects.get(code="D01")),
        }
        for username, (role, area) in expected.items():
            assert list(
                RoleAssignment.objects.filter(user__username=username).values_list("role", "area")
            ) == [(role, area.pk)], username
        building = RoleAssignment.objects.get(user__username="building")
        assert building.role == Role.BUILDING_HEAD and building.building.grid == grid
        unit = RoleAssignment.objects.get(user__username="unit")
        assert (
            unit.role == Role.UNIT_STAFF and unit.unit.kind == UK.DEPARTMENT and "城市管理" in unit.unit.name
        )
        prop = RoleAssignment.objects.get(user__username="property")
        assert prop.unit.kind == UK.PROPERTY_MANAGER and c in prop.unit.areas_served.all()
        admin = get_user_model().objects.get(username="admin")
        assert admin.is_superuser and admin.is_staff
        assert list(admin.role_assignments.values_list("role", flat=True)) == [Role.ADMIN]
        assert get_user_model().objects.filter(is_superuser=True).count() == 1

    def test_resident_lives_where_the_grid_worker_and_building_head_work(self):
        resident = Person.objects.get(user__username="resident")
        household = resident.households.get()
        assert resident.community.code == "D01-S1-C1"
        assert household.building == RoleAssignment.objects.get(user__username="building").building
        assert household.building.grid.code == "D01-S1-C1-G1"
        gridworker = get_user_model().objects.get(username="gridworker")
        assert Scope.of(gridworker).persons().filter(pk=resident.pk).exists()
        party = Person.objects.get(user__username="partymember")
        assert party.is_party_member and party.party_org is not None and party.community.code == "D01-S1-C1"

    def test_community_can_dispatch_to_the_unit_login(self):
        community_user = get_user_model().objects.get(username="community")
        unit = RoleAssignment.objects.get(user__username="unit").unit
        assert unit in Scope.of(community_user).units()

    # ---- the figures of the demo ----------------------------------------------------------------------------
    def test_every_figure_equals_a_recount_of_the_demos_appeals_and_service_orders(self):
        from evaluation.tests.test_recount import check_nodes

        district = Area.objects.get(code="D01")
        community = Area.objects.get(code="D01-S1-C1")
        nodes = [
            district,
            community.parent,
            community,
            Area.objects.get(code="D01-S1-C1-G1"),
            Area.objects.filter(kind=K.COMMUNITY).exclude(pk=community.pk).order_by("code").last(),
        ]
        check_nodes(nodes)
        check_nodes([district, community], kind="service_order")  # the earlier 三库联动 round

    def test_rates_vary_by_unit_and_month_and_stay_short_of_perfect(self):
        from evaluation import selectors as sel

        district = Area.objects.get(code="D01")
        last = date(2026, 11, 1)  # the last full month before the demo's now
        month = sel.Period(last, last)
        # the district's 满意率 and 解决率 of that month are those of a real district, not 100%
        totals = sel.totals(sel.cells(district, month))
        for figure in ("satisfaction_rate", "resolution_rate"):
            assert Fraction(80, 100) < totals.rate(figure) < Fraction(99, 100), figure
        # over the last quarter at least three units (with ten ratings or more) lag the best by five points of 满意率
        # or more (a single month gives a unit three or four ratings: too few for a spread that holds on every run)
        quarter = sel.Period(date(2026, 9, 1), last)
        rates = {
            row.label: row.totals.rate("satisfaction_rate") * 100
            for row in sel.rows_by(sel.cells(district, quarter), "unit")
            if row.key and row.totals["rated"] >= 10
        }
        best = max(rates.values())
        assert len([r for r in rates.values() if r <= best - 5]) >= 3, rates
        # over the year the months differ: the trend chart has a shape
        year = [row.totals.rate("resolution_rate") for row in sel.trend(district, last, months=12)]
        assert max(year) - min(year) >= Fraction(5, 100), year
        # and some units are worse over the year: composite scores spread by ten points or more
        scores = [
            row.totals.composite()
            for row in sel.rows_by(sel.cells(district, sel.Period(date(2025, 12, 1), last)), "unit")
            if row.key and row.totals["rated"] >= 20
        ]
        assert max(scores) - min(scores) >= 10, scores

    def test_the_work_calendar_of_the_demo_years_is_filled(self):
        # 国庆 2025 is a holiday and the 春节 make-up Saturday 2026-02-14 a working day
        assert CalendarDay.objects.get(date=date(2025, 10, 1)).is_workday is False
        assert CalendarDay.objects.get(date=date(2026, 2, 14)).is_workday is True
        assert {d.year for d in CalendarDay.objects.dates("date", "year")} >= {2024, 2025, 2026}
        assert "工作日历" in self.output

    # ---- output and idempotency ---------------------------------------------------------------------------
    def test_prints_the_login_table(self):
        assert DEMO_PASSWORD in self.output
        for username in USERNAMES:
            assert re.search(rf"^  {username} ", self.output, re.MULTILINE), username
        assert re.search(r"^  resident +居民 resident +松园社区", self.output, re.MULTILINE)

    def test_second_run_changes_nothing_and_prints_the_logins_again(self):
        counts = [m.objects.count() for m in (Area, Building, Household, Person, Unit, PartyOrg, AuditEvent)]
        out = StringIO()
        with override_settings(DEMO_MODE=True):
            call_command("load_demo", stdout=out)
        assert [
            m.objects.count() for m in (Area, Building, Household, Person, Unit, PartyOrg, AuditEvent)
        ] == counts
        assert Area.objects.filter(kind=K.DISTRICT).count() == 1
        assert "已存在" in out.getvalue()
        assert all(username in out.getvalue() for username in USERNAMES)
