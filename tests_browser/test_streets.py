"""街长制 in the browser: a resident on a phone (390 px) reports a problem on the street in front of her building
and picks the street; the street's 街长 signs in, is told, and finds it under 我的街路 and on the street's page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests_browser.helpers import DESKTOP, PHONE, login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


@pytest.fixture
def street(demo):
    """The demo's streets; the main community's 街长 is the demo login ``partymember`` in this test."""
    from django.contrib.auth import get_user_model

    from people.models import Person
    from streets.demo import load_demo_streets
    from streets.models import Street
    from streets.services import street_set_head

    load_demo_streets(demo)
    street = Street.objects.get(community=demo.community)
    head = Person.objects.get(user__username="partymember")
    street_set_head(user=get_user_model().objects.get(username="admin"), street_id=street.pk, person=head)
    return Street.objects.get(pk=street.pk)


def test_a_resident_files_on_a_street_and_its_head_sees_it(street, new_context):
    phone = new_context(PHONE)
    login(phone, "resident")
    phone.goto("/appeals/new/")
    phone.get_by_label("一句话说明").fill("路口井盖松动")
    phone.get_by_label("详细情况").fill(f"{street.name}路口的井盖松动了，车一过就响，晚上很吵。")
    phone.get_by_label("所在街路（选填）").select_option(label=str(street))
    _fits(phone)
    shoot(phone, "streets-intake-phone.png", full_page=True, artifact=True)
    with phone.expect_navigation():
        phone.get_by_role("button", name="提交").click()
    main = phone.locator("main")
    expect(main).to_contain_text("已提交")
    expect(main).to_contain_text(str(street))
    expect(main).to_contain_text(f"街长 {street.head.name}")
    _fits(phone)

    for viewport, suffix in [(PHONE, "phone"), (DESKTOP, "desktop")]:
        page = new_context(viewport)
        login(page, "partymember")
        page.goto("/inbox/")
        expect(page.locator("main")).to_contain_text(f"{street.name}街路诉求：路口井盖松动")
        page.goto("/hub/")
        with page.expect_navigation():
            page.get_by_role("link", name="我的街路").click()
        expect(page.locator("h1")).to_have_text("我的街路")
        row = page.locator("main tbody tr", has_text="路口井盖松动")
        expect(row.locator("td[data-label=状态]")).to_have_text("待派单")
        _fits(page)
        shoot(page, f"streets-mine-{suffix}.png", full_page=True, artifact=True)
        with page.expect_navigation():
            row.get_by_role("link", name="路口井盖松动").click()
        expect(page.locator("main")).to_contain_text(str(street))
        page.goto(f"/streets/{street.pk}/")
        expect(page.locator("h1")).to_have_text(str(street))
        expect(page.locator("main tbody tr").first.locator("td[data-label=街路诉求]")).to_have_text("1")
        _fits(page)
        shoot(page, f"streets-street-{suffix}.png", full_page=True, artifact=True)
