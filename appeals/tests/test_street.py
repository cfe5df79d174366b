"""街长制 on the appeal loop: an appeal filed on a street reaches its 街长, who reads it (and only it) in 我的街路;
the unit suggestion names the street's departments first."""

from __future__ import annotations

import pytest

from access.scope import Scope
from appeals.models import Channel
from appeals.selectors import visible_appeals
from appeals.services import appeal_submit
from categories.models import Category
from linli.errors import ValidationError
from notifications.models import Notification
from streets.services import street_bind, street_create, street_set_head
from triage.suggest import suggestion_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def roads(world):
    return Category.objects.create(code="CXJS", name="城乡建设")


@pytest.fixture
def street(world, roads):
    w = world
    s = street_create(
        user=w.community, community=w.c1, name="幸福路", section="1–99 号", grids=[w.g1a, w.g1b]
    )
    street_set_head(user=w.community, street_id=s.pk, person=w.partymember_person)
    street_bind(user=w.community, street_id=s.pk, lead_unit=w.dept, categories=[roads], units=[w.pm1])
    return s


@pytest.fixture
def other_street(world):
    return street_create(user=world.community2, community=world.c2, name="和平路", grids=[world.g2a])


@pytest.fixture
def on_street(world, street, roads):
    """Filed at the counter by the community's staff for 李桂兰 (幸福2号楼, 二网格)."""
    return appeal_submit(
        user=world.community,
        title="幸福路井盖松动",
        body="幸福路 20 号门口的井盖松动，夜里有响声",
        channel=Channel.COUNTER,
        raised_by=world.neighbour_g1b,
        category=roads,
        building=world.b1b,
        street=street,
    )


@pytest.fixture
def off_street(world, roads):
    return appeal_submit(
        user=world.community,
        title="楼道灯不亮",
        body="幸福2号楼三楼楼道灯坏了",
        channel=Channel.COUNTER,
        raised_by=world.neighbour_g1b,
        category=roads,
        building=world.b1b,
    )


def test_an_appeal_on_a_street_notifies_its_head(world, street, on_street):
    assert on_street.street == street
    notes = Notification.objects.filter(user=world.partymember)
    assert [n.title for n in notes] == ["幸福路街路诉求：幸福路井盖松动"]
    assert notes[0].url == f"/appeals/{on_street.pk}/"


def test_an_appeal_without_a_street_does_not(world, street, off_street):
    assert off_street.street is None
    assert not Notification.objects.filter(user=world.partymember).exists()


def test_a_street_of_another_community_is_refused(world, other_street, roads):
    with pytest.raises(ValidationError) as refused:
        appeal_submit(
            user=world.resident,
            title="路面坑洼",
            body="门口路面坑洼",
            channel=Channel.APP,
            building=world.b1a,
            street=other_street,
        )
    assert refused.value.message_dict == {"street": ["请选择幸福社区的街路"]}


# ---- who reads the street's appeals: every persona --------------------------------------------------------
SEES = {  # persona: (sees the appeal on the street, sees the other appeal of the same building)
    "resident": (False, False),
    "gridworker": (False, False),  # 一网格; both appeals are at 幸福2号楼 in 二网格
    "gridleader": (False, False),
    "buildinghead": (False, False),
    "community": (True, True),
    "subdistrict": (True, True),
    "unit": (False, False),  # not dispatched to 幸福物业 (yet)
    "partymember": (True, False),  # the 街长: the street's appeals only
    "district": (True, True),
    "admin": (True, True),
    "community2": (False, False),
    "gridworker2": (False, False),
    "unit2": (False, False),
}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_scope_of_street_appeals_for_every_role(
    world, persona, on_street, off_street, api_client_for, client_for
):
    scope = Scope.of(getattr(world, persona))
    assert scope.street_ids == ({on_street.street_id} if persona == "partymember" else set())
    visible = set(visible_appeals(scope).values_list("pk", flat=True))
    expected = SEES[persona]
    assert (on_street.pk in visible, off_street.pk in visible) == expected
    api = api_client_for(persona)
    assert api.get(f"/api/appeals/{on_street.pk}/").status_code == (200 if expected[0] else 404)
    assert api.get(f"/api/appeals/{off_street.pk}/").status_code == (200 if expected[1] else 404)
    page = client_for(persona).get(f"/appeals/{on_street.pk}/")
    assert page.status_code == (200 if expected[0] else 404)


def test_the_head_loses_the_street_when_replaced(world, street, on_street):
    street_set_head(user=world.community, street_id=street.pk, person=world.buildinghead_person)
    world.partymember.refresh_from_db()
    world.partymember.__dict__.pop("_linli_scope", None)
    scope = Scope.of(world.partymember)
    assert scope.street_ids == set()
    assert on_street.pk not in set(visible_appeals(scope).values_list("pk", flat=True))


def test_my_streets_page_lists_the_streets_appeals(world, client_for, on_street, off_street):
    page = client_for("partymember").get("/streets/mine/").content.decode()
    assert "幸福路（1–99 号）" in page and "幸福路井盖松动" in page and "楼道灯不亮" not in page
    assert "0.0%" not in page and "—" in page  # nothing rated yet: no rate
    other = client_for("resident").get("/streets/mine/").content.decode()
    assert "您目前不是任何街路的街长" in other and "幸福路井盖松动" not in other
    hub = client_for("partymember").get("/hub/").content.decode()
    assert "我的街路" in hub


def test_the_appeal_page_shows_the_street(world, client_for, on_street):
    page = client_for("community").get(f"/appeals/{on_street.pk}/").content.decode()
    assert "幸福路（1–99 号）" in page and "街长 何党员" in page


# ---- intake: the resident's form, the staff form and the API ------------------------------------------------
def test_resident_form_offers_the_communitys_streets(world, client_for, street, other_street):
    client = client_for("resident")
    form = client.get("/appeals/new/").content.decode()
    assert "幸福路（1–99 号）" in form and "和平路" not in form
    r = client.post(
        "/appeals/new/",
        {"title": "路灯不亮", "body": "幸福路上三盏路灯不亮", "building": world.b1a.pk, "street": street.pk},
    )
    assert r.status_code == 302
    appeal = world.resident_person.appeals_raised.get()
    assert appeal.street == street
    bad = client.post(
        "/appeals/new/",
        {
            "title": "路灯不亮",
            "body": "和平路上路灯不亮",
            "building": world.b1a.pk,
            "street": other_street.pk,
        },
    )
    assert bad.status_code == 200 and "street" in bad.context["form"].errors
    assert world.resident_person.appeals_raised.count() == 1


def test_staff_form_refuses_a_street_of_another_community_at_the_field(
    world, client_for, street, other_street
):
    client = client_for("subdistrict")  # 东湖街道: 幸福社区 only
    form = client.get("/appeals/new/").content.decode()
    assert "幸福路" in form and "和平路" not in form
    ok = client.post(
        "/appeals/new/",
        {
            "channel": Channel.HOTLINE,
            "person": world.neighbour_g1b.pk,
            "building": world.b1b.pk,
            "street": street.pk,
            "title": "占道经营",
            "body": "幸福路口有人占道经营",
        },
    )
    assert ok.status_code == 302 and world.neighbour_g1b.appeals_raised.get().street == street


def test_admin_staff_form_wrong_community_street_is_a_field_error(world, client_for, street, other_street):
    client = client_for("admin")
    r = client.post(
        "/appeals/new/",
        {
            "channel": Channel.HOTLINE,
            "person": world.neighbour_g1b.pk,
            "building": world.b1b.pk,
            "street": other_street.pk,
            "title": "占道经营",
            "body": "和平路口有人占道经营",
        },
    )
    assert r.status_code == 200
    assert r.context["form"].errors["street"] == ["请选择幸福社区的街路"]
    assert not world.neighbour_g1b.appeals_raised.exists()


def test_api_takes_a_street_and_refuses_a_wrong_one(world, api_client_for, street, other_street):
    api = api_client_for("resident")
    body = {"title": "路面坑洼", "body": "幸福路路面坑洼", "building": world.b1a.pk}
    created = api.post("/api/appeals/", {**body, "street": street.pk}, format="json")
    assert created.status_code == 201
    detail = api.get(f"/api/appeals/{created.json()['id']}/").json()
    assert (detail["street"], detail["street_name"]) == (street.pk, "幸福路")
    wrong = api.post("/api/appeals/", {**body, "street": other_street.pk}, format="json")
    assert wrong.status_code == 400 and "street" in wrong.json()
    missing = api.post("/api/appeals/", {**body, "street": 999999}, format="json")
    assert missing.status_code == 400 and "street" in missing.json()
    assert world.resident_person.appeals_raised.count() == 1


# ---- routing: the street's departments first -----------------------------------------------------------------
def test_the_suggestion_names_the_streets_departments(world, on_street, off_street):
    suggestion = suggestion_for(on_street)
    assert suggestion is not None
    assert [g.unit for g in suggestion.units[:2]] == [world.dept, world.pm1]
    assert suggestion.reason == "街路：幸福路 → 区住建局"
    elsewhere = suggestion_for(off_street)
    assert elsewhere is None or all(g.source != "street" for g in elsewhere.units)


def test_the_suggestion_follows_a_change_to_the_streets_departments(world, on_street):
    """The streets are kept in memory with triage's tables; binding other departments moves the stamp."""
    assert suggestion_for(on_street).units[0].unit == world.dept
    street_bind(
        user=world.community,
        street_id=on_street.street_id,
        lead_unit=world.pm1,
        categories=[],
        units=[world.dept],
    )
    suggestion = suggestion_for(on_street)
    assert [g.unit for g in suggestion.units[:2]] == [world.pm1, world.dept]
    assert suggestion.reason == "街路：幸福路 → 幸福物业"


def test_a_category_the_street_does_not_take_is_not_routed_to_it(world, street):
    school = Category.objects.create(code="JYWT", name="教育文体")
    appeal = appeal_submit(
        user=world.resident,
        title="学校门口拥堵",
        body="幸福路小学门口上学时拥堵",
        channel=Channel.APP,
        category=school,
        building=world.b1a,
        street=street,
    )
    suggestion = suggestion_for(appeal)
    assert suggestion is None or all(g.source != "street" for g in suggestion.units)
