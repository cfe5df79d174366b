"""吹哨报到 in the browser: community staff whistle two units to one appeal; each unit's worker opens it from the
message in their inbox, reports in, records their part and finishes it; the community then sees both parts done.

The city management bureau's worker (``unit``) works at a desk; the property firm's worker (``property``) on a phone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from appeals.views import DONE_MESSAGES
from tests_browser.helpers import DESKTOP, PHONE, answer_confirm, login, logout, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "松园小区东门垃圾站污水外溢"
TASK = "城管清运、物业冲洗、共同查明污水来源"


def _whistle_units() -> tuple[str, str]:
    from access.models import RoleAssignment

    def unit_of(username: str) -> str:
        return RoleAssignment.objects.get(user__username=username, unit__isnull=False).unit.name

    return unit_of("unit"), unit_of("property")


def _submitted_appeal() -> int:
    from django.contrib.auth import get_user_model

    from appeals import services

    resident = get_user_model().objects.get(username="resident")
    appeal = services.appeal_submit(
        user=resident,
        title=TITLE,
        body="东门垃圾站的污水流到人行道上，气味很大，孩子上学要从这里走。",
        channel="app",
    )
    return appeal.pk


def _open(page: Page, action: str):
    details = page.locator(f"details#act-{action}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def _act(page: Page, action: str, text: str | None = None) -> None:
    details = _open(page, action)
    label = details.locator("summary").inner_text().strip()
    if text is not None:
        details.locator("[name=text]").fill(text)
    with page.expect_navigation():
        details.locator(f'button[data-action="{action}"]').click()
    expect(page.locator(".messages")).to_contain_text(DONE_MESSAGES.get(action, f"已{label}"))


def _parts(page: Page):
    return page.locator("table.whistle-parts tbody tr")


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def test_two_units_report_in_from_their_messages_and_finish_their_parts(demo, new_context):
    bureau, firm = _whistle_units()
    pk = _submitted_appeal()

    # The community worker whistles both units, after the page asks first.
    desk = new_context(DESKTOP)
    login(desk, "community")
    desk.goto(f"/appeals/{pk}/")
    whistle = _open(desk, "whistle")
    whistle.get_by_label(bureau).check()
    whistle.get_by_label(firm).check()
    whistle.locator("[name=task]").fill(TASK)
    asked = answer_confirm(desk)
    with desk.expect_navigation():
        whistle.locator('button[data-action="whistle"]').click()
    assert asked and "吹哨不能撤回" in asked[0]
    expect(desk.locator(".messages")).to_contain_text("已吹哨")
    expect(_parts(desk)).to_have_count(2)
    for name in (bureau, firm):
        expect(_parts(desk).filter(has_text=name)).to_contain_text("待报到")
    logout(desk)

    phone = new_context(PHONE)
    for page, username, part, shot in (
        (desk, "unit", "已派车清运垃圾站积存垃圾，疏通站外排水沟。", "whistle-unit-desk.png"),
        (phone, "property", "已冲洗人行道并消毒，查明为站内排污管破损，已报修。", "whistle-unit-phone.png"),
    ):
        login(page, username)
        # The appeal waits in the unit's queue under 待报到.
        page.goto("/appeals/?whistle=summoned")
        row = page.locator("table.queue tbody tr").filter(has_text=TITLE)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("待报到")
        expect(page.locator("select[name=whistle] option:checked")).to_have_text("待报到")
        if page is phone:
            _fits(page)
        shoot(page, f"whistle-queue-{username}.png")
        # The worker opens it from the message in the inbox.
        page.locator("nav.nav").get_by_role("link", name=re.compile("^消息")).click()
        message = page.locator(".inbox li").filter(has_text=f"吹哨报到：{TITLE}")
        expect(message).to_contain_text(TASK)
        with page.expect_navigation():
            message.get_by_role("link").click()
        expect(page).to_have_url(re.compile(rf"/appeals/{pk}/$"))
        expect(page.locator("main h1")).to_have_text(TITLE)
        expect(page.locator("main")).to_contain_text(f"任务：{TASK}")
        _act(page, "report_in", "已到现场")
        _act(page, "part_done", part)
        expect(page.locator("details#act-part_done")).to_have_count(0)
        if page is phone:
            _fits(page)
        shoot(page, shot, full_page=True)
        # Nothing waits for this unit any more.
        page.goto("/appeals/?whistle=summoned")
        expect(page.locator("table.queue tbody tr").filter(has_text=TITLE)).to_have_count(0)
        logout(page)

    # The community sees both parts done, and the appeal waiting for the resident's rating.
    login(desk, "community")
    desk.goto(f"/appeals/{pk}/")
    expect(desk.locator("main h1 + p .status")).to_have_text("待评价")
    for name in (bureau, firm):
        expect(_parts(desk).filter(has_text=name)).to_contain_text("已完成")
    expect(desk.locator(".facts")).to_contain_text("已派车清运垃圾站积存垃圾")
    timeline = desk.locator(".timeline")
    expect(timeline).to_contain_text("报到")
    expect(timeline).not_to_contain_text("duty-")
    shoot(desk, "whistle-community-done.png", full_page=True)
