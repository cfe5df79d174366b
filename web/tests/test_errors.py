"""Users meet the product's own error pages in Chinese, with DEBUG on (``make run``) as with DEBUG off; Django's
technical pages only when a developer asks for them (``LINLI_TECHNICAL_ERRORS``)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("web.tests.error_urls")

TECHNICAL = ("Traceback", "Using the URLconf", "Page not found", "Server Error", "Forbidden")


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    settings.LINLI_TECHNICAL_ERRORS = False
    return request.param


def get(path: str, client: Client | None = None):
    return (client or Client(raise_request_exception=False)).get(path)


def assert_ours(response, status: int, *texts: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="zh-hans">' in html
    for text in texts:
        assert text in html, text
    for word in TECHNICAL:
        assert word not in html, word
    return html


def test_a_missing_page_is_our_404(db, debug):
    # given any visitor; when they open an address that does not exist
    response = get("/no-such-page/")
    # then they see our page in Chinese with a way home, not Django's list of URL patterns
    html = assert_ours(response, 404, "找不到这个页面", "回到首页")
    assert "主菜单" in html  # the product's own frame (base.html)


def test_an_object_out_of_scope_is_our_404(world, client_for, debug):
    # given a grid worker of 幸福一网格; when they open 和平社区's page (not in their scope)
    response = client_for("gridworker").get(f"/areas/{world.c2.pk}/")
    # then our 404, with their own menu
    assert_ours(response, 404, "找不到这个页面", "消息")


def test_a_refusal_is_our_403_with_its_reason(db, debug):
    html = assert_ours(get("/test-refuse/"), 403, "没有权限", "只有本社区的社区工作者可以发布公示")
    assert "请先" in html and "/login/" in html  # not logged in: the way to log in


def test_a_refusal_in_english_is_said_in_chinese(db, debug):
    assert_ours(get("/test-refuse-english/"), 403, "您没有权限打开这个页面")


def test_a_crash_is_our_500_that_needs_no_database(db, debug):
    # given a view that fails; when it is opened
    response = get("/test-crash/")
    # then our own 500 page, standing alone (no menu, nothing from the database)
    html = assert_ours(response, 500, "出错了，请稍后再试", "回到首页")
    assert "主菜单" not in html and "boom" not in html


def test_a_crash_still_reaches_the_log(db, debug, caplog):
    with caplog.at_level("ERROR", logger="django.request"):
        get("/test-crash/")
    assert any("boom" in str(r.exc_info) or "test-crash" in r.getMessage() for r in caplog.records)


def test_the_500_template_renders_without_request_or_context():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "出错了" in html


def test_an_expired_form_is_our_csrf_page(world, debug):
    # given the login form posted without its token (a page left open for a day, cookies off)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "resident", "password": world.password})
    # then a page in Chinese saying what to do, not Django's English "CSRF verification failed"
    html = assert_ours(response, 403, "页面已过期", "刷新")
    assert "CSRF verification failed" not in html and "Forbidden" not in html


def test_api_paths_still_answer_in_json(db, debug):
    response = get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_developer_may_ask_for_djangos_technical_pages(db, settings):
    # given DEBUG on and LINLI_TECHNICAL_ERRORS set
    settings.DEBUG = True
    settings.LINLI_TECHNICAL_ERRORS = True
    # then the 404 and the crash show Django's technical pages
    assert "Using the URLconf" in get("/no-such-page/").content.decode()
    assert "RuntimeError" in get("/test-crash/").content.decode()


def test_the_technical_setting_is_ignored_with_debug_off(db, settings):
    settings.DEBUG = False
    settings.LINLI_TECHNICAL_ERRORS = True
    assert_ours(get("/no-such-page/"), 404, "找不到这个页面")
