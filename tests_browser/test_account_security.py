"""账号安全 in a real browser: the administrator finds the page on 社区事务, sees a locked account and a two-factor
device, unlocks and resets after answering the question, with no policy violation; the lists are tables at a desk and
labelled cards on a phone. Screenshots: test-artifacts/screenshots/account-security-{desk,phone}.png."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests_browser.helpers import DESKTOP, PHONE, answer_confirm, login, shoot
from tests_browser.test_csp import violations, watch
from tests_browser.test_lists import _check_desk, _check_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _trouble() -> None:
    """The community worker set up two-factor sign-in; someone typed the resident's password wrong too often."""
    from django.contrib.auth import get_user_model

    from access import twofactor
    from linli import clock

    staff = get_user_model().objects.get(username="community")
    device = twofactor.twofactor_start(user=staff)
    twofactor.twofactor_confirm(
        user=staff, code=twofactor.code_at(device.secret, twofactor.step_of(clock.now().timestamp()))
    )
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "resident", "password": "not-the-password"})


def test_the_administrator_unlocks_and_resets_on_a_desk_and_on_a_phone(demo, new_context):
    from access.twofactor_models import TwoFactorDevice
    from audit.models import AuditEvent

    _trouble()
    for viewport, kind, check in ((PHONE, "phone", _check_phone), (DESKTOP, "desk", _check_desk)):
        page = new_context(viewport)
        console = watch(page)
        login(page, "admin")
        page.goto("/hub/")
        page.get_by_role("link", name="账号安全").click()
        expect(page.get_by_role("heading", name="账号安全", exact=True)).to_be_visible()
        shoot(page, f"account-security-{kind}.png", full_page=True, artifact=True)
        tables = page.locator("main table.listing")
        expect(tables.nth(0)).to_contain_text("resident")  # locked
        expect(tables.nth(1)).to_contain_text("community")  # two-factor on
        check(page, f"account-security-{kind}")
        assert not violations(page, console)

    # when the administrator unlocks the resident (answering the question)
    asked = answer_confirm(page)
    page.get_by_role("button", name="解锁").click()
    expect(page.get_by_text("已解锁")).to_be_visible()
    assert asked and "resident" in asked[0]
    # and resets the community worker's two-factor sign-in
    asked = answer_confirm(page)
    page.get_by_role("button", name="重置两步验证").click()
    expect(page.get_by_text("已重置两步验证")).to_be_visible()
    assert "community" in asked[0]
    expect(page.get_by_text("还没有人启用两步验证")).to_be_visible()
    assert not TwoFactorDevice.objects.filter(user__username="community").exists()
    assert {"lockout_clear", "twofactor_reset"} <= set(AuditEvent.objects.values_list("action", flat=True))
    assert not violations(page, console)
