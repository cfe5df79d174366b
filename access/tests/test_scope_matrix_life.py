"""The scope matrix, continued for community life (issue #15): service sites and bookings, the 代办/预约 ledger,
activities and their attendance, household visits, 评选 campaigns and residents' covenants.

Every persona of the ``world`` against one object of each model inside 幸福社区 (c1) and one in 和平社区 (c2):
who sees it through the app's scoped selector, its page and its API (else 404), and who may change it. The
tables name the personas; the groups below keep them short:

- ``LIVES`` live in c1 (resident; building head of b1a, living in h1a2; party member registered with c1);
- ``GRID`` keep g1a (grid worker and grid leader);
- ``ABOVE`` community staff of c1, subdistrict staff of s1, district leadership, the administrator;
- ``C2`` community staff of c2 and the grid worker of g2a.

Child rows (a site's hours and rooms, an activity's attendance and photos, a round's grids, a visit's referrals, a
campaign's criteria and nominations, a covenant's versions) are tried through their parent's page and API.
"""

from __future__ import annotations

import io
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from access.scope import Scope
from access.tests.test_scope_matrix import PERSONAS
from activities import scope as activity_rights
from activities import services as activity_services
from campaigns import scope as campaign_rights
from campaigns import services as campaign_services
from campaigns.models import Campaign
from covenants import scope as covenant_rights
from covenants import services as covenant_services
from deliberation.processes import ensure_templates
from linli import clock
from sites import ledger as site_ledger
from sites import scope as site_rights
from sites import services as site_services
from sites.models import Booking
from visits import scope as visit_rights
from visits import services as visit_services

CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=CST)  # a Wednesday

GROUPS = {
    "LIVES": "resident buildinghead partymember",
    "GRID": "gridworker gridleader",
    "ABOVE": "community subdistrict district admin",
    "C2": "community2 gridworker2",
}


def who(spec: str) -> set[str]:
    out: set[str] = set()
    for word in spec.split():
        out |= set(GROUPS[word].split()) if word in GROUPS else {word}
    assert out <= set(PERSONAS), out - set(PERSONAS)
    return out


# ---- who sees each object --------------------------------------------------------------------------------------
SEEN_BY: dict[str, str] = {
    # 党群服务阵地: the sites of one's community (staff of it, above it, below it; residents; units serving it)
    "site_c1": "LIVES GRID ABOVE unit",
    "site_c2": "C2 unit2 district admin",
    # a booking: the person who booked, and the area's staff (not the unit, not other residents)
    "booking_c1": "resident GRID ABOVE",
    "booking_c2": "C2 district admin",
    # the 代办/预约 ledger: the area's staff
    "record_c1": "GRID ABOVE",
    "record_c2": "C2 district admin",
    # an activity published to c1 and co-built by pm1; one still planned is the staff's alone
    "activity_c1": "LIVES GRID ABOVE unit",
    "planned_c1": "GRID ABOVE",
    "activity_c2": "C2 district admin",
    # 走访 is a worker's record: area staff of the subtree (and the grid's staff for the community's round)
    "visit_c1": "GRID ABOVE",
    "visit_c2": "C2 district admin",
    "round_c1": "GRID ABOVE",
    "round_c2": "C2 district admin",
    "tag_c1": "GRID ABOVE",
    "tag_c2": "C2 district admin",
    # 评选 and 居民公约: everyone who works in or lives in the community (a unit serving it does not)
    "campaign_c1": "LIVES GRID ABOVE",
    "campaign_c2": "C2 district admin",
    "covenant_c1": "LIVES GRID ABOVE",
    "draft_c1": "LIVES GRID ABOVE",
    "covenant_c2": "C2 district admin",
}

# ---- who may change it ----------------------------------------------------------------------------------------
CHANGED_BY: dict[str, str] = {
    "site_c1": "community subdistrict admin",  # rooms, hours, duty; confirm bookings; keep the ledger
    "site_c2": "community2 admin",
    "booking_c1": "community subdistrict admin",  # confirm / decline (the booker may only cancel)
    "booking_c2": "community2 admin",
    "activity_c1": "community subdistrict admin",  # publish, cancel, close, photos
    "planned_c1": "community subdistrict admin",
    "activity_c2": "community2 admin",
    "visit_c1": "gridworker gridleader community subdistrict admin",  # visit (and tag) the household
    "visit_c2": "gridworker2 community2 admin",
    "round_c1": "community subdistrict admin",  # open rounds over the area
    "round_c2": "community2 admin",
    "campaign_c1": "community admin",  # run the campaign (the community's own board)
    "campaign_c2": "community2 admin",
    "covenant_c1": "community admin",
    "draft_c1": "community admin",
    "covenant_c2": "community2 admin",
}

# Attendance names are shown to those who check people in: the managers and the grid's staff.
ATTENDANCE_SEEN_BY = "GRID community subdistrict admin"
# A draft version's text: the community's staff and the area staff around it (not its residents).
DRAFT_TEXT_SEEN_BY = "GRID ABOVE"


def png() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buf, format="PNG")
    return SimpleUploadedFile("活动.png", buf.getvalue(), content_type="image/png")


def build_life(w, media_root):
    """One object of each model in c1 and in c2, through the services, at NOW."""
    o = {}
    hours = [(d, time(8, 30), time(17, 30), False) for d in range(7)]
    o["site_c1"] = site_services.site_create(
        user=w.community, community=w.c1, grid=w.g1a, kind="center", name="幸福党群服务中心",
        address="幸福路 1 号", services=["老年证办理"], hours=hours, rooms=[("幸福多功能室", 30)],
    )  # fmt: skip
    o["site_c2"] = site_services.site_create(
        user=w.community2, community=w.c2, kind="station", name="和平党群服务站",
        address="和平路 9 号", services=["社保代办"], hours=hours, rooms=[("和平书画室", 10)],
    )  # fmt: skip
    o["booking_c1"] = site_services.booking_request(
        user=w.resident, site_id=o["site_c1"].pk, kind=Booking.Kind.ROOM, purpose="幸福合唱排练",
        starts_at=datetime(2026, 12, 3, 9, tzinfo=CST), ends_at=datetime(2026, 12, 3, 10, tzinfo=CST),
        room_id=o["site_c1"].rooms.get().pk, attendees=8,
    )  # fmt: skip
    o["booking_c2"] = site_services.booking_request(
        user=w.community2, site_id=o["site_c2"].pk, kind=Booking.Kind.APPOINTMENT, purpose="和平社保咨询",
        starts_at=datetime(2026, 12, 3, 9, tzinfo=CST), ends_at=datetime(2026, 12, 3, 9, 30, tzinfo=CST),
        service="社保代办", person=w.resident_c2,
    )  # fmt: skip
    o["record_c1"] = site_ledger.record_create(
        user=w.community, site_id=o["site_c1"].pk, kind="errand", service="幸福代办老年证",
        person=w.resident_person, minutes=20,
    )  # fmt: skip
    o["record_c2"] = site_ledger.record_create(
        user=w.community2, site_id=o["site_c2"].pk, kind="errand", service="和平代办社保",
        person=w.resident_c2, minutes=15,
    )  # fmt: skip

    def plan(user, community, title, unit=None):
        return activity_services.activity_plan(
            user=user, community=community, kind="moral", title=title, place="活动室", unit=unit,
            starts_at=datetime(2026, 12, 4, 14, tzinfo=CST), ends_at=datetime(2026, 12, 4, 16, tzinfo=CST),
        )  # fmt: skip

    o["activity_c1"] = plan(w.community, w.c1, "幸福道德讲堂", unit=w.pm1)
    activity_services.activity_publish(user=w.community, activity_id=o["activity_c1"].pk)
    activity_services.activity_signup(user=w.resident, activity_id=o["activity_c1"].pk)
    with override_settings(MEDIA_ROOT=media_root):
        o["photo_c1"] = activity_services.activity_add_photos(
            user=w.community, activity_id=o["activity_c1"].pk, photos=[png()]
        )[0]
    o["planned_c1"] = plan(w.community, w.c1, "幸福微党课筹备")
    o["activity_c2"] = plan(w.community2, w.c2, "和平我们的节日")
    activity_services.activity_publish(user=w.community2, activity_id=o["activity_c2"].pk)

    o["visit_c1"], _ = visit_services.visit_log(
        user=w.gridworker, household=w.h1a, key=uuid.uuid4(), seen=[w.resident_person], note="幸福走访记录"
    )
    visit_services.visit_raise_appeal(
        user=w.gridworker, visit_id=o["visit_c1"].pk, key=uuid.uuid4(), title="幸福楼道灯坏了", body="三楼"
    )
    o["visit_c2"], _ = visit_services.visit_log(
        user=w.gridworker2, household=w.h2a, key=uuid.uuid4(), seen=[w.resident_c2], note="和平走访记录"
    )
    for key, user, area in (("round_c1", w.community, w.c1), ("round_c2", w.community2, w.c2)):
        o[key] = visit_services.round_open(
            user=user, area=area, kind="half_month", title=f"{area.name}十二月走访",
            starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 15),
        )  # fmt: skip
    o["tag_c1"] = visit_services.household_tag(user=w.gridworker, household=w.h1a, tag="elderly_alone")
    o["tag_c2"] = visit_services.household_tag(user=w.gridworker2, household=w.h2a, tag="hardship")

    def campaign(user, community, title, panel):
        return campaign_services.campaign_create(
            user=user, community=community, kind=Campaign.Kind.FAMILY, title=title, places=2,
            nominations_close=NOW + timedelta(days=7), criteria=[("家庭和睦", 50), ("邻里互助", 50)], panel=panel,
        )  # fmt: skip

    o["campaign_c1"] = campaign(w.community, w.c1, "幸福最美家庭", [w.community])
    o["nomination_c1"] = campaign_services.nomination_create(
        user=w.resident, campaign_id=o["campaign_c1"].pk, household=w.h1a2, reason="幸福热心邻里"
    )
    o["campaign_c2"] = campaign(w.community2, w.c2, "和平最美家庭", [w.community2])

    ensure_templates()
    v1 = covenant_services.covenant_create(
        user=w.community, community=w.c1, title="幸福居民公约", text="幸福公约第一条：爱护环境。"
    )
    o["version_c1"] = covenant_services.version_deliberate(user=w.community, version_id=v1.pk)
    o["covenant_c1"] = v1.covenant
    draft = covenant_services.covenant_create(
        user=w.community,
        community=w.c1,
        compound="幸福小区",
        title="幸福小区公约",
        text="幸福草稿条款：文明养犬。",
    )
    o["draft_c1"], o["draft_version_c1"] = draft.covenant, draft
    o["covenant_c2"] = covenant_services.covenant_create(
        user=w.community2, community=w.c2, title="和平居民公约", text="和平公约第一条。"
    ).covenant
    for obj in o.values():
        obj.refresh_from_db()
    return o


@pytest.fixture(scope="module")
def life(shared_world, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), clock.at(NOW):
        objects = build_life(shared_world, media)
    with override_settings(MEDIA_ROOT=media):
        yield objects


@pytest.fixture
def world(shared_world, db):
    return shared_world


@pytest.fixture
def now(clock_at):
    return clock_at(NOW)


# ---- (a) the apps' scoped selectors ------------------------------------------------------------------------------
SELECTOR = {
    "site": site_rights.sites,
    "booking": site_rights.bookings,
    "record": site_rights.records,
    "activity": activity_rights.activities,
    "planned": activity_rights.activities,
    "visit": visit_rights.visible_visits,
    "round": visit_rights.visible_rounds,
    "tag": visit_rights.visible_tags,
    "campaign": campaign_rights.visible_campaigns,
    "covenant": covenant_rights.visible_covenants,
    "draft": covenant_rights.visible_covenants,
}


def test_the_tables_cover_every_object_and_change_only_what_is_seen():
    assert {key.rsplit("_", 1)[0] for key in SEEN_BY} == set(SELECTOR)
    for key, spec in CHANGED_BY.items():
        assert who(spec) <= who(SEEN_BY[key]), key


@pytest.mark.parametrize("persona", PERSONAS)
def test_selectors(world, life, persona):
    scope = Scope.of(getattr(world, persona))
    for key, spec in SEEN_BY.items():
        visible = SELECTOR[key.rsplit("_", 1)[0]](scope)
        assert visible.filter(pk=life[key].pk).exists() == (persona in who(spec)), key
    # the attendance of a visible activity: its rows follow the activity
    rows = activity_rights.attendances(scope).filter(activity=life["activity_c1"])
    assert rows.exists() == (persona in who(SEEN_BY["activity_c1"]))


# ---- (b) pages: the object's own page (200 with its name, else 404) and its children on it ---------------------------
PAGE = {
    "site_c1": ("/sites/{pk}/", "幸福多功能室"),  # the room and the hours are on the site's page
    "site_c2": ("/sites/{pk}/", "和平书画室"),
    "activity_c1": ("/activities/{pk}/", "幸福道德讲堂"),
    "planned_c1": ("/activities/{pk}/", "幸福微党课筹备"),
    "activity_c2": ("/activities/{pk}/", "和平我们的节日"),
    "visit_c1": ("/visits/{pk}/", "幸福走访记录"),
    "visit_c2": ("/visits/{pk}/", "和平走访记录"),
    "round_c1": ("/visits/rounds/{pk}/", "幸福社区十二月走访"),
    "round_c2": ("/visits/rounds/{pk}/", "和平社区十二月走访"),
    "campaign_c1": ("/campaigns/{pk}/", "幸福最美家庭"),
    "campaign_c2": ("/campaigns/{pk}/", "和平最美家庭"),
    "covenant_c1": ("/covenants/{pk}/", "协商中"),  # its version list: 第 1 版 being deliberated
    "draft_c1": ("/covenants/{pk}/", "幸福小区公约"),
    "covenant_c2": ("/covenants/{pk}/", "和平居民公约"),
}


@pytest.mark.parametrize("key", list(PAGE))
@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_pages(world, life, client_for, persona, key):
    url, witness = PAGE[key]
    response = client_for(persona).get(url.format(pk=life[key].pk))
    if persona in who(SEEN_BY[key]):
        assert response.status_code == 200
        assert witness in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_children_on_the_pages(world, life, client_for, persona):
    client = client_for(persona)
    # the activity's sign-up list: for those who check people in; its photo: for whoever sees the activity
    activity = client.get(f"/activities/{life['activity_c1'].pk}/").content.decode()
    assert ("报名与签到" in activity) == (persona in who(ATTENDANCE_SEEN_BY))
    photo = client.get(f"/activities/{life['activity_c1'].pk}/photos/{life['photo_c1'].pk}/")
    assert photo.status_code == (200 if persona in who(SEEN_BY["activity_c1"]) else 404)
    # a draft's text is never on the page of those outside DRAFT_TEXT_SEEN_BY (the page shows an open version's
    # text to the community's staff alone; the API gives it to all of DRAFT_TEXT_SEEN_BY, see test_api_children)
    draft = client.get(f"/covenants/{life['draft_c1'].pk}/").content.decode()
    assert ("幸福草稿条款" in draft) == (persona in who(CHANGED_BY["draft_c1"]))
    # the visit's referral (the appeal it raised) is on the visit's page
    visit = client.get(f"/visits/{life['visit_c1'].pk}/").content.decode()
    assert ("幸福楼道灯坏了" in visit) == (persona in who(SEEN_BY["visit_c1"]))
    # a nomination's reason is on the campaign's page for those who see the campaign
    campaign = client.get(f"/campaigns/{life['campaign_c1'].pk}/").content.decode()
    assert ("幸福热心邻里" in campaign) == (persona in who(SEEN_BY["campaign_c1"]))


@pytest.mark.parametrize("persona", PERSONAS)
def test_bookings_and_ledger_pages(world, life, client_for, persona):
    client = client_for(persona)
    bookings = client.get("/sites/bookings/")
    html = bookings.content.decode() if bookings.status_code == 200 else ""
    assert ("幸福合唱排练" in html) == (persona in who(SEEN_BY["booking_c1"]))
    assert ("和平社保咨询" in html) == (persona in who(SEEN_BY["booking_c2"]))
    ledger = client.get("/sites/ledger/")
    html = ledger.content.decode() if ledger.status_code == 200 else ""
    assert ("幸福代办老年证" in html) == (persona in who(SEEN_BY["record_c1"]))
    assert ("和平代办社保" in html) == (persona in who(SEEN_BY["record_c2"]))


# ---- (c) API ---------------------------------------------------------------------------------------------------
API = {
    "site_c1": "/api/sites/{pk}/",
    "site_c2": "/api/sites/{pk}/",
    "booking_c1": "/api/site-bookings/{pk}/",
    "booking_c2": "/api/site-bookings/{pk}/",
    "record_c1": "/api/site-records/{pk}/",
    "record_c2": "/api/site-records/{pk}/",
    "activity_c1": "/api/activities/{pk}/",
    "planned_c1": "/api/activities/{pk}/",
    "activity_c2": "/api/activities/{pk}/",
    "visit_c1": "/api/visits/{pk}/",
    "visit_c2": "/api/visits/{pk}/",
    "round_c1": "/api/visits/rounds/{pk}/",
    "round_c2": "/api/visits/rounds/{pk}/",
    "campaign_c1": "/api/campaigns/{pk}/",
    "campaign_c2": "/api/campaigns/{pk}/",
    "covenant_c1": "/api/covenants/{pk}/",
    "draft_c1": "/api/covenants/{pk}/",
    "covenant_c2": "/api/covenants/{pk}/",
}
API_LIST = {
    "site": "/api/sites/",
    "booking": "/api/site-bookings/",
    "record": "/api/site-records/",
    "activity": "/api/activities/",
    "visit": "/api/visits/",
    "round": "/api/visits/rounds/",
    "campaign": "/api/campaigns/",
    "covenant": "/api/covenants/",
}


@pytest.mark.parametrize("key", list(API))
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_detail(world, life, api_client_for, persona, key):
    response = api_client_for(persona).get(API[key].format(pk=life[key].pk))
    if persona in who(SEEN_BY[key]):
        assert response.status_code == 200
        assert response.json()["id"] == life[key].pk
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_lists(world, life, api_client_for, persona):
    api = api_client_for(persona)
    for prefix, url in API_LIST.items():
        response = api.get(url, {"page_size": 200})
        ids = {row["id"] for row in response.json()["results"]} if response.status_code == 200 else set()
        for key in API:
            if key.rsplit("_", 1)[0] == prefix or (prefix, key.split("_")[0]) in {
                ("activity", "planned"),
                ("covenant", "draft"),
            }:
                assert (life[key].pk in ids) == (persona in who(SEEN_BY[key])), (url, key)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_children(world, life, api_client_for, persona):
    api = api_client_for(persona)
    # the sign-up list: 403 to who sees the activity without checking people in, 404 to who does not see it
    names = api.get(f"/api/activities/{life['activity_c1'].pk}/attendance/")
    if persona in who(ATTENDANCE_SEEN_BY):
        assert names.status_code == 200 and names.json()[0]["person"] == world.resident_person.pk
    else:
        assert names.status_code == (403 if persona in who(SEEN_BY["activity_c1"]) else 404)
    # a draft version is not among the versions residents get
    draft = api.get(f"/api/covenants/{life['draft_c1'].pk}/")
    if draft.status_code == 200:
        versions = {v["id"] for v in draft.json()["versions"]}
        assert (life["draft_version_c1"].pk in versions) == (persona in who(DRAFT_TEXT_SEEN_BY))


# ---- (d) changing ---------------------------------------------------------------------------------------------
def may_change(scope: Scope, key: str, o: dict) -> bool:
    kind = key.rsplit("_", 1)[0]
    obj = o[key]
    if kind == "site":
        return site_rights.may_manage_site(scope, obj)
    if kind == "booking":
        return site_services.may_step(scope, obj, "confirm")
    if kind in ("activity", "planned"):
        return activity_rights.may_manage(scope, obj)
    if kind == "visit":
        return visit_rights.may_visit(scope, obj.household)
    if kind == "round":
        return visit_rights.may_open_round(scope, obj.area)
    if kind == "campaign":
        return campaign_rights.may_run(scope, obj)
    return covenant_rights.may_run(scope, obj)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_change(world, life, persona):
    scope = Scope.of(getattr(world, persona))
    for key, spec in CHANGED_BY.items():
        assert may_change(scope, key, life) == (persona in who(spec)), key


def refused(response, persona: str, key: str) -> bool:
    """404 out of sight, 403 in sight without the right; True when the change went through."""
    if persona not in who(SEEN_BY[key]):
        assert response.status_code == 404, response.content
        return False
    if persona not in who(CHANGED_BY[key]):
        assert response.status_code == 403, response.content
        return False
    assert response.status_code in (200, 201), response.content
    return True


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_steps_follow_the_tables(world, life, api_client_for, now, persona):
    api = api_client_for(persona)
    # confirm the resident's booking; publish the planned activity; deliberate the draft covenant
    refused(api.post(f"/api/site-bookings/{life['booking_c1'].pk}/confirm/"), persona, "booking_c1")
    refused(api.post(f"/api/activities/{life['planned_c1'].pk}/publish/"), persona, "planned_c1")
    step = {"version": life["draft_version_c1"].pk, "step": "deliberate"}
    response = api.post(f"/api/covenants/{life['draft_c1'].pk}/step/", step, format="json")
    if persona in who(SEEN_BY["draft_c1"]) and persona not in who(DRAFT_TEXT_SEEN_BY):
        assert response.status_code == 404  # a resident does not see the draft version to act on it
    else:
        refused(response, persona, "draft_c1")
    # close the campaign's nominations (评审)
    refused(api.post(f"/api/campaigns/{life['campaign_c1'].pk}/review/"), persona, "campaign_c1")
    # log a visit of h1a (the household of visit_c1)
    body = {"household": world.h1a.pk, "key": str(uuid.uuid4()), "seen": [world.resident_person.pk]}
    response = api.post("/api/visits/", body, format="json")
    if persona in who(CHANGED_BY["visit_c1"]):
        assert response.status_code == 201
    else:
        assert response.status_code == 404  # households one does not visit are not found


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_steps_follow_the_tables(world, life, client_for, now, persona):
    client = client_for(persona)
    booking = life["booking_c1"]
    response = client.post(f"/sites/bookings/{booking.pk}/confirm/")
    booking.refresh_from_db()
    changed = booking.status == Booking.Status.CONFIRMED
    assert changed == (persona in who(CHANGED_BY["booking_c1"]))
    if persona not in who(SEEN_BY["booking_c1"]):
        assert response.status_code == 404
    # a campaign's step on its page
    response = client.post(f"/campaigns/{life['campaign_c1'].pk}/review/")
    campaign = Campaign.objects.get(pk=life["campaign_c1"].pk)
    assert (campaign.status == Campaign.Status.REVIEWING) == (persona in who(CHANGED_BY["campaign_c1"]))
    if persona not in who(SEEN_BY["campaign_c1"]):
        assert response.status_code == 404
