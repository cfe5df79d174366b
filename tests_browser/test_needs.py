"""三库联动 in the browser: the community runs a matching round, moves one pair, dispatches; the party member
on duty accepts the service order, logs the time, completes it; the community records the follow-up rating."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests_browser.helpers import DESKTOP, PHONE, answer_confirm, login, logout, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEED = "陪同行动不便老人去医院复查"


@pytest.fixture
def demo_needs(demo):
    from needs.demo import load_demo_needs

    load_demo_needs(demo)
    return demo


def test_matching_round_adjust_dispatch_serve_and_rate(demo_needs, new_context):
    from people.models import Person

    member = Person.objects.get(user__username="partymember").name
    desk = new_context(DESKTOP)
    login(desk, "community")
    desk.locator("nav.nav").get_by_role("link", name="三库联动").click()
    expect(desk.locator("main h1")).to_contain_text("三库联动")
    with desk.expect_navigation():
        desk.locator('button[data-action="match"]').click()
    expect(desk.locator(".messages")).to_contain_text("匹配完成")
    row = desk.locator("tr[data-proposal]").filter(has_text=NEED)
    expect(row).to_have_count(1)
    shoot(desk, "matching-round.png", full_page=True)

    # Staff move this pair to the party member who offers to accompany people to hospital.
    option = row.locator("select[name=offer] option").filter(has_text=f"{member}：陪同就医")
    row.locator("select[name=offer]").select_option(value=option.get_attribute("value"))
    with desk.expect_navigation():
        row.locator('button[data-action="adjust"]').click()
    expect(desk.locator(".messages")).to_contain_text("已调整")
    row = desk.locator("tr[data-proposal]").filter(has_text=NEED)
    expect(row).to_contain_text(f"{member}：陪同就医")
    expect(row).to_contain_text("人工调整")
    answer_confirm(desk)
    with desk.expect_navigation():
        desk.locator('button[data-action="dispatch"]').click()
    expect(desk.locator(".messages")).to_contain_text("服务单已派出")
    expect(desk.locator("table.queue")).to_contain_text(NEED)
    logout(desk)

    # The party member, on the phone, finds the order under 我的诉求 → 我承接的服务单.
    phone = new_context(PHONE)
    login(phone, "partymember")
    phone.locator("nav.nav").get_by_role("link", name="我的诉求").click()
    phone.locator(".appeal-cards li").filter(has_text=NEED).get_by_role("link", name=NEED).click()
    expect(phone).to_have_url(re.compile(r"/appeals/\d+/$"))
    order_url = phone.url

    def act(action: str, fill=None) -> None:
        details = phone.locator(f"details#act-{action}")
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        if fill:
            fill(details)
        with phone.expect_navigation():
            details.locator(f'button[data-action="{action}"]').click()
        expect(phone.locator(".messages li").first).to_contain_text("已")

    act("accept")
    act(
        "log_time",
        lambda d: (d.locator("[name=minutes]").fill("120"), d.locator("[name=note]").fill("陪同复查、取药")),
    )
    act("complete", lambda d: d.locator("[name=text]").fill("已陪同老人完成复查并取药，送回家中。"))
    expect(phone.locator("main h1 + p .status")).to_have_text("待评价")
    shoot(phone, "service-order-done.png", full_page=True)

    # The resident has no login: the community records the follow-up call (回访).
    login(desk, "community")
    desk.goto(order_url)
    details = desk.locator("details#act-rate")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    details.get_by_label("解决了", exact=True).check()
    details.get_by_label("满意", exact=True).check()
    with desk.expect_navigation():
        details.locator('button[data-action="rate"]').click()
    expect(desk.locator("main h1 + p .status")).to_have_text("已办结")
    steps = [s.strip() for s in desk.locator(".timeline li strong").all_inner_texts()]
    assert steps == ["提交", "派单", "接单", "记录服务时长", "办结", "评价"], steps

    from needs.models import Need

    assert Need.objects.get(title=NEED).status == Need.Status.SERVED


def test_demo_round_makes_sense_and_an_unmatched_need_is_assigned_by_hand(demo_needs, new_context):
    desk = new_context(DESKTOP)
    login(desk, "community")
    desk.goto("/needs/")
    with desk.expect_navigation():
        desk.locator('button[data-action="match"]').click()
    # The round speaks of distance, and pairs each need with an offer of the service it needs.
    expect(desk.locator("main h1 + p")).to_contain_text("按就近、均衡原则匹配")
    expect(desk.locator("main")).not_to_contain_text("最小费用流")
    row = desk.locator("tr[data-proposal]")
    expect(row.filter(has_text="邻里噪音纠纷需要法律意见")).to_contain_text("法律咨询")
    for need, wrong in [
        ("家里水龙头漏水需要上门修", "法律咨询"),
        ("社保转移手续咨询", "电脑手机教学"),
        ("小区健身器材检修", "用电安全检查"),
    ]:
        expect(row.filter(has_text=need)).not_to_contain_text(wrong)
    shoot(desk, "matching-round.png", full_page=True)

    # Staff take the legal need out of the round: it goes back among the unmatched needs.
    noise = row.filter(has_text="邻里噪音纠纷需要法律意见")
    with desk.expect_navigation():
        noise.locator('button[data-action="remove"]').click()
    expect(desk.locator(".messages")).to_contain_text("回到未匹配")
    unmatched = desk.locator("#unmatched li").filter(has_text="邻里噪音纠纷需要法律意见")
    expect(unmatched.locator("select[name=offer] option")).to_contain_text(["法律咨询"])

    # On a phone, they assign it by hand to the lawyer.
    phone = new_context(PHONE)
    login(phone, "community")
    phone.goto(desk.url)
    item = phone.locator("#unmatched li").filter(has_text="邻里噪音纠纷需要法律意见")
    item.scroll_into_view_if_needed()
    shoot(phone, "matching-unmatched-phone.png")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the round page is {width} px wide on a 390 px phone"
    with phone.expect_navigation():
        item.locator('button[data-action="assign"]').click()
    expect(phone.locator(".messages")).to_contain_text("已派单")
    expect(phone.locator("#unmatched li").filter(has_text="邻里噪音纠纷需要法律意见")).to_contain_text(
        "已派服务单"
    )

    from appeals.models import Appeal
    from needs.models import Need

    need = Need.objects.get(title="邻里噪音纠纷需要法律意见")
    assert need.status == Need.Status.ORDERED
    order = Appeal.objects.get(need=need)
    assert order.offer is not None and order.offer.title == "法律咨询"
