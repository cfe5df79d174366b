"""The administrator issues an Open311 key on a phone and on a desktop, copies it from the page (shown once),
and revokes it after a confirmation; screenshots open311-keys-<width>.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from open311.keys import key_from
from open311.models import ApiKey
from tests_browser.helpers import DESKTOP, PHONE, answer_confirm, login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport, width", [(DESKTOP, 1280), (PHONE, 390)])
def test_the_administrator_issues_and_revokes_a_key(o311, world, new_context, viewport, width):
    page = new_context(viewport)
    login(page, "admin", world.password)
    page.goto("/hub/")
    page.get_by_role("link", name="Open311 接口密钥").click()
    expect(page.get_by_role("heading", name="Open311 接口密钥", exact=True)).to_be_visible()

    page.get_by_label("客户端名称").fill("区 12345 热线")
    page.get_by_label("负责单位或联系人").fill("区政务服务中心")
    page.get_by_label("可提交的区域").select_option(label="东湖街道（街道）")
    page.get_by_role("button", name="签发密钥").click()

    shown = page.locator("#issued-key")
    expect(shown).to_be_visible()
    text = shown.inner_text().strip()
    assert key_from(text).client == "区 12345 热线"
    row = page.locator("tr", has_text="区 12345 热线")
    expect(row).to_contain_text("东湖街道")
    wide = page.evaluate(
        "w => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > w + 1)"
        ".map(e => e.tagName + '.' + e.className)",
        width,
    )
    assert not wide, wide  # no sideways scrolling
    shoot(page, f"open311-keys-{width}.png", full_page=True)

    page.goto("/open311/keys/")
    expect(page.locator("#issued-key")).to_have_count(0)  # shown once
    asked = answer_confirm(page)
    page.locator("tr", has_text="区 12345 热线").get_by_role("button", name="撤销").click()
    expect(page.locator(".messages")).to_contain_text("已撤销 区 12345 热线 的密钥")
    assert "不能恢复" in asked[0]
    assert ApiKey.objects.get(client="区 12345 热线").revoked_at is not None
