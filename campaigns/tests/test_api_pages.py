"""评选 through the API and the pages: who sees a campaign, 400/403/404/409, the steps on the page, a household's
star rating page, the export."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from campaigns import services
from campaigns.models import Campaign, Nomination

T0 = datetime(2026, 11, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def campaign(world, clock_at):
    clock_at(T0)
    return services.campaign_create(
        user=world.community, community=world.c1, kind=Campaign.Kind.FAMILY, title="最美家庭评选", places=2,
        nominations_close=T0 + timedelta(days=7), criteria=[("家庭和睦", 50), ("邻里互助", 50)], panel=[world.community],
    )  # fmt: skip


# Who sees c1's campaign: everyone working in or living in c1; nobody from c2.
SEES = {
    "resident": True, "gridworker": True, "gridleader": True, "buildinghead": True, "community": True,
    "subdistrict": True, "partymember": True, "district": True, "admin": True,
    "unit": False, "community2": False, "gridworker2": False, "unit2": False,
}  # fmt: skip


@pytest.mark.parametrize("persona", sorted(SEES))
def test_scope_matrix_campaigns(world, api_client_for, client_for, campaign, persona):
    assert (api_client_for(persona).get(f"/api/campaigns/{campaign.pk}/").status_code == 200) is SEES[persona]
    assert (client_for(persona).get(f"/campaigns/{campaign.pk}/").status_code == 200) is SEES[persona]


def test_api_nominate_score_and_steps(world, api_client_for, campaign):
    resident = api_client_for("resident")
    made = resident.post(
        f"/api/campaigns/{campaign.pk}/nominate/",
        {"household": world.h1a2.pk, "reason": "热心"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["public_name"].endswith("某某家庭")
    again = resident.post(
        f"/api/campaigns/{campaign.pk}/nominate/",
        {"household": world.h1a2.pk, "reason": "热心"},
        format="json",
    )
    assert again.status_code == 409
    assert (
        resident.post(
            f"/api/campaigns/{campaign.pk}/nominate/", {"reason": "热心"}, format="json"
        ).status_code
        == 400
    )
    assert (
        resident.post(
            f"/api/campaigns/{campaign.pk}/nominate/",
            {"household": world.h2a.pk, "reason": "x"},
            format="json",
        ).status_code
        == 404
    )
    assert (
        api_client_for("unit")
        .post(
            f"/api/campaigns/{campaign.pk}/nominate/",
            {"household": world.h1a.pk, "reason": "x"},
            format="json",
        )
        .status_code
        == 404
    )
    assert api_client_for("gridworker").post(f"/api/campaigns/{campaign.pk}/review/").status_code == 403
    staff = api_client_for("community")
    assert staff.post(f"/api/campaigns/{campaign.pk}/review/").status_code == 200
    assert staff.post(f"/api/campaigns/{campaign.pk}/review/").status_code == 409
    criteria = list(campaign.criteria.values_list("pk", flat=True))
    n = made.json()["id"]
    bad = staff.post(
        f"/api/campaigns/{campaign.pk}/score/",
        {"nomination": n, "points": {str(criteria[0]): 10}},
        format="json",
    )
    assert bad.status_code == 400
    ok = staff.post(
        f"/api/campaigns/{campaign.pk}/score/",
        {"nomination": n, "points": {str(c): 40 for c in criteria}},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["total"] == "80.00"
    assert (
        api_client_for("resident")
        .post(f"/api/campaigns/{campaign.pk}/score/", {"nomination": n, "points": {}}, format="json")
        .status_code
        == 403
    )
    pub = staff.post(f"/api/campaigns/{campaign.pk}/publicize/", {"days": 3}, format="json")
    assert pub.status_code == 200 and pub.json()["status"] == "publicizing"
    assert staff.post(f"/api/campaigns/{campaign.pk}/finish/").status_code == 409  # the 公示 still runs


def test_pages_walk_and_household_stars(world, client_for, clock_at, campaign):
    staff = client_for("community")
    post = staff.post(
        f"/campaigns/{campaign.pk}/nominate/",
        {"building": world.b1a.pk, "number": "101", "reason": "邻里和睦"},
    )
    assert post.status_code == 302 and Nomination.objects.get().household == world.h1a
    missing = staff.post(
        f"/campaigns/{campaign.pk}/nominate/",
        {"building": world.b1a.pk, "number": "999", "reason": "x"},
        follow=True,
    )
    assert "没有找到这个楼栋和房号" in missing.content.decode()
    staff.post(f"/campaigns/{campaign.pk}/review/")
    c = {f"criterion_{k}": "45" for k in campaign.criteria.values_list("pk", flat=True)}
    staff.post(f"/campaigns/{campaign.pk}/score/", {"nomination": Nomination.objects.get().pk, **c})
    staff.post(f"/campaigns/{campaign.pk}/publicize/", {"days": "2"})
    clock_at(T0 + timedelta(days=3))
    staff.post(f"/campaigns/{campaign.pk}/finish/")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FINISHED
    page = client_for("resident").get(f"/campaigns/households/{world.h1a.pk}/")
    assert page.status_code == 200 and "最美家庭" in page.content.decode()
    assert client_for("resident").get(f"/campaigns/households/{world.h2a.pk}/").status_code == 404
    visit_form = client_for("gridworker").get(f"/visits/households/{world.h1a.pk}/visit/").content.decode()
    assert '<span class="tag">最美家庭</span>' in visit_form  # the grid worker sees the honour at the door
    assert staff.get("/campaigns/").status_code == 200
    assert staff.get("/campaigns/export/")["Content-Type"].startswith("application/vnd.openxml")
