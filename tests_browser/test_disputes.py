"""矛盾纠纷调解 in the browser: a grid worker registers a dispute on a visit (phone), the community accepts it with a
4+A team, records the session and the agreement, confirms the signatures (desk); the grid worker logs two
follow-ups (phone), the community closes it, the resident rates it (phone). And a case that fails and is referred."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests_browser.helpers import DESKTOP, PHONE, answer_confirm, login, logout, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def force(demo):
    """The demo community's mediation force (the demo loader's duty accounts), without the year of cases."""
    from access.models import RoleAssignment
    from areas.models import Area
    from disputes.demo import FORCE, _force_user
    from disputes.kinds import ensure_kinds

    ensure_kinds()
    community = demo.community
    grid = Area.objects.filter(kind=Area.Kind.GRID, path__startswith=community.path).order_by("path").first()
    for username, name, role, where in FORCE:
        _force_user(username, name, role, community if where == "community" else grid)
    assert RoleAssignment.objects.filter(user__username="duty-police").exists()
    return demo


def open_action(page: Page, action: str):
    details = page.locator(f"details#act-{action}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details


def pick(select, text: str) -> None:
    """Choose the option whose label contains ``text``."""
    select.select_option(value=select.locator("option").filter(has_text=text).first.get_attribute("value"))


def submit(page: Page, details, action: str, message: str, confirm: bool = False) -> None:
    if confirm:
        answer_confirm(page)
    with page.expect_navigation():
        details.locator(f'button[data-action="{action}"]').click()
    expect(page.locator(".messages")).to_contain_text(message)


def fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide on a 390 px phone"


def test_visit_to_agreement_follow_ups_closing_and_rating(force, new_context):
    from disputes.models import Case
    from people.models import HouseholdMember, Person

    resident = Person.objects.get(user__username="resident")
    home = HouseholdMember.objects.filter(person=resident).select_related("household__building").first()
    neighbour = (
        HouseholdMember.objects.filter(household__building=home.household.building)
        .exclude(household=home.household)
        .select_related("person")
        .first()
        .person
    )

    # The grid worker, on a visit, registers the dispute on the phone.
    phone = new_context(PHONE)
    login(phone, "gridworker")
    phone.goto("/hub/")
    phone.get_by_role("link", name="矛盾纠纷调解").click()
    with phone.expect_navigation():
        phone.locator('a[data-action="register"]').click()
    form = phone.locator("#dispute-form")
    form.locator("[name=kind]").select_option(label="邻里纠纷")
    form.locator("[name=title]").fill("楼上夜间噪音扰民")
    form.locator("[name=summary]").fill("楼上住户夜间拖动家具，楼下老人长期睡不好，双方在楼道发生争吵。")
    form.locator("[name=name_1]").fill(resident.name)
    form.locator("[name=phone_1]").fill(resident.phone)
    form.locator("[name=statement_1]").fill("每天夜里十一点后还在拖家具。")
    form.locator("[name=name_2]").fill(neighbour.name)
    form.locator("[name=phone_2]").fill(neighbour.phone)
    form.locator("[name=statement_2]").fill("晚上才有空收拾，没想到影响楼下。")
    fits(phone)
    with phone.expect_navigation():
        form.locator('button[data-action="register"]').click()
    expect(phone.locator(".messages")).to_contain_text("已登记纠纷")
    expect(phone.locator("main h1 + p .status")).to_have_text("待受理")
    case_url = phone.url
    shoot(phone, "dispute-registered-phone.png", full_page=True)
    fits(phone)
    logout(phone)

    # The community accepts it with a 4+A team, records the session and the agreement, confirms the signatures.
    desk = new_context(DESKTOP)
    login(desk, "community")
    desk.goto("/disputes/?state=registered")
    desk.get_by_role("link", name="楼上夜间噪音扰民").click()
    accept = open_action(desk, "accept")
    pick(accept.locator("[name=owner]"), "秦淑芬")
    for name in ("秦淑芬", "尤志明", "许国庆", "陈晓燕"):
        accept.locator(".team-pick li").filter(has_text=name).locator("input[type=checkbox]").check()
    submit(desk, accept, "accept", "已受理")
    expect(desk.locator(".team")).to_contain_text("社区民警")
    session = open_action(desk, "session")
    session.locator("[name=place]").fill("社区和为贵调解室")
    session.locator("[name=notes]").fill(
        "网格员介绍情况，调解员组织双方陈述，法律顾问讲解相邻关系的规定，民警到场维持秩序。"
    )
    submit(desk, session, "session", "已记录本次调解")
    agree = open_action(desk, "agree")
    agree.locator("[name=term_1]").fill("楼上住户在家具脚加装防噪垫")
    agree.locator("[name=due_1]").fill("2026-12-05")
    agree.locator("[name=term_2]").fill("晚十点后不再挪动家具")
    agree.locator("[name=due_2]").fill("2026-12-20")
    submit(desk, agree, "agree", "已拟定调解协议")
    pdf = desk.request.get(case_url + "agreement.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    sign = open_action(desk, "sign")
    sign.locator("[name=paper_signed]").check()
    submit(desk, sign, "sign", "进入履行跟踪", confirm=True)
    expect(desk.locator("main h1 + p .status")).to_have_text("履行跟踪")
    shoot(desk, "dispute-agreement-desk.png", full_page=True)

    # The grid worker follows up each term on the phone.
    login(phone, "gridworker")
    phone.goto(case_url)
    for term in ("楼上住户在家具脚加装防噪垫", "晚十点后不再挪动家具"):
        follow = open_action(phone, "follow_up")
        pick(follow.locator("[name=term]"), term)
        follow.locator("[name=note]").fill("入户回访，双方确认已做到。")
        submit(phone, follow, "follow_up", "已记录回访")
    expect(phone.locator(".terms")).not_to_contain_text("待履行")
    fits(phone)
    logout(phone)

    # The community closes it.
    desk.goto(case_url)
    close = open_action(desk, "close")
    submit(desk, close, "close", "已结案", confirm=True)
    expect(desk.locator("main h1 + p .status")).to_have_text("已结案")

    # The resident rates it on the phone.
    login(phone, "resident")
    phone.goto("/disputes/mine/")
    phone.get_by_role("link", name="楼上夜间噪音扰民").click()
    rate = phone.locator("#act-rate")
    expect(rate).to_contain_text("请评价这次调解")
    rate.get_by_label("满意", exact=True).check()
    with phone.expect_navigation():
        rate.locator('button[data-action="rate"]').click()
    expect(phone.locator(".messages")).to_contain_text("已评价")
    expect(phone.locator(".parties")).to_contain_text("满意")
    expect(phone.locator("main")).not_to_contain_text("晚上才有空收拾")  # not the other side's statement
    shoot(phone, "dispute-rated-phone.png", full_page=True)
    fits(phone)

    case = Case.objects.get(title="楼上夜间噪音扰民")
    assert [e.action for e in case.events.all()] == [
        "register", "accept", "session", "agree", "sign", "follow_up", "follow_up", "close", "rate",
    ]  # fmt: skip
    assert {m.get_duty_display() for m in case.members.all()} >= {
        "人民调解员",
        "法律顾问",
        "社区民警",
        "网格员",
    }


def test_a_failed_mediation_is_referred(force, new_context):
    from disputes.models import Case, Status

    desk = new_context(DESKTOP)
    login(desk, "community")
    desk.goto("/disputes/new/")
    form = desk.locator("#dispute-form")
    form.locator("[name=kind]").select_option(label="劳资纠纷")
    form.locator("[name=title]").fill("装修工钱纠纷")
    form.locator("[name=summary]").fill("装修队工人讨要工钱，雇主以质量问题拒付。")
    form.locator("[name=source]").select_option(label="热线")
    form.locator("[name=name_1]").fill("王师傅")
    form.locator("[name=phone_1]").fill("13512345678")
    form.locator("[name=name_2]").fill("李女士")
    with desk.expect_navigation():
        form.locator('button[data-action="register"]').click()
    accept = open_action(desk, "accept")
    pick(accept.locator("[name=owner]"), "秦淑芬")
    for name in ("秦淑芬", "尤志明"):
        accept.locator(".team-pick li").filter(has_text=name).locator("input[type=checkbox]").check()
    submit(desk, accept, "accept", "已受理")
    session = open_action(desk, "session")
    session.locator("[name=place]").fill("社区调解室")
    session.locator("[name=notes]").fill("双方对工程质量和扣款数额分歧很大，未能达成一致。")
    submit(desk, session, "session", "已记录本次调解")
    refer = open_action(desk, "refer")
    refer.locator("[name=to]").select_option(label="司法所")
    refer.locator("[name=note]").fill("两次调解未果，引导当事人到司法所申请进一步调解。")
    submit(desk, refer, "refer", "已移交", confirm=True)
    expect(desk.locator("main h1 + p .status")).to_have_text("已移交")
    expect(desk.locator(".facts")).to_contain_text("司法所")
    shoot(desk, "dispute-referred-desk.png", full_page=True)
    url = desk.url

    phone = new_context(PHONE)
    login(phone, "community")
    phone.goto("/disputes/?state=referred")
    expect(phone.locator("table.disputes")).to_contain_text("装修工钱纠纷")
    fits(phone)
    phone.goto(url)
    fits(phone)
    shoot(phone, "dispute-referred-phone.png", full_page=True)
    assert Case.objects.get(title="装修工钱纠纷").status == Status.REFERRED
