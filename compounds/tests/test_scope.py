"""Who sees and keeps a 小区, for every role: the selector, the pages and the API, inside and outside the scope."""

from __future__ import annotations

from datetime import date

import pytest

from access.scope import Scope
from compounds.models import Compound
from compounds.ratings import rating_assess, rating_submit
from compounds.scope import keeps, may_rate, visible_compounds
from compounds.services import body_create, member_add
from compounds.tests.helpers import ALL_FIVE, DAY, compound, firm

pytestmark = pytest.mark.django_db

# persona -> (sees 幸福小区, keeps it, may rate its firm)
EXPECTED = {
    "admin": (True, True, False),
    "district": (True, False, False),
    "subdistrict": (True, False, False),
    "community": (True, True, False),
    "gridworker": (True, False, False),
    "gridleader": (True, False, False),
    "buildinghead": (True, False, True),  # lives in 幸福1号楼 102
    "resident": (True, False, True),
    "partymember": (True, False, False),  # registered with 幸福社区, lives elsewhere
    "unit": (True, False, False),  # staff of 幸福物业, the firm
    "community2": (False, False, False),
    "gridworker2": (False, False, False),
    "unit2": (False, False, False),
}
SEE_OTHER = {"admin", "district", "community2", "gridworker2"}  # 和平小区 in 和平社区


@pytest.fixture
def place(world, clock_at):
    w = world
    clock_at(DAY)
    c = compound(w)
    firm(w, c)
    committee = body_create(
        user=w.community,
        compound_id=c.pk,
        kind="owners_committee",
        starts_on=date(2024, 6, 1),
        ends_on=date(2029, 5, 31),
    )
    member_add(user=w.community, body_id=committee.pk, person=w.resident_person, post="director")
    other = compound(w, user=w.community2, community=w.c2, code="C2-HP", name="和平小区", buildings=[w.b2a])
    return c, other


def test_every_role_against_the_compound_and_one_outside(world, place):
    w = world
    c, other = place
    for name, (sees, keeper, rater) in EXPECTED.items():
        scope = Scope.of(getattr(w, name))
        visible = set(visible_compounds(scope))
        assert (c in visible) is sees, name
        assert (other in visible) is (name in SEE_OTHER), name
        assert keeps(scope, c) is keeper, name
        assert may_rate(scope, c) is rater, name


def test_pages_for_every_role(world, place, client_for):
    w = world
    c, other = place
    for name, (sees, keeper, rater) in EXPECTED.items():
        client = client_for(name)
        page = client.get(f"/compounds/{c.pk}/")
        assert page.status_code == (200 if sees else 404), name
        if sees:
            text = page.content.decode()
            assert "幸福物业" in text and "红色物业" in text and "张秀英" in text, name
            assert ("登记已有的业委会" in text or "组织业委会选举" in text) is keeper, name
            assert ("评价本小区物业" in text) is rater, name
        assert client.get(f"/compounds/{other.pk}/").status_code == (200 if name in SEE_OTHER else 404), name
        listing = client.get(f"/compounds/community/{w.c1.pk}/")
        assert listing.status_code == (200 if sees else 404), name
    # a keeper's form posted by someone who only reads is refused on the page, not with a 500
    response = client_for("subdistrict").post(
        f"/compounds/{c.pk}/act/", {"do": "update", "name": "改名", "kind": "old"}, follow=True
    )
    assert response.status_code == 200 and "只有幸福社区的社区工作者可以修改小区" in response.content.decode()
    assert Compound.objects.get(pk=c.pk).name == "幸福小区"


def test_api_for_every_role(world, place, api_client_for):
    w = world
    c, other = place
    for name, (sees, keeper, rater) in EXPECTED.items():
        api = api_client_for(name)
        listed = {row["id"] for row in api.get("/api/compounds/").json()["results"]}
        assert (c.pk in listed) is sees, name
        assert api.get(f"/api/compounds/{c.pk}/").status_code == (200 if sees else 404), name
        update = api.post(
            f"/api/compounds/{c.pk}/buildings/", {"buildings": [w.b1a.pk, w.b1b.pk]}, format="json"
        )
        assert update.status_code == (200 if keeper else 403 if sees else 404), name
        rate = api.post(f"/api/compounds/{c.pk}/rate/", ALL_FIVE, format="json")
        assert rate.status_code == (201 if rater else 403 if sees else 404), name


def test_ratings_by_role(world, place):
    w = world
    c, _ = place
    rating_submit(user=w.resident, compound_id=c.pk, scores=ALL_FIVE)
    rating_assess(user=w.community, compound_id=c.pk, scores=ALL_FIVE)
    from linli.errors import PermissionDenied

    for name in ("gridworker", "subdistrict", "unit", "community2", "district"):
        with pytest.raises(PermissionDenied):
            rating_submit(user=getattr(w, name), compound_id=c.pk, scores=ALL_FIVE)
        with pytest.raises(PermissionDenied):
            rating_assess(user=getattr(w, name), compound_id=c.pk, scores=ALL_FIVE)
