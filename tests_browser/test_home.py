"""The day's work on the home page, in a real browser: each of a grid worker, community staff, unit staff and a
resident opens their home on a phone (390 px) and on a desk (1280 px), sees the counts, and a tap on a count opens
the list with that many rows. Screenshots for the README: docs/screenshots/home-<role>.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests_browser.helpers import DESKTOP, PHONE, login, shoot
from web.tests.test_home import EXPECTED, day  # noqa: F401  (the day's appeals and vote in 幸福社区)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# the rows of each list a count opens
ROWS = {
    "/appeals/mine/": "ul.appeal-cards > li.card",
    "/inbox/": "ul.inbox > li:not(.muted)",
    "/deliberation/": "ul.vote-cards > li:not(.muted)",
}
SHOTS = {"gridworker": PHONE, "resident": PHONE, "community": DESKTOP, "unit": DESKTOP}


@pytest.fixture
def templates(browser_db):
    """The process templates a topic needs (a migration's rows, gone from a transactional test's database)."""
    from deliberation.processes import ensure_templates

    ensure_templates()


def rows_shown(page: Page) -> int:
    path = re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]
    if path == "/appeals/":  # the work queue says how many it holds, over all its pages
        return int(re.search(r"共 (\d+) 件", page.inner_text("main")).group(1))
    return page.locator(ROWS[path]).count()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desk"])
@pytest.mark.parametrize("persona", ["gridworker", "community", "unit", "resident"])
def test_the_day_s_work_opens_its_lists(templates, day, new_context, persona, viewport):  # noqa: F811
    page = new_context(viewport)
    login(page, persona, day.password)
    page.goto("/")
    tasks = page.locator("section.tasks a.task")
    counts = {
        tasks.nth(i).get_attribute("data-task"): int(tasks.nth(i).locator("b").inner_text())
        for i in range(tasks.count())
    }
    expected = EXPECTED[persona]
    assert {k: v for k, v in counts.items() if k != "unread"} == expected
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["viewport"]["width"], "the home page scrolls sideways"
    if viewport is SHOTS[persona]:
        shoot(page, f"home-{persona}.png", full_page=True)
    # a tap on each count opens a list of exactly that many rows
    for key, count in counts.items():
        page.goto("/")
        with page.expect_navigation():
            page.click(f'section.tasks a.task[data-task="{key}"]')
        assert rows_shown(page) == count, key
