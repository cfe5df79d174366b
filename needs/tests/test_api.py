"""The needs API: read the needs in scope, the offers an open need may go to, and manual assignment with its
refusals (400 / 403 / 404 / 409); and two staff assigning one need at once on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection

from appeals.models import Appeal
from linli.testing import api_client, build_world, race
from needs.models import Need
from needs.tests.fixtures import need_like_the_demo, offers_like_the_demo

NOISE = "邻里噪音纠纷需要法律意见"


@pytest.fixture
def setup(world):
    demo_like = offers_like_the_demo(world)
    need = need_like_the_demo(world, demo_like.cats, NOISE)
    return demo_like, need


@pytest.mark.django_db
def test_assign_through_the_api(world, setup):
    demo_like, need = setup
    staff = api_client(world.community)
    # the need is listed, with the service it needs
    listed = staff.get("/api/needs/", {"status": "open"}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [(r["id"], r["service_type"]) for r in rows] == [(need.pk, "legal")]
    # the offers it may go to: only the lawyer (the service fits), outside his radius
    options = staff.get(f"/api/needs/{need.pk}/offers/").json()
    assert [(o["title"], o["within_reach"], o["remaining"]) for o in options] == [("法律咨询", False, 2)]
    # When staff assign it
    response = staff.post(f"/api/needs/{need.pk}/assign/", {"offer": options[0]["offer"]}, format="json")
    # Then 200 with the service order, dispatched
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["need"]["status"] == "ordered" and body["order_status"] == "dispatched"
    assert Appeal.objects.get(pk=body["order"]).provider == demo_like.members["法律咨询"]
    # and again: 409, it is no longer open
    again = staff.post(f"/api/needs/{need.pk}/assign/", {"offer": options[0]["offer"]}, format="json")
    assert again.status_code == 409 and "不能再派单" in again.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "body", "status", "field"),
    [
        ("community", {"offer": "用电安全检查"}, 400, "offer"),  # another service type
        ("community", {"offer": 999999}, 400, "offer"),  # no such offer
        ("community", {}, 400, "offer"),  # no offer given
        ("community", {"offer": "not a number"}, 400, "offer"),
        ("gridworker", {"offer": "法律咨询"}, 403, "detail"),  # sees the need, may not dispatch
        ("unit", {"offer": "法律咨询"}, 404, "detail"),  # the unit does not see the needs list
        ("community2", {"offer": "法律咨询"}, 404, "detail"),  # another community's need
    ],
)
def test_assign_refusals(world, setup, who, body, status, field):
    demo_like, need = setup
    if isinstance(body.get("offer"), str) and body["offer"] in demo_like.offers:
        body = {"offer": demo_like.offers[body["offer"]].pk}
    response = api_client(getattr(world, who)).post(f"/api/needs/{need.pk}/assign/", body, format="json")
    assert response.status_code == status, response.content
    assert field in response.json()
    assert Need.objects.get(pk=need.pk).status == Need.Status.OPEN
    assert not Appeal.objects.filter(need=need).exists()


@pytest.mark.django_db
def test_offers_of_a_need_are_for_staff(world, setup):
    _, need = setup
    assert api_client(world.gridworker).get(f"/api/needs/{need.pk}/offers/").status_code == 403
    assert api_client(world.community2).get(f"/api/needs/{need.pk}/offers/").status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real connections"
)
@pytest.mark.parametrize("round_", range(3))
def test_two_staff_assign_one_need_at_once(settings, round_):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    w = build_world()
    demo_like = offers_like_the_demo(w)
    need = need_like_the_demo(w, demo_like.cats, NOISE)
    lawyer = demo_like.offers["法律咨询"].pk
    url = f"/api/needs/{need.pk}/assign/"
    # When the community worker and the subdistrict worker assign the same need at the same moment
    codes = race(
        [
            lambda: api_client(w.community).post(url, {"offer": lawyer}, format="json").status_code,
            lambda: api_client(w.subdistrict).post(url, {"offer": lawyer}, format="json").status_code,
        ]
    )
    # Then one wins, the other hears 409, and there is one service order
    assert sorted(codes) == [200, 409]
    assert Appeal.objects.filter(need=need).count() == 1
    assert Need.objects.get(pk=need.pk).status == Need.Status.ORDERED
