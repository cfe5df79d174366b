"""Every persona against every object of the world, inside and outside its scope.

The tables below are the rules at a glance; the tests check that Scope, the pages and the API follow them,
and that the admin site lets in the administrator alone (everybody else changes the register on the product's
pages). Names are attributes of the ``world`` fixture (see conftest.py); ``self`` is the
persona's own Person, ``ALL`` everything of that kind, ``-`` nothing.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from access.scope import Scope
from appeals import services, whistle
from areas.models import Area
from linli.testing import api_client
from people.models import Person
from units.models import Unit

# ---- what each persona sees ---------------------------------------------------------------------------------
SEES: dict[str, dict[str, str]] = {
    # Grid workers and leaders also keep the unhoused people registered with their grid's community (the
    # party member here) until they are housed; unit staff read the areas their unit serves, with buildings.
    "resident":     dict(areas="c1 g1a g1b", buildings="b1a", persons="self", units="dept pm1", party_orgs="po_c1 po_dept po_pm1"),
    "gridworker":   dict(areas="g1a", buildings="b1a", persons="self resident_person buildinghead_person partymember_person", units="dept pm1", party_orgs="po_dept po_pm1"),
    "gridleader":   dict(areas="g1a", buildings="b1a", persons="self resident_person buildinghead_person partymember_person", units="dept pm1", party_orgs="po_dept po_pm1"),
    "buildinghead": dict(areas="g1a", buildings="b1a", persons="self resident_person", units="-", party_orgs="-"),
    "community":    dict(areas="c1 g1a g1b", buildings="b1a b1b", persons="self resident_person buildinghead_person partymember_person neighbour_g1b", units="dept pm1", party_orgs="po_c1 po_dept po_pm1"),
    "subdistrict":  dict(areas="s1 c1 g1a g1b", buildings="b1a b1b", persons="self resident_person buildinghead_person partymember_person neighbour_g1b", units="dept pm1", party_orgs="po_c1 po_dept po_pm1"),
    "unit":         dict(areas="c1 g1a g1b", buildings="b1a b1b", persons="self", units="pm1", party_orgs="po_pm1"),
    "partymember":  dict(areas="c1 g1a g1b", buildings="-", persons="self", units="dept pm1", party_orgs="po_c1 po_dept po_pm1"),
    "district":     dict(areas="ALL", buildings="ALL", persons="self resident_person buildinghead_person partymember_person neighbour_g1b resident_c2", units="ALL", party_orgs="ALL"),
    "admin":        dict(areas="ALL", buildings="ALL", persons="ALL", units="ALL", party_orgs="ALL"),
    "community2":   dict(areas="c2 g2a", buildings="b2a", persons="self resident_c2", units="dept pm2", party_orgs="po_c2 po_dept"),
    "gridworker2":  dict(areas="g2a", buildings="b2a", persons="self resident_c2", units="dept pm2", party_orgs="po_dept"),
    "unit2":        dict(areas="c2 g2a", buildings="b2a", persons="self", units="pm2", party_orgs="-"),
}  # fmt: skip

# ---- what each persona may change (always a part of what it sees): people and units on the product's pages,
# areas through Scope (their pages are the administrator's admin) -----------------------------------------------
CHANGES: dict[str, dict[str, str]] = {
    "gridworker":  dict(persons="resident_person buildinghead_person partymember_person"),
    "gridleader":  dict(persons="resident_person buildinghead_person partymember_person"),
    "community":   dict(areas="g1a g1b", persons="resident_person buildinghead_person partymember_person neighbour_g1b", units="pm1"),
    "subdistrict": dict(areas="c1 g1a g1b", persons="resident_person buildinghead_person partymember_person neighbour_g1b", units="pm1"),
    "unit":        dict(units="pm1"),
    "admin":       dict(areas="ALL", persons="ALL", units="ALL"),
    "community2":  dict(areas="g2a", persons="resident_c2", units="pm2"),
    "gridworker2": dict(persons="resident_c2"),
    "unit2":       dict(units="pm2"),
    # district leadership reads everything and changes nothing; residents, party members and building
    # heads change nothing of the register.
}  # fmt: skip

HOME_ONLY = {"resident", "partymember"}  # no staff register pages
ADMIN_SITE = {"admin"}  # the only persona let into the admin site

PERSONAS = list(SEES)
UNIVERSE = {
    "areas": "d s1 s2 c1 c2 g1a g1b g2a".split(),
    "buildings": "b1a b1b b2a".split(),
    "persons": [f"{p}_person" for p in PERSONAS] + ["neighbour_g1b", "resident_c2"],
    "units": "dept pm1 pm2".split(),
    "party_orgs": "po_c1 po_c2 po_dept po_pm1".split(),
}


def expected(table: dict[str, dict[str, str]], persona: str, kind: str) -> set[str]:
    spec = table.get(persona, {}).get(kind, "-")
    if spec == "ALL":
        return set(UNIVERSE[kind])
    return {f"{persona}_person" if n == "self" else n for n in spec.split() if n != "-"}


# One by one, persons are tried as: oneself, the people on the register, and another persona (a worker).
PERSON_SAMPLE = (
    "self resident_person buildinghead_person partymember_person neighbour_g1b resident_c2 community_person"
)


def pairs(*kinds: str) -> list[tuple[str, str, str]]:
    """(persona, kind, object) for every object of the kinds; persons only as PERSON_SAMPLE."""
    out = []
    for persona in PERSONAS:
        for kind in kinds:
            objects = PERSON_SAMPLE.split() if kind == "persons" else UNIVERSE[kind]
            for obj in objects:
                obj = f"{persona}_person" if obj == "self" else obj
                if (persona, kind, obj) not in out:
                    out.append((persona, kind, obj))
    return out


@pytest.fixture
def world(shared_world, db):
    """The matrix only reads (admin POSTs are rolled back per test): build the world once per module."""
    return shared_world


def names(world, objects) -> set[str]:
    by_key = {(type(v), v.pk): k for k, v in vars(world).items() if hasattr(v, "pk") and hasattr(v, "_meta")}
    return {by_key[(type(o), o.pk)] for o in objects}


def test_the_tables_cover_every_persona_and_changes_only_what_is_seen():
    for persona, kinds in CHANGES.items():
        for kind in kinds:
            assert expected(CHANGES, persona, kind) <= expected(SEES, persona, kind), (persona, kind)


# ---- (a) Scope querysets --------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(UNIVERSE))
@pytest.mark.parametrize("persona", PERSONAS)
def test_scope_querysets(world, persona, kind):
    # given a persona; when its scope lists objects of a kind; then exactly the table's objects come back
    visible = getattr(Scope.of(getattr(world, persona)), kind)()
    assert names(world, visible) == expected(SEES, persona, kind)


# ---- (b) pages --------------------------------------------------------------------------------------------------
PAGE_DETAIL = {"areas": "area-detail", "persons": "person-detail", "units": "unit-detail"}
PAGE_LIST = {"areas": "area-list", "persons": "person-list", "units": "unit-list"}


@pytest.mark.parametrize(("persona", "kind", "obj"), pairs(*PAGE_DETAIL))
def test_detail_page(world, client_for, persona, kind, obj):
    target = getattr(world, obj)
    response = client_for(persona).get(reverse(PAGE_DETAIL[kind], args=[target.pk]))
    # residents and party members only reach their own person page; nobody reaches what is out of scope
    visible = obj in expected(SEES, persona, kind) and (persona not in HOME_ONLY or kind == "persons")
    if visible:
        assert response.status_code == 200
        assert target.name in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("kind", list(PAGE_LIST))
@pytest.mark.parametrize("persona", PERSONAS)
def test_list_page(world, client_for, persona, kind):
    response = client_for(persona).get(reverse(PAGE_LIST[kind]))
    if persona in HOME_ONLY:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    html = response.content.decode()
    inside = expected(SEES, persona, kind)
    assert {n for n in UNIVERSE[kind] if getattr(world, n).name in html} == inside


# ---- (c) API ---------------------------------------------------------------------------------------------------
API_BASE = {
    "areas": "/api/areas/",
    "buildings": "/api/buildings/",
    "persons": "/api/people/",
    "units": "/api/units/",
    "party_orgs": "/api/party-orgs/",
}


@pytest.mark.parametrize(("persona", "kind", "obj"), pairs(*API_BASE))
def test_api_detail(world, api_client_for, persona, kind, obj):
    target = getattr(world, obj)
    response = api_client_for(persona).get(f"{API_BASE[kind]}{target.pk}/")
    if obj in expected(SEES, persona, kind):
        assert response.status_code == 200
        assert response.json()["id"] == target.pk
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("kind", list(API_BASE))
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_list(world, api_client_for, persona, kind):
    response = api_client_for(persona).get(API_BASE[kind])
    assert response.status_code == 200
    body = response.json()
    ids = {row["id"] for row in body["results"]}
    assert body["count"] == len(ids)
    assert ids == {getattr(world, n).pk for n in expected(SEES, persona, kind)}


# ---- (d) changing: the product's edit pages, Scope for areas, and the admin site for the administrator only ---
EDIT_PAGE = {"persons": "person-edit", "units": "unit-edit"}


@pytest.mark.parametrize(("persona", "kind", "obj"), pairs(*EDIT_PAGE))
def test_edit_page(world, client_for, persona, kind, obj):
    target = getattr(world, obj)
    url = reverse(EDIT_PAGE[kind], args=[target.pk])
    client = client_for(persona)
    # given the persona opens the object's edit page, and posts a change
    response = client.get(url)
    change = (
        {"name": target.name + "改", "community": world.c1.pk}
        if kind == "persons"
        else {"contact_phone": "0571-88886666"}
    )
    posted = client.post(url, change)
    if persona in HOME_ONLY or obj not in expected(SEES, persona, kind):
        # then out of scope is not found
        assert response.status_code == 404 and posted.status_code == 404
    elif obj not in expected(CHANGES, persona, kind):
        # then what is only in sight is refused
        assert response.status_code == 403 and posted.status_code == 403
    else:
        # then the form is shown and saving it changes the object
        assert response.status_code == 200
        assert posted.status_code in (200, 302)
        if kind == "units":
            assert Unit.objects.get(pk=target.pk).contact_phone == "0571-88886666"
        return
    if kind == "units":
        assert Unit.objects.get(pk=target.pk).contact_phone == target.contact_phone
    else:
        assert Person.objects.get(pk=target.pk).name == target.name


@pytest.mark.parametrize(("persona", "kind", "obj"), pairs("areas"))
def test_scope_may_change_area(world, persona, kind, obj):
    allowed = Scope.of(getattr(world, persona)).can_change_area(getattr(world, obj))
    assert allowed == (obj in expected(CHANGES, persona, kind))


ADMIN_MODEL = {"areas": "areas/area", "persons": "people/person", "units": "units/unit"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_admin_site_is_the_administrators(world, client_for, persona):
    client = client_for(persona)
    target = world.resident_person
    urls = ["/admin/", *(f"/admin/{path}/" for path in ADMIN_MODEL.values())]
    urls.append(f"/admin/people/person/{target.pk}/change/")
    for url in urls:
        response = client.get(url)
        if persona in ADMIN_SITE:
            assert response.status_code == 200, url
        else:
            # then a refusal in Chinese (the product's 403), never the admin's forms
            assert response.status_code == 403, url
            assert "后台只供系统管理员使用" in response.content.decode()
    posted = client.post(f"/admin/people/person/{target.pk}/change/", {"name": "改名", "_save": "保存"})
    if persona not in ADMIN_SITE:
        assert posted.status_code == 403
        assert Person.objects.get(pk=target.pk).name == target.name
    assert ("admin" in [key for key, _, _ in client.get("/").context["nav"]]) == (persona in ADMIN_SITE)


def test_the_administrator_changes_anything_in_the_admin(world, client_for):
    client = client_for("admin")
    for kind, path in ADMIN_MODEL.items():
        target = getattr(world, UNIVERSE[kind][-1])
        page = client.get(f"/admin/{path}/{target.pk}/change/")
        assert page.status_code == 200 and 'name="_save"' in page.content.decode()


def test_the_person_form_offers_only_what_is_in_scope(world, client_for):
    # given community staff of c1 on the edit page of a resident of c1
    client = client_for("community")
    url = reverse("person-edit", args=[world.resident_person.pk])
    form = client.get(url).context["form"]
    assert "user" not in form.fields  # logins are linked by the administrator
    assert set(form.fields["community"].queryset) == {world.c1}
    assert world.po_c2 not in set(form.fields["party_org"].queryset)
    # when they type in 和平社区's id or another community's party organisation, then the field refuses it
    for field, outside in (("community", world.c2.pk), ("party_org", world.po_c2.pk)):
        data = {"name": world.resident_person.name, "community": world.c1.pk, "is_party_member": "on"}
        response = client.post(url, {**data, field: str(outside)})
        assert response.status_code == 200, field
        assert field in response.context["form"].errors, field
    world.resident_person.refresh_from_db()
    assert world.resident_person.community == world.c1 and world.resident_person.party_org is None


# ---- (e) phones --------------------------------------------------------------------------------------------------
FULL, MASKED = "13812345678", "138****5678"


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("resident", FULL),  # their own
        ("gridworker", FULL),
        ("gridleader", FULL),
        ("community", FULL),
        ("buildinghead", MASKED),
        ("subdistrict", MASKED),
        ("district", MASKED),
        ("admin", FULL),
        ("unit", None),
        ("partymember", None),
        ("community2", None),
    ],
)
def test_resident_phone_as_seen_by(world, client_for, api_client_for, persona, shown):
    pk = world.resident_person.pk
    page = client_for(persona).get(reverse("person-detail", args=[pk]))
    api = api_client_for(persona).get(f"/api/people/{pk}/")
    if shown is None:
        assert page.status_code == 404 and api.status_code == 404
        return
    html = page.content.decode()
    assert shown in html
    if shown == MASKED:
        assert FULL not in html and "tel:" not in html  # a masked number is not offered as a call
    else:
        assert f'href="tel:{FULL}"' in html  # a tap on a phone calls the resident
    assert api.json()["phone"] == shown


def test_person_list_masks_phones_for_subdistrict_staff(world, client_for):
    html = client_for("subdistrict").get(reverse("person-list")).content.decode()
    assert MASKED in html and FULL not in html
    assert "139****1111" in html  # neighbour_g1b
    assert f'href="tel:{FULL}"' in client_for("community").get(reverse("person-list")).content.decode()


def test_the_edit_page_hides_the_phone_from_those_who_see_it_masked(world, client_for):
    url = reverse("person-edit", args=[world.resident_person.pk])
    assert FULL not in client_for("subdistrict").get(url).content.decode()
    assert FULL in client_for("community").get(url).content.decode()


def test_the_shared_world_is_intact_after_the_writes_above(world):
    # every save above ran in its own savepoint: the database still matches the world as built
    for model, kind in ((Area, "areas"), (Person, "persons"), (Unit, "units")):
        for name in UNIVERSE[kind]:
            assert model.objects.get(pk=getattr(world, name).pk).name == getattr(world, name).name


# ---- (f) a whistled appeal (吹哨报到) ------------------------------------------------------------------------------
# The resident's appeal about b1a, which community staff whistled 幸福物业 (pm1) to: the summoned unit's staff see it
# like the area's staff do; the staff of a unit not summoned (pm2) and everyone outside c1 do not.
WHISTLED_SEEN_BY = set(
    "resident gridworker gridleader buildinghead community subdistrict unit district admin".split()
)


@pytest.fixture
def whistled(world):
    appeal = services.appeal_submit(
        user=world.resident,
        title="楼道堆物堵住消防通道",
        body="1 号楼楼道堆满杂物。",
        channel="app",
        building=world.b1a,
    )
    # before the whistle no unit has anything to do with it
    assert client_api(world, "unit").get(f"/api/appeals/{appeal.pk}/").status_code == 404
    return whistle.appeal_whistle(
        user=world.community, appeal_id=appeal.pk, units=[world.pm1], task="清理堆物"
    )


def client_api(world, persona):
    return api_client(getattr(world, persona))


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_whistled_appeal_is_seen_by_the_summoned_unit_and_not_by_others(
    world, client_for, persona, whistled
):
    # given an appeal whistled to pm1; when each persona opens it on the page and in the API and lists the queue
    page = client_for(persona).get(reverse("appeal-detail", args=[whistled.pk]))
    api = client_api(world, persona)
    detail = api.get(f"/api/appeals/{whistled.pk}/")
    listed = {row["id"] for row in api.get("/api/appeals/").json()["results"]}
    # then exactly the summoned unit and the appeal's own people see it
    if persona in WHISTLED_SEEN_BY:
        assert page.status_code == 200 and whistled.title in page.content.decode()
        assert detail.status_code == 200
        assert whistled.pk in listed
    else:
        assert page.status_code == 404 and detail.status_code == 404
        assert whistled.pk not in listed
    # and only the summoned unit's staff are offered 报到
    assert ("report_in" in (detail.json().get("allowed_actions") or [])) == (persona == "unit")
