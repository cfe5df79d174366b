"""The Content-Security-Policy holds in a real browser: every main page, as several roles, at a desk and on a phone,
runs with no violation (no inline script or handler, no inline style, no eval), and what moved out of the templates
into static/forms.js still works (the language switch, the back button, the tree's indents).

A violation is caught twice: chromium's console message ("Refused to … Content Security Policy") and the page's own
``securitypolicyviolation`` event, recorded by a script Playwright adds (outside the page's policy).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests_browser.helpers import DESKTOP, PHONE, login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""

# login -> (viewport, pages beyond the main menu's)
WALKS = {
    "resident": (PHONE, ["/community/", "/access/privacy/", "/access/my-data/"]),
    "gridworker": (PHONE, ["/access/twofactor/setup/"]),
    "community": (
        DESKTOP,
        ["/areas/", "/people/", "/evaluation/rankings/", "/access/twofactor/", "/access/erasure/"],
    ),
    "unit": (PHONE, []),
    "district": (DESKTOP, []),
    "admin": (DESKTOP, ["/admin/", "/api/docs/"]),
}
# pages of the security work the README shows (on a phone)
SCREENSHOTS = {
    "/access/twofactor/setup/": "twofactor-setup-phone.png",
    "/access/my-data/": "my-data-phone.png",
}


def watch(page: Page) -> list[str]:
    seen: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return seen


def violations(page: Page, console: list[str]) -> list[str]:
    return console + page.evaluate("window.__csp || []")


def menu_links(page: Page) -> list[str]:
    hrefs = page.locator("nav.nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [h for h in hrefs if h and h.startswith("/")]


@pytest.fixture
def docs_urls(settings):
    """/api/docs/ and /api/schema/ as access.api_docs serves them (the split Swagger view), and the access pages."""
    settings.ROOT_URLCONF = "access.tests.docs_urls"


@pytest.mark.parametrize("username", list(WALKS))
def test_main_pages_run_without_a_policy_violation(demo, new_context, docs_urls, username):
    viewport, extra = WALKS[username]
    page = new_context(viewport)
    console = watch(page)
    login(page, username)
    visited = []
    for path in dict.fromkeys(menu_links(page) + extra):
        response = page.goto(path)
        assert response is not None and response.status < 500, path
        assert response.headers.get("content-security-policy"), f"{path} has no policy"
        page.wait_for_load_state("networkidle")
        if page.locator("#grid-map").count():  # ECharts: hover the map so its tooltip is drawn
            box = page.locator("#grid-map").bounding_box()
            if box:
                page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                page.wait_for_timeout(300)
        if path == "/api/docs/":  # Swagger UI draws the schema, and an operation opens
            expect(page.locator(".swagger-ui .info")).to_be_visible()
            page.locator(".opblock-summary").first.click()
            expect(page.locator(".opblock-body").first).to_be_visible()
        if path in SCREENSHOTS:
            shoot(page, SCREENSHOTS[path])
        found = violations(page, console)
        assert not found, f"{username} on {path}: {found}"
        visited.append(path)
    assert len(visited) >= 3


def test_behaviours_moved_out_of_the_templates_still_work(demo, new_context):
    page = new_context(DESKTOP)
    console = watch(page)
    login(page, "community")
    # the area tree: each level indented by its depth, set by forms.js from data-indent
    page.goto("/areas/")
    cells = page.locator("td[data-indent]")
    depths = cells.evaluate_all("cs => cs.map(c => [c.dataset.indent, getComputedStyle(c).paddingLeft])")
    assert len({d for d, _ in depths}) > 1
    for depth, padding in depths:
        assert padding == f"{float(padding[:-2]):g}px" and float(padding[:-2]) >= int(depth) * 10, depths
    # the language switch sends its form when the choice changes
    with page.expect_navigation():
        page.select_option("header select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    with page.expect_navigation():
        page.select_option("header select[name=language]", "zh-hans")
    # the error page's 返回上一页 goes back
    page.goto("/areas/")
    page.goto("/no-such-page/")
    with page.expect_navigation():
        page.get_by_role("button", name="返回上一页").click()
    assert page.url.endswith("/areas/")
    assert not violations(page, console)
    # and the watcher is awake: an inline handler slipped into the page is refused and reported
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<img src=\"/static/linli.svg?x\" onload=\"window.ran=1\">')"
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.ran") is None
    assert any("script-src" in v for v in violations(page, console))
