"""Every staff list page, as the person who reads it, at a desk and on a phone.

At 1280 px a list is a table: its header cells stand over their columns (each <th> has the x and width of the first
row's <td> within 2 px) and it spans the width it is given. At 390 px it is a pile of cards: nothing sticks out
sideways, the header row is hidden, each row is a block and every cell says what it is (data-label). Every table
on these pages is of the one pattern (table.listing). Screenshots: docs/screenshots/list-<page>-{desk,phone}.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests_browser.helpers import DESKTOP, PHONE, login, logout, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY_MANAGEMENT = "青山区城市管理局"  # the unit the `unit` login works at


def _fill_lists(demo) -> list[tuple[str, str, str]]:
    """The demo's 三库联动, project ledger and deliberations, and a few rows of every other list: appeals (two
    neighbours about one lift, a hotspot; one dispatched to the city management bureau), a matching round waiting
    for review, a notice, a routing rule, a monthly report. Returns (name, login, path) for each list page."""
    from django.contrib.auth import get_user_model

    from appeals import services as appeals
    from areas.models import Area
    from categories.models import Category
    from deliberation.demo import load_demo_deliberation
    from evaluation.services import report_request
    from needs.demo import load_demo_needs
    from needs.models import MatchRound, Registration, VolunteerTeam
    from needs.rounds import match_round_run
    from notices.services import notice_publish
    from people.models import Person
    from projects.demo import load_demo_projects
    from triage.services import routing_rule_set
    from units.models import Unit

    load_demo_needs(demo)
    load_demo_projects(demo)
    load_demo_deliberation(demo)
    community = demo.community
    users = get_user_model().objects
    staff = users.get(username="community")
    me = Person.objects.get(user__username="resident")
    building = me.households.first().building
    neighbour = Person.objects.filter(households__building=building).exclude(pk=me.pk).first()
    lift = f"{building.name}电梯又坏了"
    for user, extra in ((users.get(username="resident"), {}), (staff, {"raised_by": neighbour})):
        appeals.appeal_submit(
            user=user, title=lift, body=f"{lift}，老人上下楼困难", channel="app", building=building, **extra
        )
    bureau = Unit.objects.get(name=CITY_MANAGEMENT)
    litter = appeals.appeal_submit(
        user=staff,
        raised_by=neighbour,
        title="小区东门外垃圾桶满了没人清运",
        body="东门外的垃圾桶已经满了三天，气味很大。",
        channel="visit",
        building=building,
    )
    category = Category.objects.filter(parent__isnull=False, is_active=True).order_by("code").first()
    appeals.appeal_triage(user=staff, appeal_id=litter.pk, kind="transfer", category=category)
    appeals.appeal_dispatch(user=staff, appeal_id=litter.pk, unit=bureau, note="请三个工作日内清运")
    match_round_run(actor=staff, community=community)
    notice_publish(
        user=staff,
        community=community,
        kind="other",
        title="2026 年度社区居务收支公示",
        body="收入：上级拨款 12 万元；支出：楼道照明改造 4.8 万元。",
        days=7,
    )
    routing_rule_set(user=staff, category=category.parent, area=community, unit=bureau)
    report_request(user=staff, area=community, month=date(2026, 11, 1), enqueue=False)

    grid = Area.objects.get(pk=building.grid_id)
    registration = Registration.objects.filter(community=community, person__isnull=False).first()
    team = VolunteerTeam.objects.get(community=community)
    round_ = MatchRound.objects.filter(community=community).order_by("-pk").first()
    return [
        ("queue", "community", "/appeals/"),
        ("queue-unit", "unit", "/appeals/"),
        ("areas", "community", "/areas/"),
        ("grid", "community", f"/areas/{grid.pk}/"),
        ("units", "community", "/units/"),
        ("people", "community", "/people/"),
        ("ledger", "community", "/projects/"),
        ("needs", "community", f"/needs/?community={community.pk}"),
        ("round", "community", f"/needs/rounds/{round_.pk}/"),
        ("registration", "community", f"/needs/registrations/{registration.pk}/"),
        ("team", "community", f"/needs/teams/{team.pk}/"),
        ("topics", "community", "/deliberation/"),
        ("notices", "community", f"/community/{community.code}/manage/"),
        ("reports", "community", f"/evaluation/reports/?area={community.pk}"),
        ("hotspots", "community", "/triage/hotspots/"),
        ("routing", "community", "/triage/routing/"),
    ]


# For each table.listing in <main>: the header cells' and the first full row's boxes, the table's width and the
# width of the content box it sits in. A row with a cell spanning columns (the "nothing here" row) is no measure.
MEASURE_TABLES = """() => [...document.querySelectorAll('main table')].map(t => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.x, r.width]; };
  const row = [...t.tBodies[0].rows].find(r => ![...r.cells].some(c => c.colSpan > 1));
  const parent = t.parentElement, style = getComputedStyle(parent);
  return {
    listing: t.classList.contains('listing'),
    head: t.tHead ? [...t.tHead.rows[0].cells].map(c => [c.textContent.trim(), ...box(c)]) : [],
    row: row ? [...row.cells].map(box) : null,
    width: t.getBoundingClientRect().width,
    room: parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
  };
})"""

# On a phone: is any header row shown, any row not a block, any visible cell without its label?
READ_CARDS = """() => {
  const tables = [...document.querySelectorAll('main table')];
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).display !== 'none';
  return {
    tables: tables.length,
    heads: tables.filter(t => t.tHead && shown(t.tHead)).length,
    rows: tables.flatMap(t => [...t.tBodies[0].rows]).length,
    notCards: tables.flatMap(t => [...t.tBodies[0].rows]).filter(r => getComputedStyle(r).display !== 'block').length,
    unlabelled: tables.flatMap(t => [...t.tBodies[0].rows]).flatMap(r => [...r.cells])
      .filter(c => c.colSpan === 1 && shown(c) && !(c.dataset.label || '').trim())
      .map(c => c.textContent.trim().slice(0, 30)),
  };
}"""


def _check_desk(page: Page, name: str) -> None:
    tables = page.evaluate(MEASURE_TABLES)
    assert tables, f"{name}: no table"
    assert any(t["row"] for t in tables), f"{name}: no table has a row to measure"
    for t in tables:
        assert t["listing"], f"{name}: a table that is not table.listing"
        assert abs(t["width"] - t["room"]) <= 2, f"{name}: table {t['width']} px wide in {t['room']} px"
        if t["row"] is None:
            continue
        assert len(t["head"]) == len(t["row"]), (
            f"{name}: {len(t['head'])} header cells, {len(t['row'])} cells"
        )
        for (label, hx, hw), (dx, dw) in zip(t["head"], t["row"], strict=True):
            assert abs(hx - dx) <= 2 and abs(hw - dw) <= 2, (
                f"{name}: header {label!r} at x={hx:.0f} w={hw:.0f}, its column at x={dx:.0f} w={dw:.0f}"
            )


def _check_phone(page: Page, name: str) -> None:
    width, phone = page.evaluate("document.documentElement.scrollWidth"), page.viewport_size["width"]
    assert width <= phone, f"{name} is {width} px wide on a {phone} px phone"
    cards = page.evaluate(READ_CARDS)
    assert cards["tables"] and cards["rows"], f"{name}: no rows"
    assert cards["heads"] == 0, f"{name}: a header row shows on the phone"
    assert cards["notCards"] == 0, f"{name}: {cards['notCards']} rows are not cards"
    assert cards["unlabelled"] == [], f"{name}: cells without a label: {cards['unlabelled']}"


def _walk(page: Page, pages: list[tuple[str, str, str]]) -> Iterator[str]:
    """Each (name, username, path) opened as its user (signing in again only when the user changes), answered
    200; yields the name once the page is open."""
    who = None
    for name, username, path in pages:
        if username != who:
            if who is not None:
                logout(page)
            login(page, username)
            who = username
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{name}: {path} answered {response}"
        yield name


def test_every_staff_list_is_a_table_on_a_desk_and_labelled_cards_on_a_phone(demo, new_context):
    pages = _fill_lists(demo)
    for viewport, kind, check in ((DESKTOP, "desk", _check_desk), (PHONE, "phone", _check_phone)):
        page = new_context(viewport)
        for name in _walk(page, pages):
            expect(page.locator("main table").first).to_be_visible()
            shoot(page, f"list-{name}-{kind}.png", full_page=True, artifact=True)
            check(page, name)


# ---- the newer apps' lists (issues #14–#16): mediation, community life, who is who, and 社区事务 ----------------
def _fill_newer_lists(demo) -> list[tuple[str, str, str]]:
    """The demo's structure, community-life and mediation ledgers, loaded by their own demo steps. Returns (name,
    login, path) for each list page; 社区事务 (/hub/) is cards, not a table, and is only checked for its width."""
    from activities.demo import load_demo_activities
    from campaigns.demo import load_demo_campaigns
    from cobuilding.demo import load_demo_cobuilding
    from councils.demo import load_demo_councils
    from covenants.demo import load_demo_covenants
    from deliberation.processes import ensure_templates
    from disputes.demo import load_demo_disputes
    from estates.demo import load_demo_estates
    from sites.demo import load_demo_sites
    from streets.demo import load_demo_streets
    from visits.demo import load_demo_visits

    ensure_templates()  # the six-step process the covenants are deliberated through (a data migration's rows)
    for step in (
        load_demo_cobuilding, load_demo_estates, load_demo_streets, load_demo_councils, load_demo_sites,
        load_demo_activities, load_demo_visits, load_demo_campaigns, load_demo_covenants, load_demo_disputes,
    ):  # fmt: skip
        step(demo)
    c = demo.community.pk
    return [
        ("disputes", "community", "/disputes/?state=all"),
        ("activities", "community", "/activities/"),
        ("sites", "community", "/sites/"),
        ("bookings", "community", "/sites/bookings/"),
        ("service-ledger", "community", "/sites/ledger/"),
        ("visits", "gridworker", "/visits/?all=1"),
        ("campaigns", "community", "/campaigns/"),
        ("covenants", "community", "/covenants/"),
        ("councils", "community", "/councils/"),
        ("stewards", "community", f"/estates/community/{c}/"),
        ("streets", "community", f"/streets/community/{c}/"),
        ("cobuilding", "community", f"/cobuilding/community/{c}/"),
        ("hub", "community", "/hub/"),
    ]


def _check_width(page: Page, name: str) -> None:
    width, room = page.evaluate("document.documentElement.scrollWidth"), page.viewport_size["width"]
    assert width <= room, f"{name} is {width} px wide in a {room} px window"


# A filter that narrows a list (every row left says what was asked for) and one that leaves nothing (the page says
# so in words, with no empty table): login, the list, the list narrowed, the text each row then holds, and the list
# filtered down to nothing.
FILTERS = [
    ("disputes", "community", "/disputes/?state=all", "/disputes/?state=all&risk=1", "", "/disputes/?state=all&q=查无此案"),
    ("activities", "community", "/activities/", "/activities/?kind=party_lesson", "微党课", "/activities/?month=2001-01"),
    ("service-ledger", "community", "/sites/ledger/?month=2026-11", "/sites/ledger/?month=2026-11&kind=errand", "代办",
     "/sites/ledger/?month=2001-01"),
]  # fmt: skip
# The rows of the page's last list (the ledger's records come after its summary table), less a "nothing here" row.
DATA_ROWS = """() => { const t = [...document.querySelectorAll('main table.listing')].pop();
  return t ? [...t.tBodies[0].rows].filter(r => ![...r.cells].some(c => c.colSpan > 1)).map(r => r.innerText) : []; }"""
EMPTY_WORDS = re.compile("没有|暂无|尚无|还没有|无记录|未找到")


def _check_filters(page: Page) -> None:
    who = None
    for name, username, everything, narrowed, holds, nothing in FILTERS:
        if username != who:
            logout(page)
            login(page, username)
            who = username
        page.goto(everything)
        before = page.evaluate(DATA_ROWS)
        page.goto(narrowed)
        rows = page.evaluate(DATA_ROWS)
        assert rows, f"{name}: {narrowed} leaves no row"
        assert len(rows) < len(before), f"{name}: {narrowed} shows as many rows as {everything}"
        assert all(holds in row for row in rows), f"{name}: a row of {narrowed} without {holds!r}"
        _check_width(page, name)
        page.goto(nothing)
        assert page.evaluate(DATA_ROWS) == [], f"{name}: {nothing} still shows rows"
        assert EMPTY_WORDS.search(page.locator("main").inner_text()), (
            f"{name}: {nothing} does not say it is empty"
        )
        shoot(page, f"list-{name}-empty-phone.png", full_page=True, artifact=True)
        _check_width(page, name)


def test_the_newer_lists_on_a_desk_and_on_a_phone(demo, new_context):
    pages = _fill_newer_lists(demo)
    for viewport, kind, check in ((DESKTOP, "desk", _check_desk), (PHONE, "phone", _check_phone)):
        page = new_context(viewport)
        for name in _walk(page, pages):
            # a year of demo rows makes some pages very long: on the phone, the first screens are what one reads
            shoot(page, f"list-{name}-{kind}.png", full_page=kind == "desk", artifact=True)
            _check_width(page, name)
            if name != "hub":
                check(page, name)
            # a row of tabs (the disputes board's states) keeps each label on one line, scrolling sideways if need be
            heights = page.evaluate(
                "[...document.querySelectorAll('main nav.tabs a')].map(a => a.offsetHeight)"
            )
            assert max(heights, default=0) < 50, f"{name}: a tab's label wraps ({heights} px high)"
    _check_filters(page)  # on the phone
