"""走访 through the API and the pages: 201 then 200 for the same key, 400/403/404, the scope matrix of who sees
which visit, and the phone pages."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from appeals.models import Appeal
from visits import services
from visits.models import Round, Visit

NOW = datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def visit(world, clock_at):
    clock_at(NOW)
    v, _ = services.visit_log(
        user=world.gridworker, household=world.h1a, key=uuid.uuid4(), seen=[world.resident_person]
    )
    return v


def test_api_logs_a_visit_once_per_key(world, api_client_for, clock_at):
    clock_at(NOW)
    api = api_client_for("gridworker")
    body = {
        "household": world.h1a.pk,
        "key": str(uuid.uuid4()),
        "seen": [world.resident_person.pk],
        "finding": "appeal",
    }
    first = api.post("/api/visits/", body, format="json")
    again = api.post("/api/visits/", body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and Visit.objects.count() == 1
    assert api.post("/api/visits/", {**body, "key": "x"}, format="json").status_code == 400
    bad = api.post(
        "/api/visits/", {**body, "key": str(uuid.uuid4()), "seen": [world.neighbour_g1b.pk]}, format="json"
    )
    assert bad.status_code == 400 and "seen" in bad.json()
    assert api.post("/api/visits/", {**body, "household": world.h1b.pk}, format="json").status_code == 404
    staff = api_client_for("district")  # reads the district, keeps no households
    assert staff.post("/api/visits/", {**body, "key": str(uuid.uuid4())}, format="json").status_code == 404


def test_api_appeal_from_a_visit_once_per_key(world, api_client_for, visit):
    api = api_client_for("gridworker")
    body = {"key": str(uuid.uuid4()), "title": "楼道灯坏了", "body": "1 号楼三楼楼道灯坏了"}
    first = api.post(f"/api/visits/{visit.pk}/appeal/", body, format="json")
    again = api.post(f"/api/visits/{visit.pk}/appeal/", body, format="json")
    assert first.status_code == again.status_code == 201
    assert first.json()["appeal"] == again.json()["appeal"] and Appeal.objects.count() == 1
    assert (
        api.post(f"/api/visits/{visit.pk}/appeal/", {**body, "title": ""}, format="json").status_code == 400
    )
    leader = api_client_for("district")
    assert (
        leader.post(
            f"/api/visits/{visit.pk}/appeal/", {**body, "key": str(uuid.uuid4())}, format="json"
        ).status_code
        == 403
    )
    assert (
        api_client_for("gridworker2").post(f"/api/visits/{visit.pk}/appeal/", body, format="json").status_code
        == 404
    )


# Who sees the grid worker's visit of h1a (g1a, c1): area staff above it; nobody else.
SEES = {
    "gridworker": True, "gridleader": True, "community": True, "subdistrict": True, "district": True, "admin": True,
    "resident": False, "buildinghead": False, "unit": False, "partymember": False,
    "community2": False, "gridworker2": False, "unit2": False,
}  # fmt: skip


@pytest.mark.parametrize("persona", sorted(SEES))
def test_scope_matrix_visits(world, api_client_for, client_for, visit, persona):
    api = api_client_for(persona)
    assert (api.get(f"/api/visits/{visit.pk}/").status_code == 200) is SEES[persona]
    assert (client_for(persona).get(f"/visits/{visit.pk}/").status_code == 200) is SEES[persona]
    ids = [v["id"] for v in api.get("/api/visits/").json()["results"]] if SEES[persona] else []
    assert (visit.pk in ids) is SEES[persona]


def test_api_rounds_create_and_coverage(world, api_client_for, clock_at):
    clock_at(NOW)
    body = {
        "area": world.c1.pk,
        "kind": "half_month",
        "title": "12 月上半月",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-15",
    }
    own_grid = {**body, "area": world.g1a.pk}
    assert (
        api_client_for("gridworker").post("/api/visits/rounds/", own_grid, format="json").status_code == 403
    )
    assert api_client_for("community2").post("/api/visits/rounds/", body, format="json").status_code == 404
    made = api_client_for("community").post("/api/visits/rounds/", body, format="json")
    assert made.status_code == 201
    bad = api_client_for("community").post(
        "/api/visits/rounds/", {**body, "ends_on": "2026-11-01"}, format="json"
    )
    assert bad.status_code == 400
    cov = api_client_for("gridworker").get(f"/api/visits/rounds/{made.json()['id']}/coverage/")
    assert cov.status_code == 200
    assert {r["grid_name"]: (r["households"], r["visited"]) for r in cov.json()} == {
        "幸福一网格": (2, 0),
        "幸福二网格": (1, 0),
    }
    assert api_client_for("gridworker2").get(f"/api/visits/rounds/{made.json()['id']}/").status_code == 404


def test_phone_pages_log_a_visit_and_raise_an_appeal(world, client_for, clock_at):
    clock_at(NOW)
    services.round_open(user=world.community, area=world.c1, kind=Round.Kind.HALF_MONTH, title="12 月上半月",
                        starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 15))  # fmt: skip
    c = client_for("gridworker")
    home = c.get("/visits/")
    assert home.status_code == 200 and f'data-household="{world.h1a.pk}"' in home.content.decode()
    assert f'data-household="{world.h1b.pk}"' not in home.content.decode()  # another grid's
    form = c.get(f"/visits/households/{world.h1a.pk}/visit/")
    key = form.context["key"]
    post = {"key": key, "seen": [str(world.resident_person.pk)], "finding": "appeal", "note": "楼道灯坏了"}
    done = c.post(f"/visits/households/{world.h1a.pk}/visit/", post)
    again = c.post(f"/visits/households/{world.h1a.pk}/visit/", post)
    assert done.status_code == again.status_code == 302 and done["Location"] == again["Location"]
    visit = Visit.objects.get()
    page = c.get(done["Location"])
    assert (
        "转为诉求" in page.content.decode()
        and f"/disputes/new/?household={world.h1a.pk}" in page.content.decode()
    )
    appeal_post = {"key": page.context["appeal_key"], "title": "楼道灯坏了", "body": "楼道灯坏了"}
    c.post(f"/visits/{visit.pk}/appeal/", appeal_post)
    c.post(f"/visits/{visit.pk}/appeal/", appeal_post)
    assert Appeal.objects.count() == 1
    refused = c.post(
        f"/visits/households/{world.h1a.pk}/visit/", {"key": str(uuid.uuid4()), "finding": "normal"}
    )
    assert refused.status_code == 400 and "无人在家" in refused.content.decode()
    assert client_for("resident").get("/visits/").status_code == 404
    assert c.get("/visits/care/").status_code == 200
    assert c.get(f"/visits/rounds/{Round.objects.get().pk}/").status_code == 200
    export = client_for("community").get("/visits/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_round_page_assigns_a_grids_worker(world, client_for, clock_at):
    clock_at(NOW)
    rnd = services.round_open(user=world.community, area=world.c1, kind=Round.Kind.HALF_MONTH, title="12 月上半月",
                              starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 15))  # fmt: skip
    g1b = rnd.grids.get(grid=world.g1b)
    assert g1b.worker is None
    client_for("gridworker").post(f"/visits/rounds/grids/{g1b.pk}/assign/", {"worker": world.gridleader.pk})
    g1b.refresh_from_db()
    assert g1b.worker is None  # a grid worker does not assign
    client_for("community").post(f"/visits/rounds/grids/{g1b.pk}/assign/", {"worker": world.gridleader.pk})
    g1b.refresh_from_db()
    assert g1b.worker == world.gridleader
