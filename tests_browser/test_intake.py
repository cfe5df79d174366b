"""A grid worker on a phone (390 px) records appeals for residents met on a visit: one found in the register by
name, one not on it yet and registered on the spot. The form speaks as the worker, and after each one the worker is
told the number and what happens next."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests_browser.helpers import PHONE, login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide on a phone"


def _resident() -> tuple[str, str]:
    """The demo resident's name and community (she lives in the grid worker's grid)."""
    from people.models import Person

    person = Person.objects.select_related("community").get(user__username="resident")
    return person.name, person.community.name


def _describe_problem(page: Page, title: str, body: str) -> None:
    page.get_by_label("一句话说明").fill(title)
    page.get_by_label("居民反映的情况").fill(body)


def test_grid_worker_records_for_a_resident_on_the_register_and_for_a_new_one(demo, new_context):
    name, community = _resident()
    phone = new_context(PHONE)
    login(phone, "gridworker")

    # The worker opens the intake form from the queue: it speaks as the worker, not as the resident.
    phone.goto("/appeals/")
    with phone.expect_navigation():
        phone.get_by_role("link", name="登记诉求").click()
    main = phone.locator("main")
    expect(main.locator("h1")).to_have_text("代居民登记诉求")
    expect(main).to_contain_text("在居民名册中查找")
    expect(phone.get_by_label("类别")).to_contain_text("不确定，由社区分类")
    expect(main).not_to_contain_text("帮我")

    # She types the resident's name; the register answers under the box and she picks her.
    phone.locator("#person-q").fill(name)
    pick = phone.locator(".person-results label").filter(has_text=name)
    expect(pick).to_have_count(1)
    pick.click()
    expect(pick.locator("input[type=radio]")).to_be_checked()
    _describe_problem(phone, "单元门禁坏了", f"{name}说单元门禁刷卡没反应三天了，老人进出要等人开门。")
    _fits(phone)
    shoot(phone, "intake-found-phone.png", full_page=True)
    with phone.expect_navigation():
        phone.get_by_role("button", name="登记", exact=True).click()
    expect(phone).to_have_url(re.compile(r"/appeals/\d+/$"))
    done = phone.locator(".messages")
    expect(done).to_contain_text(re.compile(rf"已登记为 #\d+，诉求人 {name}（网格员走访）"))
    expect(done).to_contain_text(f"已通知{community}的社区工作人员分类派单")
    expect(done).to_contain_text("居民可在“我的诉求”里看到进展")
    expect(main).not_to_contain_text("正在办理中")
    _fits(phone)

    # Next door, someone not on the register yet: the search finds nobody, so she registers him.
    phone.goto("/appeals/new/")
    phone.locator("#person-q").fill("钱大爷")
    expect(phone.locator("#person-results")).to_contain_text("名册里没有找到“钱大爷”")
    phone.locator("details.new-person summary").click()
    phone.get_by_label("姓名", exact=True).fill("钱大爷")
    phone.get_by_label("电话（选填，用于回访）").fill("13955556666")
    building = phone.get_by_label("地点（楼栋）")
    building.select_option(index=1)
    _describe_problem(phone, "想申请老年助餐", "独居，腿脚不便，想了解社区助餐怎么申请。")
    _fits(phone)
    shoot(phone, "intake-new-phone.png", full_page=True)
    with phone.expect_navigation():
        phone.get_by_role("button", name="登记", exact=True).click()
    expect(done).to_contain_text(re.compile(r"已登记为 #\d+，诉求人 钱大爷"))
    expect(done).to_contain_text(f"钱大爷 已登记到{community}的居民名册")
    expect(done).to_contain_text("居民没有登录账号")
    expect(phone.locator(".facts")).to_contain_text("钱大爷")
    _fits(phone)
    shoot(phone, "intake-recorded-phone.png", full_page=True)
