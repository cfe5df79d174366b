"""智能分拨 in the browser: the dispatcher opens an appeal about a street light and finds the unit preselected with
the rule that chose it, and the same-day appeal about the same light in the same building (in other words) with a
one-click merge; at 1280 px and at 390 px.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests_browser.helpers import DESKTOP, PHONE, answer_confirm, login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _two_reports_of_one_light(demo) -> tuple[int, int, str, str]:
    """The resident's report, then the grid worker's for a neighbour in the same building, the same day."""
    from django.contrib.auth import get_user_model

    from appeals import services
    from categories.models import Category
    from people.models import HouseholdMember
    from triage.demo import load_demo_triage
    from triage.routing import rule_for

    load_demo_triage(demo)
    users = get_user_model().objects
    resident = users.get(username="resident")
    home = HouseholdMember.objects.filter(person__user=resident).select_related("household__building").first()
    assert home is not None
    building = home.household.building
    neighbour = (
        HouseholdMember.objects.filter(household__building=building)
        .exclude(person__user=resident)
        .select_related("person")
        .first()
    )
    assert neighbour is not None
    lights = Category.objects.get(code="CXJS-SZSS")
    first = services.appeal_submit(
        user=resident,
        title="1号楼东侧路灯连续一周不亮",
        body="我住1号楼，东侧的路灯连续一周不亮了，晚上老人出门看不清路。",
        channel="app",
        building=building,
    )
    second = services.appeal_submit(
        user=users.get(username="gridworker"),
        title="丽景湾1号楼东边路灯坏了",
        body="走访时居民反映，1号楼东边的路灯坏了，晚上很黑。",
        channel="visit",
        raised_by=neighbour.person,
        building=building,
        category=lights,
    )
    rule = rule_for(lights, second.area_path)
    assert rule is not None
    return first.pk, second.pk, rule.unit.name, str(rule.unit.pk)


def _dispatcher_sees_unit_reason_and_duplicate(page: Page, first: int, unit: str, unit_pk: str) -> None:
    suggestion = page.locator("#triage-suggestion")
    expect(suggestion.get_by_test_id("suggested-unit")).to_have_text(unit)
    expect(suggestion.get_by_test_id("suggested-reason")).to_have_text(
        f"规则：城乡建设/市政设施 × 青山区 → {unit}"
    )
    details = page.locator("details#act-dispatch")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(details.locator("select[name=unit]")).to_have_value(unit_pk)
    duplicates = page.locator("#triage-duplicates")
    expect(duplicates).to_contain_text("1号楼东侧路灯连续一周不亮")
    expect(duplicates).to_contain_text("同一楼栋")
    expect(duplicates.locator(f'button[data-action="merge-into-{first}"]')).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def test_the_dispatcher_sees_the_preselected_unit_with_its_reason_and_merges_the_duplicate(demo, new_context):
    first, second, unit, unit_pk = _two_reports_of_one_light(demo)

    phone = new_context(PHONE)
    login(phone, "community")
    phone.goto(f"/appeals/{second}/")
    _dispatcher_sees_unit_reason_and_duplicate(phone, first, unit, unit_pk)
    shoot(phone, "triage-dispatch-390.png", full_page=True)

    desk = new_context(DESKTOP)
    login(desk, "community")
    desk.goto(f"/appeals/{second}/")
    _dispatcher_sees_unit_reason_and_duplicate(desk, first, unit, unit_pk)
    shoot(desk, "triage-dispatch-1280.png", full_page=True)

    # one click merges it into the first report, after the page asks
    asked = answer_confirm(desk)
    with desk.expect_navigation():
        desk.locator(f'#triage-duplicates button[data-action="merge-into-{first}"]').click()
    assert asked and "不能撤销" in asked[0]
    expect(desk.locator(".messages")).to_contain_text("已合并")

    from appeals.models import Appeal

    merged = Appeal.objects.get(pk=second)
    assert merged.status == "merged" and merged.merged_into_id == first
