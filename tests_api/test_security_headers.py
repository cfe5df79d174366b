"""Every response carries the security headers (linli/security_headers.py), and the API's documentation is for staff
only when the settings say so (access/api_docs.py)."""

from __future__ import annotations

import pytest

from linli.security_headers import PERMISSIONS_POLICY

PAGES = ["/", "/login/", "/community/", "/api/me/", "/no-such-page/", "/healthz"]


def directives(header: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_response_has_a_policy_without_inline_script(client, path):
    # when anybody asks for a page, the API, a missing page or the health check
    response = client.get(path)
    # then the policy forbids inline and foreign scripts, framing and plugins
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    # and the other headers
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "geolocation=(self)" in response["Permissions-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_deployment_may_set_its_own_policy(client, settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "https:"]}
    }
    policy = directives(client.get("/login/")["Content-Security-Policy"])
    assert policy == {"default-src": ["'self'"], "img-src": ["'self'", "https:"]}


@pytest.mark.django_db
def test_pages_carry_no_inline_script_or_handler(client, world):
    # given the templates rendered for a visitor and for staff
    staff = client
    staff.force_login(world.community)
    for path in ["/", "/login/", "/areas/", "/hub/", f"/people/{world.resident_person.pk}/"]:
        html = staff.get(path).content.decode()
        # then no script is inline and no element carries an event handler or a style attribute
        assert "<script>" not in html and "<script " not in html.replace('<script src="', "")
        assert " onchange=" not in html and " onclick=" not in html
        assert " style=" not in html


@pytest.mark.urls("access.tests.docs_urls")
class TestApiDocs:
    @pytest.fixture
    def production(self, settings):
        settings.LINLI_API_DOCS_PUBLIC = False

    @pytest.mark.django_db
    def test_open_to_anybody_when_public(self, client, settings):
        settings.LINLI_API_DOCS_PUBLIC = True
        assert client.get("/api/schema/").status_code == 200
        assert client.get("/api/docs/").status_code == 200

    @pytest.mark.django_db
    def test_in_production_a_visitor_and_a_resident_are_refused(self, production, client, world):
        assert client.get("/api/schema/").status_code == 401
        assert client.get("/api/docs/").status_code == 401
        client.force_login(world.resident)
        assert client.get("/api/schema/").status_code == 403
        assert client.get("/api/docs/?script").status_code == 403

    @pytest.mark.django_db
    def test_in_production_staff_read_them(self, production, client, world):
        client.force_login(world.unit)
        assert client.get("/api/schema/").status_code == 200
        page = client.get("/api/docs/")
        assert page.status_code == 200
        html = page.content.decode()
        # the page's script is a file of its own (split view), its styles a static file: nothing inline
        assert "<style>" not in html
        assert "/api/docs/?script=" in html
        script = client.get("/api/docs/?script=")
        assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
        assert "SwaggerUIBundle" in script.content.decode()
        # under the same policy as every page
        assert "'unsafe-inline'" not in page["Content-Security-Policy"]

    def test_the_default_follows_debug(self, settings):
        from access.api_docs import docs_public

        if hasattr(settings, "LINLI_API_DOCS_PUBLIC"):
            del settings.LINLI_API_DOCS_PUBLIC
        settings.DEBUG = False
        assert docs_public() is False
        settings.DEBUG = True
        assert docs_public() is True
