"""Who is who in the community, in the browser: the community's staff open their community and see its party
tree, its co-building units and what they did this year, its councils, and its building heads, on a desk and on a
phone; a resident sees the names the community publishes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests_browser.helpers import DESKTOP, PHONE, login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def structure(demo):
    """The demo district's structure (the loaders of make run), and one project the property firm claimed."""
    from django.contrib.auth import get_user_model

    from access.models import RoleAssignment
    from cobuilding.demo import load_demo_cobuilding
    from cobuilding.services import agreement_create
    from councils.demo import load_demo_councils
    from estates.demo import load_demo_estates
    from linli import clock
    from projects.services import project_claim, project_create

    load_demo_cobuilding(demo)
    load_demo_estates(demo)
    load_demo_councils(demo)
    community = demo.community
    users = get_user_model().objects
    firm = RoleAssignment.objects.get(user__username="property", role="unit_staff").unit
    today = clock.now().date()
    from cobuilding.models import Agreement

    if not Agreement.objects.filter(unit=firm, community=community).exists():
        agreement_create(
            user=users.get(username="admin"),
            community=community,
            unit=firm,
            title="红色物业共建协议",
            starts_on=today.replace(month=1, day=1),
            ends_on=today.replace(year=today.year + 2),
        )
    project = project_create(
        user=users.get(username="community"),
        community=community,
        kind="co_building",
        title="楼道照明改造",
        description="更换 3 栋楼的楼道灯",
    )
    project_claim(user=users.get(username="property"), project_id=project.pk, unit=firm)
    return community, firm


@pytest.mark.parametrize("viewport, suffix", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_staff_see_who_is_who_in_their_community(structure, new_context, viewport, suffix):
    community, firm = structure
    page = new_context(viewport)
    login(page, "community")
    page.goto("/hub/")
    page.get_by_role("link", name="党建与共建").click()
    expect(page.locator("h1")).to_contain_text(f"{community.name} · 党建与共建")
    tree = page.locator("#party-tree")
    expect(tree).to_contain_text("社区大党委")
    expect(tree).to_contain_text("网格党支部")
    expect(tree).to_contain_text("楼栋党小组")
    expect(tree).to_contain_text("书记")
    row = page.locator("#cobuilding tr", has_text=firm.name)
    expect(row.locator("td[data-label=认领项目]")).to_have_text("1")
    shoot(page, f"structure-cobuilding-{suffix}.png", full_page=True, artifact=True)

    page.goto(f"/areas/{community.pk}/")
    for key, words in [
        ("party-tree", "楼栋党小组覆盖率"),
        ("cobuilding", firm.name),
        ("councils", "党建联盟"),
        ("stewards", "楼长制覆盖率"),
    ]:
        expect(page.locator(f"#{key}")).to_contain_text(words)
    expect(
        page.locator("#stewards td[data-label=楼长]").filter(has_text=re.compile(r"\S")).first
    ).to_be_visible()
    shoot(page, f"structure-area-{suffix}.png", full_page=True, artifact=True)

    page.locator("#councils a", has_text="党建联盟").click()
    expect(page.locator("#decisions")).to_contain_text("项目 #")
    page.get_by_role(
        "link", name=f"{page.locator('tbody tr').first.locator('a').first.inner_text()}"
    ).first.click()
    shoot(page, f"structure-meeting-{suffix}.png", full_page=True, artifact=True)


def test_the_public_page_names_secretaries_and_building_heads(structure, new_context):
    community, _ = structure
    page = new_context(PHONE)
    page.goto(f"/community/{community.code}/")
    expect(page.locator("#structure")).to_contain_text("书记")
    expect(page.locator("#stewards")).to_contain_text("楼长")
    shoot(page, "structure-public-phone.png", full_page=True, artifact=True)
