"""The evaluation dashboards in a real browser: the district and a community, the trend and the grid map drawn
by ECharts from the grids' own shapes; screenshots for the README (docs/screenshots/dashboard-*.png)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests_browser.helpers import DESKTOP, login, logout, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill(district, count: int = 3000) -> None:
    """Plain appeal rows over 14 months (bulk, for pictures), then the figures rebuilt and the grids drawn."""
    from appeals.models import Appeal
    from areas.models import Area
    from categories.models import Category
    from evaluation.rebuild import rebuild_figures
    from evaluation.shapes import draw_grids
    from linli import clock
    from people.models import Person
    from units.models import Unit

    rng = random.Random(5)
    grids = list(Area.objects.filter(kind="grid", path__startswith=district.path).select_related("parent"))
    units = list(Unit.objects.all()[:12])
    categories = list(Category.objects.filter(parent__isnull=False))
    person = Person.objects.first()
    now = clock.now()
    rows = []
    for i in range(count):
        grid = rng.choice(grids)
        community = grid if grid.kind == "community" else Area.objects.get(pk=grid.ancestor_ids()[2])
        sub = now - timedelta(days=rng.uniform(0, 420))
        quality = 0.6 + 0.4 * (hash(grid.pk) % 7) / 7
        done = rng.random() < 0.93
        late = rng.random() > quality
        a = Appeal(
            title=f"诉求 {i}",
            body="居民反映",
            community=community,
            grid=grid,
            area_path=grid.path,
            channel=rng.choice(["app", "visit", "hotline", "counter"]),
            raised_by=person,
            category=rng.choice(categories),
            status="closed" if done else "accepted",
            triage_kind="transfer",
            unit=rng.choice(units),
            submitted_at=sub,
            dispatched_at=sub,
            first_dispatched_at=sub,
            contact_due=sub + timedelta(hours=24),
            resolve_due=sub + timedelta(days=7),
            contacted_at=sub + timedelta(hours=30 if late else rng.uniform(1, 20)),
            contact_overdue=late,
            completed_at=sub + timedelta(days=rng.uniform(1, 9)) if done else None,
        )
        if done:
            a.resolve_overdue = a.completed_at > a.resolve_due
            a.rated_at = a.closed_at = a.completed_at + timedelta(hours=20)
            r = rng.random()
            a.satisfaction = (
                "satisfied" if r < quality else ("basically_satisfied" if r < 0.95 else "unsatisfied")
            )
            a.resolved = a.satisfaction != "unsatisfied"
        rows.append(a)
    Appeal.objects.bulk_create(rows, batch_size=1000)
    draw_grids(district)
    rebuild_figures()


def test_dashboards_show_figures_trend_and_the_grid_map(demo, new_context):
    _fill(demo.district)
    page = new_context(DESKTOP)
    login(page, "district")
    page.get_by_role("link", name="统计").click()
    expect(page.locator("h1")).to_contain_text("青山区")
    expect(page.locator(".figure-card").first).to_contain_text("响应率")
    expect(page.locator("#trend-chart svg")).to_be_visible()
    expect(page.locator("#grid-map svg path").first).to_be_visible()
    page.select_option("#map-figure", "satisfaction_rate")
    expect(page.locator("#table-children")).to_contain_text("青江路街道")
    shoot(page, "dashboard-district.png", full_page=True)
    # drill down: subdistrict → community
    page.locator("#table-children a", has_text="青江路街道").click()
    page.locator("#table-children a", has_text="松园社区").click()
    expect(page.locator("h1")).to_contain_text("松园社区")
    expect(page.locator("#grid-map svg path").first).to_be_visible()
    shoot(page, "dashboard-community.png", full_page=True)
    # the number behind a figure opens the queue with those appeals
    page.locator(".figure-card", has_text="超时件数").locator("a").click()
    expect(page.locator("p.hint")).to_contain_text("计入超时数")
    page.goto("/evaluation/rankings/")
    expect(page.locator("#table-community")).to_contain_text("松园社区")
    shoot(page, "dashboard-rankings.png")

    # a rate's shortfall opens exactly the appeals that missed it
    page.goto("/evaluation/")
    page.locator(".figure-card", has_text="满意率").get_by_role("link", name="评价不满意").click()
    expect(page.locator("p.hint")).to_contain_text("评价不满意")
    logout(page)

    # unit staff see their own unit's work and rank; service orders have the same figures, apart
    login(page, "unit")
    page.locator("nav.nav").get_by_role("link", name="统计").click()
    expect(page.locator("h1")).to_contain_text("城市管理局")
    expect(page.locator("p.hint").first).to_contain_text("个承办单位中排第")
    expect(page.locator("#trend-chart svg")).to_be_visible()
    shoot(page, "dashboard-unit.png", full_page=True)
    page.get_by_role("navigation", name="统计对象").get_by_role("link", name="三库联动服务单").click()
    expect(page.locator("h1")).to_contain_text("三库联动服务单评单统计")
