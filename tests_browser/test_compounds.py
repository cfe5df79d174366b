"""小区 in the browser: the community's staff open their community's 小区, see the estate with its elected 业委会, its
property firm (a 红色物业) and the firm's rating, and record the community's assessment; a resident rates the firm on
a phone; anybody sees the same on the community's public page. At 1280 px and 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests_browser.helpers import DESKTOP, PHONE, login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def compounds(demo):
    """The demo district's 小区 (the loader of make run); the demo resident's estate, with its elected 业委会."""
    from compounds.demo import load_demo_compounds
    from compounds.models import Compound

    load_demo_compounds(demo)
    mine = Compound.objects.get(buildings__households__memberships__person__user__username="resident")
    return demo.community, mine


VIEWS = [(DESKTOP, "desktop"), (PHONE, "phone")]


def test_compounds_on_a_desk_and_a_phone(compounds, new_context):
    """One demo district for both widths (it takes minutes to load): staff first, then the public and a resident."""
    for viewport, suffix in VIEWS:
        staff_see_their_compounds(compounds, new_context, viewport, suffix)
    for viewport, suffix in VIEWS:
        public_page_and_a_residents_rating(compounds, new_context, viewport, suffix)


def staff_see_their_compounds(compounds, new_context, viewport, suffix):
    community, mine = compounds
    committee = mine.bodies.get(kind="owners_committee", status="active")
    firm = mine.bodies.get(kind="property", status="active").firm
    page = new_context(viewport)
    login(page, "community")
    page.goto("/hub/")
    page.get_by_role("link", name="小区与红色物业").click()
    expect(page.locator("h1")).to_contain_text(f"{community.name} · 小区与红色物业")
    row = page.locator("tbody tr", has_text=mine.name)
    expect(row.locator("td[data-label=业委会]")).to_contain_text(f"第{committee.term_no}届")
    expect(row.locator("td[data-label=物业]")).to_contain_text(firm.name)
    expect(row.locator("td[data-label=物业]")).to_contain_text("红色物业")
    expect(row.locator("td[data-label=物业评价]")).to_contain_text("÷")
    shoot(page, f"compounds-community-{suffix}.png", full_page=True, artifact=True)

    row.get_by_role("link", name=mine.name).click()
    expect(page.locator("h1")).to_contain_text(mine.name)
    members = list(committee.members.filter(left_at__isnull=True).select_related("person"))
    for member in members:
        expect(page.locator("#committee")).to_contain_text(member.person.name)
    expect(page.locator("#elections")).to_contain_text("已产生")
    expect(page.locator("#property")).to_contain_text(firm.name)
    expect(page.locator("#property")).to_contain_text("红色物业")
    expect(page.locator("#rating")).to_contain_text("满意度")
    shoot(page, f"compounds-detail-{suffix}.png", full_page=True, artifact=True)
    if suffix == "desktop":
        page.locator("#rating summary", has_text="社区测评").click()
        form = page.locator("#rating form", has=page.locator("input[value=assess]"))
        for select in form.locator("select").all():
            select.select_option("4")
        form.get_by_role("button", name="提交测评").click()
        expect(page.locator(".messages")).to_contain_text("已完成社区测评：20 星 / 25")
        expect(page.locator("#rating")).to_contain_text("绿色（良好）")


def public_page_and_a_residents_rating(compounds, new_context, viewport, suffix):
    community, mine = compounds
    committee = mine.bodies.get(kind="owners_committee", status="active")
    firm = mine.bodies.get(kind="property", status="active").firm
    page = new_context(viewport)
    page.goto(f"/community/{community.code}/")
    section = page.locator("#compounds")
    expect(section).to_contain_text("小区自治与红色物业")
    card = section.locator(f"#compound-{mine.pk}")
    expect(card).to_contain_text(f"第{committee.term_no}届业委会")
    expect(card).to_contain_text(firm.name)
    expect(card).to_contain_text("居民评价")
    expect(card).to_contain_text("÷")
    card.scroll_into_view_if_needed()
    shoot(page, f"compounds-public-{suffix}.png", full_page=True, artifact=True)

    if suffix != "phone":
        return
    login(page, "resident")
    page.goto("/hub/")
    page.get_by_role("link", name="评价物业").click()
    form = page.locator("#rating form", has=page.locator("input[value=rate]"))
    for select in form.locator("select").all():
        select.select_option("5")
    form.get_by_role("button", name="提交评价").click()
    expect(page.locator(".messages")).to_contain_text("谢谢您的评价")
    expect(page.locator("#rating")).to_contain_text("您已评价")
    shoot(page, f"compounds-rated-{suffix}.png", full_page=True, artifact=True)
