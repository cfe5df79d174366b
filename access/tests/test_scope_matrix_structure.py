"""The scope matrix, continued for who is who (issue #16): councils (联席会议, 党建联盟) with their seats, meetings,
issues, decisions and follow-ups; 两代表一委员 liaisons; 楼院三长 stewards; streets (街长制); 共建 agreements and their
pledges.

Every persona of the ``world`` against one object of each model inside 幸福社区 (c1) and one in 和平社区 (c2): who
sees it (the app's scoped selector, its page, else 404) and who may change it. These apps have no REST resources
yet (their ``api_urls`` are empty), so pages are the whole surface. Groups as in test_scope_matrix_life.py.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from access.scope import Scope
from access.tests.test_scope_matrix import PERSONAS
from access.tests.test_scope_matrix_life import who
from cobuilding import scope as cobuilding_rights
from cobuilding import services as cobuilding_services
from cobuilding.models import Agreement
from councils import liaisons
from councils import scope as council_rights
from councils import services as council_services
from councils.models import Decision
from estates import selectors as estate_selectors
from estates import services as estate_services
from estates.models import Steward
from linli import clock
from people.services import person_create
from streets import services as street_services
from streets.models import Street

CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 9, 15, 9, 30, tzinfo=CST)

SEEN_BY: dict[str, str] = {
    # a council: the staff of its area and above, its grid's staff; the staff of its member units; not residents
    "council_c1": "GRID ABOVE unit",
    "council_c2": "C2 district admin",
    # 两代表一委员 are public by nature: whoever may see the community or works below it
    "liaison_c1": "LIVES GRID ABOVE unit",
    "liaison_c2": "C2 unit2 district admin",
    # 楼院三长: whoever sees the building (its residents, its grid, the units serving it, the area's staff)
    "steward_c1": "resident buildinghead GRID ABOVE unit",
    "steward_c2": "C2 unit2 district admin",
    # a street: whoever sees the community's page
    "street_c1": "resident partymember community subdistrict district admin unit",
    "street_c2": "community2 unit2 district admin",
    # a 共建 agreement (区住建局 with c1): the community's people, the district, the unit itself (not pm1's staff)
    "agreement_c1": "resident partymember GRID ABOVE",
    "agreement_c2": "C2 unit2 district admin",
}

CHANGED_BY: dict[str, str] = {
    # the structure of a community is kept by its staff and the subdistrict's (cobuilding.scope.keeps_structure)
    "council_c1": "community subdistrict admin",
    "council_c2": "community2 admin",
    "liaison_c1": "community subdistrict admin",
    "liaison_c2": "community2 admin",
    "steward_c1": "community subdistrict admin",
    "steward_c2": "community2 admin",
    "street_c1": "community subdistrict admin",
    "street_c2": "community2 admin",
    "agreement_c1": "community subdistrict admin",
    "agreement_c2": "community2 admin",
}
# The liaisons' page of a community is scoped by Scope.areas: those who hold their role at a grid or a building
# below the community (who read its liaisons through councils.liaisons.visible_liaisons) get 404 there.
LIAISON_PAGE_SEEN_BY = {
    "liaison_c1": "resident partymember community subdistrict district admin unit",
    "liaison_c2": "community2 unit2 district admin",
}
# A council decision owned by pm1 is also reported done by pm1's staff.
DECISION_FINISHED_BY = "community subdistrict admin unit"


def build_structure(w):
    o = {}
    for key, user, area, name in (
        ("council_c1", w.community, w.c1, "幸福党建联盟"),
        ("council_c2", w.community2, w.c2, "和平联席会议"),
    ):
        o[key] = council_services.council_create(user=user, area=area, kind="alliance", name=name)
    council = o["council_c1"]
    seat = council_services.seat_add(user=w.community, council_id=council.pk, unit=w.pm1)
    issue = council_services.issue_raise(user=w.community, council_id=council.pk, title="幸福楼道堆物清理")
    first = council_services.meeting_schedule(
        user=w.community, council_id=council.pk, title="幸福九月例会", scheduled_at=NOW
    )
    council_services.meeting_hold(
        user=w.community, meeting_id=first.pk, minutes="幸福议定方案", attendee_ids=[seat.pk]
    )
    o["decision_c1"] = council_services.decision_take(
        user=w.community, meeting_id=first.pk, issue_id=issue.pk, kind="task", text="幸福物业月底前清理",
        due=date(2026, 10, 31), owner_unit=w.pm1,
    )  # fmt: skip
    second = council_services.meeting_schedule(
        user=w.community, council_id=council.pk, title="幸福十月例会", scheduled_at=NOW
    )
    council_services.meeting_hold(user=w.community, meeting_id=second.pk, minutes="跟踪上次决议")
    council_services.follow_up_record(
        user=w.community,
        meeting_id=second.pk,
        decision_id=o["decision_c1"].pk,
        verdict="on_track",
        note="幸福清理过半",
    )
    o["meeting_c1"], o["meeting2_c1"] = first, second

    deputy = person_create(name="蒋代表", phone="13500000001")
    o["liaison_c1"] = liaisons.liaison_assign(
        user=w.community, person=deputy, kind="deputy", community=w.c1, contact_day="幸福每月第一个周三"
    )
    member = person_create(name="沈委员", phone="13500000002")
    o["liaison_c2"] = liaisons.liaison_assign(
        user=w.community2, person=member, kind="cppcc_member", community=w.c2, contact_day="和平每月十五日"
    )

    o["steward_c1"] = estate_services.steward_appoint(
        user=w.community, person=w.neighbour_g1b, building=w.b1a, post=Steward.Post.HOUSEHOLD_HEAD,
        households=[w.h1a.pk], appointed_on=NOW.date(),
    )  # fmt: skip
    c2_head = person_create(name="杨中心户", phone="13500000003", community=w.c2)
    o["steward_c2"] = estate_services.steward_appoint(
        user=w.community2, person=c2_head, building=w.b2a, post=Steward.Post.HOUSEHOLD_HEAD,
        households=[w.h2a.pk], appointed_on=NOW.date(),
    )  # fmt: skip

    o["street_c1"] = street_services.street_create(
        user=w.community, community=w.c1, name="幸福大道", grids=[w.g1a]
    )
    o["street_c2"] = street_services.street_create(user=w.community2, community=w.c2, name="和平西路")

    o["agreement_c1"] = cobuilding_services.agreement_create(
        user=w.community, community=w.c1, unit=w.dept, party_org=w.po_dept, title="幸福老旧小区改造共建",
        starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
    )  # fmt: skip
    cobuilding_services.pledge_add(
        user=w.community,
        agreement_id=o["agreement_c1"].pk,
        kind="people",
        description="幸福党员志愿者每月两次",
        people=6,
    )
    o["agreement_c2"] = cobuilding_services.agreement_create(
        user=w.community2, community=w.c2, unit=w.pm2, title="和平红色物业共建",
        starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
    )  # fmt: skip
    return o


@pytest.fixture(scope="module")
def structure(shared_world, django_db_blocker):
    with django_db_blocker.unblock(), clock.at(NOW):
        return build_structure(shared_world)


@pytest.fixture
def world(shared_world, db):
    return shared_world


@pytest.fixture
def now(clock_at):
    return clock_at(NOW)


def test_the_tables_change_only_what_is_seen():
    assert set(CHANGED_BY) == set(SEEN_BY)
    for key, spec in CHANGED_BY.items():
        assert who(spec) <= who(SEEN_BY[key]), key
    assert who(DECISION_FINISHED_BY) <= who(SEEN_BY["council_c1"])


# ---- (a) selectors and rights -------------------------------------------------------------------------------------
def visible(scope: Scope, key: str, o: dict) -> bool:
    kind, obj = key.rsplit("_", 1)[0], o[key]
    if kind == "council":
        qs = council_rights.councils(scope)
    elif kind == "liaison":
        qs = liaisons.visible_liaisons(scope)
    elif kind == "steward":
        qs = estate_selectors.stewards(scope)
    elif kind == "street":  # the streets of the communities one may see
        qs = Street.objects.filter(community__in=scope.areas())
    else:
        qs = cobuilding_rights.agreements(scope)
    return qs.filter(pk=obj.pk).exists()


def may_change(scope: Scope, key: str, o: dict) -> bool:
    kind, obj = key.rsplit("_", 1)[0], o[key]
    if kind == "council":
        return council_rights.keeps_council(scope, obj)
    if kind == "agreement":
        return cobuilding_rights.keeps_agreement(scope, obj)
    place = {"liaison": lambda: obj.community, "street": lambda: obj.community}.get(kind)
    area = place() if place else obj.building.grid.parent
    return cobuilding_rights.keeps_structure(scope, area)


@pytest.mark.parametrize("persona", PERSONAS)
def test_selectors_and_rights(world, structure, persona):
    scope = Scope.of(getattr(world, persona))
    for key in SEEN_BY:
        assert visible(scope, key, structure) == (persona in who(SEEN_BY[key])), key
        assert may_change(scope, key, structure) == (persona in who(CHANGED_BY[key])), key
    decision = structure["decision_c1"]
    assert council_rights.may_finish_decision(scope, decision) == (persona in who(DECISION_FINISHED_BY))


# ---- (b) pages --------------------------------------------------------------------------------------------------
def pages(w, o) -> dict[str, tuple[str, str]]:
    return {
        "council_c1": (
            f"/councils/{o['council_c1'].pk}/",
            "幸福楼道堆物清理",
        ),  # its issue list and its seats
        "council_c2": (f"/councils/{o['council_c2'].pk}/", "和平联席会议"),
        "meeting_c1": (f"/councils/meetings/{o['meeting_c1'].pk}/", "幸福物业月底前清理"),  # the decision
        "meeting2_c1": (f"/councils/meetings/{o['meeting2_c1'].pk}/", "幸福清理过半"),  # the follow-up
        "steward_c1": (f"/estates/buildings/{w.b1a.pk}/", "李桂兰"),
        "steward_c2": (f"/estates/buildings/{w.b2a.pk}/", "杨中心户"),
        "street_c1": (f"/streets/community/{w.c1.pk}/", "幸福大道"),
        "street_c2": (f"/streets/community/{w.c2.pk}/", "和平西路"),
        "agreement_c1": (
            f"/cobuilding/agreements/{o['agreement_c1'].pk}/",
            "幸福党员志愿者每月两次",
        ),  # its pledge
        "agreement_c2": (f"/cobuilding/agreements/{o['agreement_c2'].pk}/", "和平红色物业共建"),
    }


PAGE_KEYS = ["council_c1", "council_c2", "meeting_c1", "meeting2_c1", "steward_c1", "steward_c2"]
PAGE_KEYS += ["street_c1", "street_c2", "agreement_c1", "agreement_c2"]


@pytest.mark.parametrize("key", PAGE_KEYS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_pages(world, structure, client_for, persona, key):
    url, witness = pages(world, structure)[key]
    seen_by = SEEN_BY.get(key) or SEEN_BY["council_c1"]  # a meeting is seen with its council
    response = client_for(persona).get(url)
    if persona in who(seen_by):
        assert response.status_code == 200
        assert witness in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_liaison_pages(world, structure, client_for, persona):
    client = client_for(persona)
    for key, area in (("liaison_c1", world.c1), ("liaison_c2", world.c2)):
        response = client.get(f"/councils/liaisons/{area.pk}/")
        if persona in who(LIAISON_PAGE_SEEN_BY[key]):
            assert response.status_code == 200
            assert structure[key].contact_day in response.content.decode()
        else:
            assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_appointment_letter(world, structure, client_for, persona):
    response = client_for(persona).get(f"/estates/stewards/{structure['steward_c1'].pk}/letter.pdf")
    if persona in who(SEEN_BY["steward_c1"]):
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    else:
        assert response.status_code == 404


# ---- (c) changing on the pages: 404 out of sight, refused in sight without the right, done with it -------------
@pytest.mark.parametrize("persona", PERSONAS)
def test_page_changes_follow_the_tables(world, structure, client_for, now, persona):
    client = client_for(persona)
    o = structure
    # report the council's decision done
    decision = o["decision_c1"]
    response = client.post(f"/councils/decisions/{decision.pk}/finish/", {"note": "已清理完毕"})
    done = Decision.objects.get(pk=decision.pk).status == Decision.Status.DONE
    assert done == (persona in who(DECISION_FINISHED_BY))
    assert (response.status_code == 404) == (persona not in who(SEEN_BY["council_c1"]))
    # raise an issue on the council
    response = client.post(f"/councils/{o['council_c1'].pk}/issue/", {"title": "幸福新增议题"})
    raised = o["council_c1"].issues.filter(title="幸福新增议题").exists()
    assert raised == (persona in who(CHANGED_BY["council_c1"]))
    assert (response.status_code == 404) == (persona not in who(SEEN_BY["council_c1"]))
    # end the 共建 agreement
    response = client.post(f"/cobuilding/agreements/{o['agreement_c1'].pk}/end/", {"reason": "协议期满"})
    ended = Agreement.objects.get(pk=o["agreement_c1"].pk).ended_at is not None
    assert ended == (persona in who(CHANGED_BY["agreement_c1"]))
    assert (response.status_code == 404) == (persona not in who(SEEN_BY["agreement_c1"]))
    # end the steward's term
    response = client.post(f"/estates/stewards/{o['steward_c1'].pk}/end/", {"reason": "搬离本楼"})
    ended = Steward.objects.get(pk=o["steward_c1"].pk).ended_at is not None
    assert ended == (persona in who(CHANGED_BY["steward_c1"]))
    assert (response.status_code == 404) == (persona not in who(SEEN_BY["steward_c1"]))
    # name a street's 街长
    street = o["street_c1"]
    response = client.post(
        f"/streets/community/{world.c1.pk}/act/", {"street": street.pk, "head": world.neighbour_g1b.pk}
    )
    named = Street.objects.get(pk=street.pk).head_id == world.neighbour_g1b.pk
    assert named == (persona in who(CHANGED_BY["street_c1"]))
    assert (response.status_code == 404) == (persona not in who(SEEN_BY["street_c1"]))


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_follow_up_on_the_meeting_page_follows_the_tables(world, structure, client_for, now, persona):
    # given a third meeting of c1's council, held; when the persona records how the decision goes on its page
    council, decision = structure["council_c1"], structure["decision_c1"]
    third = council_services.meeting_schedule(
        user=world.community, council_id=council.pk, title="幸福十一月例会", scheduled_at=NOW
    )
    council_services.meeting_hold(user=world.community, meeting_id=third.pk, minutes="再跟踪")
    response = client_for(persona).post(
        f"/councils/meetings/{third.pk}/follow_up/",
        {"decision": decision.pk, "verdict": "behind", "note": "幸福进度滞后"},
    )
    # then the council's keepers record it; who sees the council is refused; nobody else finds the meeting
    recorded = third.follow_ups.filter(decision=decision, note="幸福进度滞后").exists()
    assert recorded == (persona in who(CHANGED_BY["council_c1"]))
    assert response.status_code == (404 if persona not in who(SEEN_BY["council_c1"]) else 302)
