"""A 最美家庭 campaign from nomination to honour roll: a resident recommends a family on her phone (390 px), the
community closes nominations, the panel scores, the shortlist goes on the notice board (公示), and once the period is
over the result is announced and the honour roll shows on the community's public page, names masked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests_browser.helpers import DESKTOP, NOW, PHONE, answer_confirm, login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign(demo):
    from django.contrib.auth import get_user_model

    from campaigns.models import Campaign
    from campaigns.services import campaign_create

    staff = get_user_model().objects.get(username="community")
    return campaign_create(user=staff, community=demo.community, kind=Campaign.Kind.FAMILY, title="2026 年度最美家庭评选",
                           places=3, nominations_close=NOW + timedelta(days=5), panel=[staff],
                           criteria=[("家庭和睦", 50), ("邻里互助", 50)])  # fmt: skip


def test_family_campaign_from_nomination_to_honour_roll(campaign, new_context):
    from areas.models import Household
    from campaigns.models import Campaign, Honour
    from linli import clock

    family = (
        Household.objects.filter(
            building__grid__path__startswith=campaign.community.path, memberships__isnull=False
        )
        .select_related("building")
        .order_by("pk")
        .first()
    )
    phone = new_context(PHONE)
    login(phone, "resident")
    phone.goto("/hub/")
    phone.get_by_role("link", name="评选表彰").click()
    phone.get_by_role("link", name=campaign.title).click()
    phone.select_option("select[name=building]", value=str(family.building_id))
    phone.fill("input[name=number]", family.number)
    phone.fill("textarea[name=reason]", "多年照顾瘫痪在床的老母亲，邻里有困难总是第一个帮忙")
    phone.locator("button[data-action=nominate]").click()
    expect(phone.locator(".messages")).to_contain_text("提名已提交")
    expect(phone.locator("tr[data-nomination]")).to_contain_text("某某家庭")
    expect(phone.locator("tr[data-nomination]")).to_contain_text("居民推荐")
    shoot(phone, "campaigns-nominated-phone.png", full_page=True, artifact=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    desk = new_context(DESKTOP)
    login(desk, "community")
    desk.goto(f"/campaigns/{campaign.pk}/")
    answer_confirm(desk)
    desk.locator("button[data-action=review]").click()
    expect(desk.locator(".messages")).to_contain_text("评审组开始评分")
    form = desk.locator("form.score-form").first
    for field in form.locator("input[type=number]").all():
        field.fill("45")
    form.locator("button[data-action=score]").click()
    expect(desk.locator(".messages")).to_contain_text("评分已保存")
    expect(desk.locator("tr[data-nomination]")).to_contain_text("90.00")
    answer_confirm(desk)
    desk.locator("button[data-action=publicize]").click()
    expect(desk.locator("[data-status]")).to_have_text("公示中")

    # A week later the 公示 is over with no objection: the result is announced.
    with clock.travel(NOW + timedelta(days=8)):
        desk.reload()
        answer_confirm(desk)
        desk.locator("button[data-action=finish]").click()
        expect(desk.locator("[data-status]")).to_have_text("已揭晓")
        shoot(desk, "campaigns-finished-desktop.png", full_page=True, artifact=True)
        assert Campaign.objects.get().status == Campaign.Status.FINISHED and Honour.objects.count() == 1

        phone.goto(f"/community/{campaign.community.code}/#honour-roll")
        roll = phone.locator("#honour-roll")
        expect(roll).to_contain_text("2026 年度最美家庭评选")
        expect(roll).to_contain_text(Honour.objects.get().nomination.public_name)
        head = family.memberships.select_related("person").first().person.name
        expect(roll).not_to_contain_text(head)
        roll.scroll_into_view_if_needed()
        shoot(phone, "campaigns-honour-roll-phone.png", artifact=True)
