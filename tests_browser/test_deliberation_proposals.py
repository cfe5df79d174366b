"""A resident proposes a topic on her phone and the community takes it up, in the browser, as the demo community:
she fills in the proposal (her own building offered), sees it under 我的提议; staff find it among the proposals
awaiting acceptance, accept it into 五议工作法 and decline another with a reason, which she then reads; staff
publish a general notice on 公示管理 and withdraw it. The menu lights 议事 on every one of these pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests_browser.helpers import DESKTOP, PHONE, answer_confirm, login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def templates(demo):
    """The process templates are seeded by a data migration; a transactional test before this one flushed them.
    The URLs (and with them every app's views) are loaded here, in the live server's process, so that its first
    page is not slower than a page may be on a busy machine."""
    from django.urls import get_resolver

    from deliberation.processes import ensure_templates

    ensure_templates()
    assert get_resolver().resolve("/login/").url_name == "login"


def _propose(phone: Page, title: str, body: str, building: str | None = None) -> None:
    details = phone.locator("details#propose")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    details.get_by_label("议题").fill(title)
    details.get_by_label("说明（是什么问题，希望怎么办）").fill(body)
    if building:
        details.get_by_label("涉及楼栋（选填）").select_option(label=building)
    with phone.expect_navigation():
        details.locator('button[data-action="propose"]').click()
    expect(phone.locator(".messages")).to_contain_text("已提交提议，社区受理后会通知您")


def _lit(page: Page, label: str) -> None:
    expect(page.locator("nav.nav a[aria-current=page]")).to_have_text([label])


def test_resident_proposes_on_her_phone_and_staff_take_it_up(demo, templates, new_context):
    from access.models import RoleAssignment
    from deliberation.models import Topic

    building = RoleAssignment.objects.get(user__username="building", role="building_head").building
    title, other = f"{building.name}门口增设快递柜", "小区广场晚上跳舞音乐太响"

    # the resident, on her phone, proposes two topics
    phone = new_context(PHONE)
    login(phone, "resident")
    phone.locator("nav.nav").get_by_role("link", name="议事·表决").click()
    expect(phone.locator("main h1")).to_have_text("议事·表决")
    expect(phone.locator("#my-proposals")).to_contain_text("您还没有提过议题")
    _propose(phone, title, "快递经常放在楼道里丢失，希望在楼门口增设智能快递柜。", building.name)
    _propose(phone, other, "晚上九点以后音乐还很响，影响老人孩子休息。")
    mine = phone.locator("#my-proposals li")
    expect(mine).to_have_count(2)
    expect(mine.filter(has_text=title)).to_contain_text("待社区受理")
    expect(mine.filter(has_text=title)).to_contain_text(building.name)
    _lit(phone, "议事·表决")
    shoot(phone, "deliberation-propose-phone.png", full_page=True)

    # community staff see both awaiting acceptance: accept one into 五议, decline the other with a reason
    desk = new_context(DESKTOP)
    login(desk, "community")
    desk.locator("nav.nav").get_by_role("link", name="议事", exact=True).click()
    pending = desk.locator("#pending-proposals")
    expect(pending.locator("h2")).to_have_text("待受理的居民提议（2）")
    shoot(desk, "deliberation-proposals.png", full_page=True)
    row = pending.locator("li.proposal", has_text=other)
    row.get_by_label(f"不予受理的原因：{other}").fill("已转交物业和广场舞队协调，限定晚上九点前结束")
    with desk.expect_navigation():
        row.locator('button[data-action="decline"]').click()
    expect(desk.locator(".messages")).to_contain_text("已答复提议人：不予受理")
    row = desk.locator("#pending-proposals li.proposal", has_text=title)
    row.get_by_label(f"议事流程：{title}").select_option(label="五议工作法")
    with desk.expect_navigation():
        row.locator('button[data-action="accept"]').click()
    expect(desk.locator(".messages")).to_contain_text("已受理提议")
    expect(desk.locator("main h1")).to_have_text(title)
    expect(desk.locator(".step-current")).to_contain_text("党组织提议")
    expect(desk.locator(".step")).to_have_count(5)
    _lit(desk, "议事")
    topic = Topic.objects.get(title=title)
    assert (topic.status, topic.template.code, topic.building_id) == ("active", "5yi", building.pk)

    # the resident reads what became of both, and was told in her inbox
    phone.reload()
    expect(mine.filter(has_text=title)).to_contain_text("进行中")
    expect(mine.filter(has_text=title)).to_contain_text("当前：党组织提议")
    expect(mine.filter(has_text=other)).to_contain_text("不予受理")
    expect(mine.filter(has_text=other)).to_contain_text("社区答复：已转交物业和广场舞队协调")
    shoot(phone, "deliberation-my-proposals-phone.png", full_page=True)
    phone.locator("nav.nav").get_by_role("link", name=re.compile(r"^消息")).click()
    expect(phone.locator("main")).to_contain_text(f"您提议的议题“{title}”已受理")
    expect(phone.locator("main")).to_contain_text(f"您提议的议题“{other}”未被受理")

    # 公示管理: staff publish a general notice and withdraw it; the menu still lights 议事
    desk.goto("/deliberation/")
    with desk.expect_navigation():
        desk.locator('a[data-link="notice-manage"]').first.click()
    expect(desk.locator("main h1")).to_contain_text("公示管理")
    _lit(desk, "议事")
    form = desk.locator("details#publish-notice")
    form.get_by_label("类型").select_option(label="其他公示")
    form.get_by_label("标题").fill("2025 年度社区居务收支公示")
    form.get_by_label("公示内容").fill("收入：上级拨款 12 万元；支出：楼道照明改造 4.8 万元……")
    form.get_by_label("公示期（天）").fill("7")
    answer_confirm(desk)
    with desk.expect_navigation():
        form.locator('button[data-action="publish"]').click()
    expect(desk.locator(".messages")).to_contain_text("已发布公示：2025 年度社区居务收支公示")
    current = desk.locator("#current-notices tr.notice-row", has_text="2025 年度社区居务收支公示")
    expect(current).to_contain_text("公示中")
    expect(current.locator("td.objections")).to_have_text("0 条")
    shoot(desk, "notices-manage.png", full_page=True)
    current.get_by_label("撤回原因：2025 年度社区居务收支公示").fill("数字有误，更正后重新公示")
    with desk.expect_navigation():
        current.locator('button[data-action="withdraw"]').click()
    expect(desk.locator(".messages")).to_contain_text("已撤回公示")
    expect(desk.locator("#past-notices")).to_contain_text("撤回原因：数字有误，更正后重新公示")
