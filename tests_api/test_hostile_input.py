"""Input that once gave a 500 (an independent probe found each): a 400 with a message now, and nothing changed."""

from __future__ import annotations

import pytest

from appeals.models import Appeal
from linli.inputs import positive_id

pytestmark = pytest.mark.django_db
TOO_BIG = "9223372036854775808"  # 2**63: no database integer holds it


@pytest.mark.parametrize(
    "url, params",
    [
        ("/appeals/", {"category": TOO_BIG}),
        ("/appeals/", {"grid": "9" * 40, "unit": "²"}),
        ("/evaluation/export/appeals.xlsx", {"category": TOO_BIG}),
    ],
)
def test_an_id_too_large_or_not_ascii_is_ignored_on_pages(world, client_for, url, params):
    assert client_for("community").get(url, params).status_code == 200


def test_an_id_too_large_is_a_field_error_in_the_api(world, api_client_for):
    response = api_client_for("community").get("/api/appeals/", {"category": TOO_BIG})
    assert response.status_code == 400 and "category" in response.json()


@pytest.mark.parametrize("url", ["/appeals/", "/api/appeals/", "/evaluation/export/appeals.xlsx", "/people/"])
def test_a_nul_in_the_query_is_a_400(world, client_for, url):
    response = client_for("community").get(url, {"q": "\x00"})
    assert response.status_code == 400


def test_a_nul_in_a_form_or_a_json_body_is_a_400_and_nothing_is_saved(world, client_for, api_client_for):
    page = client_for("resident").post("/appeals/new/", {"title": "路灯\x00", "body": "不亮"})
    assert page.status_code == 400
    api = api_client_for("resident").post(
        "/api/appeals/", {"title": "路灯\x00", "body": "不亮"}, format="json"
    )
    assert api.status_code == 400 and "NUL" in api.json()["detail"]
    assert not Appeal.objects.exists()


def test_deeply_nested_json_is_a_400(world, api_client_for):
    body = "[" * 50_000 + "]" * 50_000
    response = api_client_for("resident").generic(
        "POST", "/api/appeals/", body, content_type="application/json"
    )
    assert response.status_code == 400 and "嵌套" in response.json()["detail"]
    shallow_but_deep = '{"title": ' + "[" * 40 + "]" * 40 + "}"
    response = api_client_for("resident").generic(
        "POST", "/api/appeals/", shallow_but_deep, content_type="application/json"
    )
    assert response.status_code == 400


def test_positive_id_takes_only_what_a_database_id_can_be():
    assert positive_id("42") == 42 and positive_id(str(2**63 - 1)) == 2**63 - 1
    for bad in (None, "", "0", "-1", TOO_BIG, "1e3", "²", "١٢", " 7"):
        assert positive_id(bad) is None, bad


def test_intake_is_throttled_per_user(world, api_client_for):
    from django.conf import settings

    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["intake"]
    allowed = int(rate.split("/")[0])
    client = api_client_for("resident")
    codes = [
        client.post("/api/appeals/", {"title": f"路灯 {i}", "body": "不亮"}).status_code
        for i in range(allowed + 1)
    ]
    assert codes[:allowed] == [201] * allowed and codes[allowed] == 429
    assert Appeal.objects.count() == allowed
    assert (
        api_client_for("community").get("/api/appeals/").status_code == 200
    )  # others, and reading, unaffected
