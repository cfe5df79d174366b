"""/community/ lists every community by subdistrict, each linking to its public page (公示, 三率与排名); the landing
page and the resident's home lead there, the resident's own community first."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def test_anybody_finds_every_community_by_subdistrict(world):
    # given a visitor who is not logged in; when they open /community/
    response = Client().get("/community/")
    html = response.content.decode()
    # then each subdistrict heads its communities, each linked to its public page
    assert response.status_code == 200
    groups = {s.name: [c.name for c in cs] for s, cs in response.context["groups"]}
    assert groups == {"东湖街道": ["幸福社区"], "西山街道": ["和平社区"]}
    for community in (world.c1, world.c2):
        assert f'href="{reverse("community-page", args=[community.code])}"' in html
    assert "我的社区" not in html


def test_each_link_opens_the_public_page(world):
    client = Client()
    for community in (world.c1, world.c2):
        page = client.get(reverse("community-page", args=[community.code]))
        assert page.status_code == 200 and community.name in page.content.decode()


def test_the_landing_page_links_the_list(db):
    html = Client().get("/").content.decode()
    assert f'href="{reverse("community-index")}"' in html


def test_a_resident_finds_their_own_community_first(world, client_for):
    client = client_for("resident")
    own = f'href="{reverse("community-page", args=[world.c1.code])}"'
    # on their home page
    home = client.get("/").content.decode()
    assert own in home and f'href="{reverse("community-index")}"' in home
    # and on the list, above the subdistricts
    html = client.get("/community/").content.decode()
    assert html.index("我的社区") < html.index(own) < html.index("东湖街道")


def test_staff_home_links_the_public_pages_of_their_communities(world, client_for):
    html = client_for("gridworker").get("/").content.decode()
    assert f'href="{reverse("community-page", args=[world.c1.code])}"' in html
    assert f'href="{reverse("community-page", args=[world.c2.code])}"' not in html
