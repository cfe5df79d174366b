"""A grid worker in the courtyard with a weak signal (390 px): the visit form is sent while the phone is offline, kept
on the phone, and sent by itself when the network returns; from the visit, one tap raises an appeal, again sent
offline and then online. Exactly one visit and one appeal result."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests_browser.helpers import DESKTOP, PHONE, login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def household(demo):
    """A household with people in it, in the demo grid worker's grid, and a round over the community."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model

    from areas.models import Household
    from linli import clock
    from visits.models import Round
    from visits.services import round_open

    worker = get_user_model().objects.get(username="gridworker")
    grid = next(a.area for a in worker.role_assignments.all() if a.area is not None)
    staff = get_user_model().objects.get(username="community")
    today = clock.now().date()
    round_open(user=staff, area=demo.community, kind=Round.Kind.HALF_MONTH, title="12 月上半月进小区",
               starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=13))  # fmt: skip
    return (
        Household.objects.filter(building__grid=grid, memberships__isnull=False)
        .order_by("building__code", "number")
        .first()
    )


def test_visit_offline_then_online_and_one_appeal(household, new_context):
    from appeals.models import Appeal, Channel
    from visits.models import Visit

    phone = new_context(PHONE)
    login(phone, "gridworker")
    phone.goto("/visits/")
    expect(phone.locator("main h1")).to_have_text("入户走访")
    shoot(phone, "visits-home-phone.png", artifact=True)
    phone.locator(f'a[data-household="{household.pk}"]').click()
    expect(phone.locator("main h1")).to_contain_text(household.number)

    # In the courtyard: one tap for who was seen, one for what was found, a line of notes; the signal drops.
    phone.locator("input[name=seen]").first.check()
    phone.get_by_label("有诉求").check()
    phone.fill("textarea[name=note]", "三楼楼道灯坏了，老人晚上看不见")
    phone.context.set_offline(True)
    phone.get_by_role("button", name="提交走访").click()
    expect(phone.locator("[data-offline-status]")).to_contain_text("已保存在本机")
    expect(phone.locator("textarea[name=note]")).to_have_value("三楼楼道灯坏了，老人晚上看不见")
    assert Visit.objects.count() == 0
    shoot(phone, "visits-offline-phone.png", artifact=True)

    # The network returns: the page sends the kept form by itself and lands on the visit.
    phone.context.set_offline(False)
    expect(phone).to_have_url(re.compile(r"/visits/\d+/$"))
    expect(phone.locator(".messages")).to_contain_text("走访已记录")
    assert Visit.objects.count() == 1

    # One tap to raise the appeal; sent offline, resent online: one appeal.
    phone.context.set_offline(True)
    phone.locator("button[data-action=appeal]").click()
    expect(phone.locator("form[action$='/appeal/'] [data-offline-status]")).to_contain_text("已保存在本机")
    phone.context.set_offline(False)
    expect(phone.locator(".messages")).to_contain_text("已替住户登记诉求")
    expect(phone.locator("[data-referrals]")).to_contain_text("诉求 #")
    shoot(phone, "visits-detail-phone.png", full_page=True, artifact=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    assert Visit.objects.count() == 1 and Appeal.objects.count() == 1
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.VISIT and appeal.visit_referrals.get().visit == Visit.objects.get()

    desk = new_context(DESKTOP)
    login(desk, "community")
    desk.goto(f"/visits/rounds/{Visit.objects.get().round_id}/")
    expect(desk.locator("main h1")).to_have_text("12 月上半月进小区")
    expect(desk.locator(".stat")).to_contain_text("1 ÷")
    shoot(desk, "visits-round-desktop.png", full_page=True, artifact=True)
