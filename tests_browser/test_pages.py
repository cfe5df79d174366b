"""Real browser tests: the demo logins, the whole appeal loop on a phone and a desk, and the public pages.

They drive Debian's chromium (see conftest.py) and write the screenshots in docs/screenshots/ that the README
shows. Every step goes through the pages as a person would: links, forms, buttons.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from appeals.views import DONE_MESSAGES
from tests_browser.helpers import DESKTOP, PHONE, login, logout, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY_MANAGEMENT = "青山区城市管理局"  # the unit the `unit` login works at

# username -> (what its landing page must show, its role label on the 工作台, or None for a resident's home)
LANDINGS = {
    "resident": ("我的住址", None),
    "gridworker": ("工作台", "网格员"),
    "gridleader": ("工作台", "网格长"),
    "building": ("工作台", "楼长"),
    "community": ("工作台", "社区工作者"),
    "partymember": ("我的住址", None),  # an in-service party member is at home like a resident
    "subdistrict": ("工作台", "街道工作人员"),
    "unit": ("工作台", "单位工作人员"),
    "property": ("工作台", "单位工作人员"),
    "district": ("工作台", "区领导"),
    "admin": ("工作台", "系统管理员"),
}


def _units_of(username: str) -> list[str]:
    from access.models import RoleAssignment

    return list(
        RoleAssignment.objects.filter(user__username=username, unit__isnull=False).values_list(
            "unit__name", flat=True
        )
    )


def test_demo_logins_land_on_their_pages(demo, new_context):
    from demo.logins import USERNAMES

    assert set(USERNAMES) == set(LANDINGS), "a demo login was added or removed: update LANDINGS"
    page = new_context(DESKTOP)
    for username in USERNAMES:
        heading, role_label = LANDINGS[username]
        login(page, username)
        main = page.locator("main")
        expect(main.locator("h1, h2").filter(has_text=heading).first).to_be_visible()
        nav = page.locator("nav.nav")
        if role_label is None:
            expect(nav.get_by_role("link", name="我要反映")).to_be_visible()
            expect(nav.get_by_role("link", name="我的诉求")).to_be_visible()
        else:
            expect(page.locator(".roles")).to_contain_text(role_label)
            expect(nav.get_by_role("link", name="诉求", exact=True)).to_be_visible()
        if username in ("unit", "property"):
            units = _units_of(username)
            assert units, f"{username} has no unit"
            my_units = main.locator("section.card").filter(has_text="我的单位")
            for name in units:
                expect(my_units).to_contain_text(name)
            if username == "unit":
                assert units == [CITY_MANAGEMENT]
        shoot(page, f"login-{username}.png")
        logout(page)
        expect(page.locator("header .user")).to_contain_text("登录")


def _open_action(page: Page, action: str):
    """The action's <details>, opened if it is not the first (open) one."""
    details = page.locator(f"details#act-{action}")
    expect(details).to_have_count(1)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(details.locator(f'button[data-action="{action}"]')).to_be_visible()
    return details


def _act(page: Page, action: str, fill=None) -> None:
    details = _open_action(page, action)
    label = details.locator("summary").inner_text().strip()
    if fill is not None:
        fill(details)
    with page.expect_navigation():
        details.locator(f'button[data-action="{action}"]').click()
    expect(page.locator(".messages")).to_contain_text(DONE_MESSAGES.get(action, f"已{label}"))


def _fits_the_phone(page: Page) -> None:
    """Nothing sticks out sideways: an elderly reader should never have to scroll left and right."""
    # A phone widens its layout viewport to the content, so compare with the device's width, not innerWidth.
    width, phone = page.evaluate("document.documentElement.scrollWidth"), page.viewport_size["width"]
    assert width <= phone, f"{page.url} is {width} px wide on a {phone} px phone"


def _status(page: Page):
    return page.locator("main h1 + p .status")


def test_whole_loop_in_the_browser(demo, new_context):
    title = "3 号楼门口路灯不亮了"
    body = "3 号楼门口的路灯坏了一个多星期，晚上出门看不清台阶，老人容易摔倒，请尽快修一下。"

    # The resident, on her phone, reports the problem.
    phone = new_context(PHONE)
    login(phone, "resident")
    phone.locator("nav.nav").get_by_role("link", name="我要反映").click()
    expect(phone).to_have_url(re.compile(r"/appeals/new/$"))
    phone.get_by_label("一句话说明").fill(title)
    phone.get_by_label("详细情况").fill(body)
    nav = phone.locator("nav.nav")
    expect(nav.locator("a[aria-current]")).to_have_text("我要反映")  # only the page she is on
    phone.get_by_label("类别").select_option(label="城乡建设 / 市政设施")
    building = phone.get_by_label("地点")
    assert building.input_value(), "the resident's building is preselected"
    kept_building = building.locator("option:checked").inner_text()
    _fits_the_phone(phone)
    shoot(phone, "resident-submit.png", full_page=True)
    with phone.expect_navigation():
        phone.get_by_role("button", name="提交").click()
    expect(phone).to_have_url(re.compile(r"/appeals/\d+/$"))
    appeal_url = phone.url
    expect(phone.locator("main h1")).to_have_text(title)
    expect(_status(phone)).to_have_text("待派单")
    expect(phone.locator(".messages")).to_contain_text("已提交")
    expect(phone.locator(".facts")).to_contain_text(kept_building)
    # Withdrawing is offered, but folded away: not a big red button under her thumb right after submitting.
    expect(phone.locator("details#act-withdraw")).not_to_have_attribute("open", "")
    _fits_the_phone(phone)
    shoot(phone, "resident-submitted.png", full_page=True)

    # The community worker finds it in the queue and dispatches it to the city management bureau.
    desk = new_context(DESKTOP)
    login(desk, "community")
    desk.locator("nav.nav").get_by_role("link", name="诉求", exact=True).click()
    expect(desk.locator("main h1")).to_have_text("工作队列")
    row = desk.locator("table.queue tbody tr").filter(has_text=title)
    expect(row).to_have_count(1)
    expect(row.locator(".status")).to_have_text("待派单")
    shoot(desk, "queue.png")
    row.get_by_role("link", name=title).click()
    expect(_status(desk)).to_have_text("待派单")
    _act(
        desk,
        "dispatch",
        lambda d: (
            d.locator("select[name=unit]").select_option(label=CITY_MANAGEMENT),
            d.locator("[name=note]").fill("请尽快修复路灯"),
        ),
    )
    expect(_status(desk)).to_have_text("已派单")
    expect(desk.locator(".facts")).to_contain_text(CITY_MANAGEMENT)
    logout(desk)

    # The bureau's worker accepts it and reports it done.
    login(desk, "unit")
    desk.locator("nav.nav").get_by_role("link", name="诉求", exact=True).click()
    expect(desk.locator("main h1")).to_have_text("单位收件箱")
    desk.locator("table.queue tbody tr").filter(has_text=title).get_by_role("link", name=title).click()
    expect(_status(desk)).to_have_text("已派单")
    _act(desk, "accept")
    expect(_status(desk)).to_have_text("办理中")
    _act(desk, "complete", lambda d: d.locator("[name=text]").fill("已更换路灯灯泡，经夜间检查照明正常。"))
    expect(_status(desk)).to_have_text("待评价")
    expect(desk.locator(".facts")).to_contain_text("已更换路灯灯泡")
    shoot(desk, "unit-detail.png", full_page=True)

    # Back on her phone, the resident rates it from 我的诉求.
    phone.locator("nav.nav").get_by_role("link", name="我的诉求").click()
    card = phone.locator(".appeal-cards li").filter(has_text=title)
    expect(card.locator(".status")).to_have_text("待评价")
    _fits_the_phone(phone)
    card.get_by_role("link", name=title).click()
    assert phone.url == appeal_url

    def rate(d):
        d.get_by_label("解决了", exact=True).check()
        d.get_by_label("满意", exact=True).check()
        d.locator("[name=comment]").fill("修得很快，谢谢！")
        d.scroll_into_view_if_needed()
        _fits_the_phone(phone)
        shoot(phone, "resident-rate.png")

    _act(phone, "rate", rate)
    expect(_status(phone)).to_have_text("已办结")
    timeline = phone.locator("section.card").filter(has=phone.get_by_role("heading", name="办理记录"))
    steps = [s.strip() for s in timeline.locator(".timeline li strong").all_inner_texts()]
    assert steps == ["提交", "派单", "接单", "办结", "评价"], steps
    _fits_the_phone(phone)
    shoot(phone, "resident-rated.png", full_page=True)


def test_a_grid_worker_reads_the_queue_and_hotspots_on_a_phone(demo, new_context):
    from django.contrib.auth import get_user_model

    from appeals import services as appeals
    from people.models import Person

    users = get_user_model().objects
    me = Person.objects.get(user__username="resident")
    building = me.households.first().building
    neighbour = Person.objects.filter(households__building=building).exclude(pk=me.pk).first()
    title = f"{building.name}电梯又坏了"
    for user, extra in (
        (users.get(username="resident"), {}),
        (users.get(username="community"), {"raised_by": neighbour}),
    ):
        appeals.appeal_submit(
            user=user, title=title, body=f"{title}，老人上下楼困难", channel="app", building=building, **extra
        )

    phone = new_context(PHONE)
    login(phone, "gridworker")
    phone.locator("nav.nav").get_by_role("link", name="诉求", exact=True).click()
    expect(phone.locator("main h1")).to_have_text("工作队列")
    # each appeal is a card of labelled lines, not a row of seven columns two characters wide
    expect(phone.locator("table.queue thead")).to_be_hidden()
    card = phone.locator("table.queue tbody tr").filter(has_text=title).first
    assert card.evaluate("e => getComputedStyle(e).display") == "block"
    headline = card.locator("td").nth(1)
    assert headline.bounding_box()["width"] > 300, "the title runs across the card"
    status = card.locator("td[data-label=状态]")
    assert status.evaluate("e => getComputedStyle(e, '::before').content") == '"状态："'
    _fits_the_phone(phone)
    shoot(phone, "queue-phone.png", full_page=True)

    phone.locator("nav.nav").get_by_role("link", name="热点").click()
    expect(phone.locator("main h1")).to_have_text("热点问题")
    hotspot = phone.locator("table.listing tbody tr").filter(has_text=title)
    expect(hotspot).to_have_count(1)  # two residents of one building, one problem
    assert hotspot.evaluate("e => getComputedStyle(e).display") == "block"
    expect(hotspot.locator("td[data-label=人数]")).to_have_text("2")
    _fits_the_phone(phone)


def test_home_and_login_pages_for_a_visitor(browser_db, new_context):
    page = new_context(DESKTOP)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("main h1")).to_contain_text("邻里")
    expect(page.get_by_role("link", name="登录").first).to_be_visible()
    shoot(page, "home.png", full_page=True)
    page.locator("main").get_by_role("link", name="登录").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.locator("main h1")).to_have_text("登录邻里")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    shoot(page, "login.png")

    # A wrong password is told plainly, in Chinese.
    page.get_by_label("用户名").fill("nobody")
    page.get_by_label("密码").fill("wrong")
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    expect(page.locator(".error")).to_contain_text("用户名或密码不正确")
