"""Token login, /api/me/, and the OpenAPI schema and docs served without a CDN."""

from __future__ import annotations

from rest_framework.test import APIClient


def test_token_then_me_shows_name_and_scoped_roles(world):
    # given the community worker of 幸福社区 with a password
    client = APIClient()

    # when they trade username and password for a token and call /api/me/ with it
    response = client.post("/api/auth/token/", {"username": "community", "password": world.password})
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token}")

    # then they see who they are and where their role holds
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "community"
    assert body["name"] == "吴书记"
    assert body["person_id"] == world.community_person.pk
    assert body["roles"] == [
        {
            "role": "community_staff",
            "role_label": "社区工作者",
            "scope_type": "area",
            "scope_id": world.c1.pk,
            "scope_code": "C1",
            "scope_name": "幸福社区",
            "scope_kind": "community",
        }
    ]


def test_each_login_issues_its_own_token_and_both_work(world):
    client = APIClient()
    credentials = {"username": "unit", "password": world.password}
    first = client.post("/api/auth/token/", credentials).json()["token"]
    second = client.post("/api/auth/token/", credentials).json()["token"]
    assert first != second
    for key in (first, second):
        assert client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_me_describes_unit_building_and_global_roles(world, api_client_for):
    unit = api_client_for("unit").get("/api/me/").json()["roles"]
    head = api_client_for("buildinghead").get("/api/me/").json()["roles"]
    admin = api_client_for("admin").get("/api/me/").json()["roles"]
    assert [(r["role"], r["scope_type"], r["scope_code"]) for r in unit] == [("unit_staff", "unit", "U-PM1")]
    assert [(r["role"], r["scope_type"], r["scope_code"]) for r in head] == [
        ("building_head", "building", "B1a")
    ]
    assert [(r["role"], r["scope_type"], r["scope_name"]) for r in admin] == [("admin", "global", "全区")]


def test_bad_password_is_refused_with_a_message(world):
    response = APIClient().post("/api/auth/token/", {"username": "community", "password": "wrong"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["用户名或密码不正确"]}


def test_inactive_user_gets_no_token(world):
    world.community.is_active = False
    world.community.save(update_fields=["is_active"])
    response = APIClient().post("/api/auth/token/", {"username": "community", "password": world.password})
    assert response.status_code == 400
    assert "token" not in response.json()


def test_missing_fields_are_named(db):
    response = APIClient().post("/api/auth/token/", {"username": "community"})
    assert response.status_code == 400
    assert set(response.json()) == {"password"}

    response = APIClient().post("/api/auth/token/", {})
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_anonymous_me_is_refused(db):
    response = APIClient().get("/api/me/")
    assert response.status_code in (401, 403)
    assert "username" not in response.json()


def test_a_made_up_token_is_refused(db):
    response = APIClient().get(
        "/api/me/", HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567"
    )
    assert response.status_code == 401


def test_schema_is_openapi_3_and_documents_me_and_token(db):
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/me/" in schema["paths"]
    assert "post" in schema["paths"]["/api/auth/token/"]
    assert "/api/areas/{id}/" in schema["paths"]


def test_docs_use_the_local_swagger_ui_not_a_cdn(db):
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
    # the page's own script is a separate file (no inline script under the CSP), and it reads our schema
    assert '<script src="/api/docs/?script="></script>' in html
    script = APIClient().get("/api/docs/?script=").content.decode()
    assert "/api/schema/" in script
