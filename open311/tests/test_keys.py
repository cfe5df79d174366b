"""The administrator's key page: issue (the key shown once), list, revoke; nobody else may."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from access.scope import Scope
from audit.models import AuditEvent
from open311.keys import digest_of, key_from
from open311.models import ApiKey
from open311.sections import keys_card


def test_the_administrator_issues_a_key_seen_once_and_stored_as_a_digest(o311, world, client_for):
    page = client_for("admin")
    response = page.post(
        "/open311/keys/",
        {"client": "随手拍", "owner": "区融媒体中心", "areas": [world.s1.pk], "rate_per_minute": 10},
    )
    assert response.status_code == 201
    text = re.search(r'id="issued-key">([^<]+)<', response.content.decode()).group(1)
    key = ApiKey.objects.get(client="随手拍")
    assert key.digest == digest_of(text) and text not in str(ApiKey.objects.values_list())
    assert list(key.areas.all()) == [world.s1] and key.rate_per_minute == 10
    assert key_from(text) == key and not key.service_user.has_usable_password()
    assert AuditEvent.objects.filter(action="open311_key_issue").count() == 2  # the fixture's and this one
    listing = page.get("/open311/keys/").content.decode()
    assert "随手拍" in listing and text not in listing and f"{key.prefix}…" in listing


def test_a_bad_form_says_why(o311, client_for):
    response = client_for("admin").post("/open311/keys/", {"client": "", "owner": "x", "rate_per_minute": 0})
    assert response.status_code == 400
    assert response.content.decode().count("该字段是必填项") == 2  # the client's name and the areas
    assert ApiKey.objects.count() == 1


def test_revoking_stops_the_key_and_its_account(o311, world, client_for):
    response = client_for("admin").post(f"/open311/keys/{o311.key.pk}/revoke/", follow=True)
    assert "已撤销 城市12345 的密钥" in response.content.decode()
    o311.key.refresh_from_db()
    assert o311.key.revoked_at is not None and o311.key.revoked_by == world.admin
    assert not o311.key.service_user.is_active
    assert o311.post(Client(), service_code="HJBH-ZYRM", lat=1, long=1).status_code == 403


@pytest.mark.parametrize("name", ["community", "subdistrict", "district", "gridworker", "resident", "unit"])
def test_nobody_else_sees_or_uses_the_page(o311, client_for, name):
    page = client_for(name)
    assert page.get("/open311/keys/").status_code == 403
    assert page.post("/open311/keys/", {"client": "x", "owner": "y", "areas": []}).status_code == 403
    assert page.post(f"/open311/keys/{o311.key.pk}/revoke/").status_code == 403
    assert ApiKey.objects.get().revoked_at is None


def test_the_hub_card_is_the_administrators(o311, world, client_for):
    assert keys_card(None, Scope.of(world.community)) is None
    card = keys_card(None, Scope.of(world.admin))
    assert card is not None and card.url == "/open311/keys/" and "在用 1 个" in card.description
    assert "Open311 接口密钥" in client_for("admin").get("/hub/").content.decode()
    assert "Open311 接口密钥" not in client_for("community").get("/hub/").content.decode()


def test_the_service_account_sees_nothing_elsewhere(o311):
    scope = Scope.of(o311.key.service_user)
    assert (
        not scope.is_admin
        and not scope.areas().exists()
        and not scope.persons().exclude(user=o311.key.service_user).exists()
    )
