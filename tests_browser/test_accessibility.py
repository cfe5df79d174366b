"""The resident's pages pass axe-core (no serious or critical violation) at 390 px and 1280 px, in the normal pages
and in 长辈模式, and 长辈模式 is what it promises: text of 18 px and more, contrast of 7:1 (axe's AAA rule), targets
of 48 px and more, kept for the account on another phone.

axe-core is pinned in package.json and copied to static/vendor by ``make static-deps``; it is injected into the
page under test only (``page.add_script_tag``), never served by a page. The contexts bypass the pages' Content
Security Policy for that injection alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests_browser.helpers import DESKTOP, PHONE, login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "static" / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")

# In 长辈模式 also axe's AAA contrast rule (7:1, 4.5:1 for large text), off by default.
RUN_AXE = """async (elder) => {
  const rules = {'color-contrast-enhanced': {enabled: elder}};
  const result = await axe.run(document, {resultTypes: ['violations'], rules});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.replace(/\\s+/g, ' ')),
  }));
}"""

# Every visible element that holds text of its own, with its font size; every visible control, with its size.
MEASURE = """() => {
  const shown = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const small = [];
  for (const e of document.body.querySelectorAll('*')) {
    if (!shown(e) || ['SCRIPT', 'STYLE', 'OPTION'].includes(e.tagName)) continue;
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const size = parseFloat(getComputedStyle(e).fontSize);
    if (own && size < 18) small.push(`${e.tagName}.${e.className} ${size}px "${e.textContent.trim().slice(0, 20)}"`);
  }
  const controls = 'button, select, textarea, summary, input:not([type=hidden]):not([type=radio]):not([type=checkbox]),'
    + ' label:has(> input[type=radio]), label:has(> input[type=checkbox]), .nav a, a.button';
  const tiny = [...document.querySelectorAll(controls)].filter(shown)
    .filter(e => e.getBoundingClientRect().height < 48)
    .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().height)}px "${(e.textContent || e.name).trim().slice(0, 20)}"`);
  return {small, tiny};
}"""


def axe_violations(page: Page) -> list[dict]:
    """The serious and critical violations axe-core finds on the page as it is now (with the 7:1 contrast rule
    when the page is in 长辈模式)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make static-deps` (it copies axe-core from node_modules)")
    page.add_script_tag(path=str(AXE))
    elder = "elder" in (page.locator("html").get_attribute("class") or "")
    return [v for v in page.evaluate(RUN_AXE, elder) if v["impact"] in BLOCKING]


def _describe(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for v in violations:
            lines.append(f"{where}: {v['id']} ({v['impact']}) {v['help']}")
            lines += [f"    {node}" for node in v["nodes"]]
    return "\n".join(lines)


@pytest.fixture
def resident_pages(demo) -> dict[str, str]:
    """The demo community with its deliberations (an owners' vote open for the resident, notices on its public
    page) and one appeal of the resident's answered by the community, waiting for her rating."""
    from django.contrib.auth import get_user_model

    from appeals.models import Appeal, Channel, Status, TriageKind
    from appeals.services import appeal_submit, appeal_triage
    from deliberation.demo import load_demo_deliberation
    from deliberation.models import Vote
    from deliberation.processes import ensure_templates
    from notices.models import Notice

    users = get_user_model().objects
    ensure_templates()
    load_demo_deliberation(demo)
    resident, community = users.get(username="resident"), users.get(username="community")
    appeal = appeal_submit(
        user=resident,
        title="楼道的灯坏了",
        body="3 单元 2 楼到 5 楼的楼道灯一直不亮，晚上上下楼看不见台阶。",
        channel=Channel.APP,
    )
    appeal_triage(
        user=community,
        appeal_id=appeal.pk,
        kind=TriageKind.ANSWER,
        answer="已请物业今天换好灯泡，晚上请再看看亮不亮。",
    )
    assert Appeal.objects.get(pk=appeal.pk).status == Status.COMPLETED
    code = demo.community.code
    notice = Notice.objects.filter(community=demo.community).order_by("-pk").first()
    vote = Vote.objects.get(status=Vote.Status.OPEN, topic__community=demo.community)
    assert notice is not None
    return {
        "首页": "/",
        "我要反映": "/appeals/new/",
        "我的诉求": "/appeals/mine/",
        "诉求详情与评价": f"/appeals/{appeal.pk}/",
        "社区公开页": f"/community/{code}/",
        "公示": f"/community/{code}/notices/{notice.pk}/",
        "议事·表决": "/deliberation/",
        "表决票": f"/deliberation/votes/{vote.pk}/",
    }


PUBLIC = ("社区公开页", "公示")


def _check(page: Page, url: str, where: str, elder: bool, found: dict, sizes: dict) -> None:
    page.goto(url)
    html = page.locator("html")
    if elder:
        expect(html).to_have_class("elder")
        measured = page.evaluate(MEASURE)
        if measured["small"] or measured["tiny"]:
            sizes[where] = measured
    else:
        expect(html).not_to_have_class("elder")
    violations = axe_violations(page)
    if violations:
        found[where] = violations


def _switch(page: Page, to_elder: bool) -> None:
    words = "长辈模式" if to_elder else "退出长辈模式"
    with page.expect_navigation():
        page.locator("header").get_by_role("button", name=words, exact=True).click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_resident_pages_pass_axe_in_both_modes(resident_pages, new_context, viewport):
    # given a visitor on the login and public pages in both modes, then the resident on each of her pages
    page = new_context({**viewport, "bypass_csp": True})
    width = viewport["viewport"]["width"]
    found: dict[str, list[dict]] = {}
    sizes: dict[str, dict] = {}
    for elder in (False, True):
        mode = "长辈模式" if elder else "普通"
        # the visitor: the login page and the community's public pages
        _check(page, "/login/", f"{width}px {mode} 登录", elder, found, sizes)
        for name in PUBLIC:
            _check(page, resident_pages[name], f"{width}px {mode} 访客 {name}", elder, found, sizes)
        if not elder:
            page.goto("/login/")
            _switch(page, to_elder=True)  # the visitor turns it on, kept in a cookie
    # the resident signs in on this device: the mode she turned on as a visitor carries into her account
    login(page, "resident")
    expect(page.locator("html")).to_have_class("elder")
    for elder in (True, False):
        mode = "长辈模式" if elder else "普通"
        for name, url in resident_pages.items():
            _check(page, url, f"{width}px {mode} {name}", elder, found, sizes)
        if elder:
            # the rating form opened, as she would before choosing, and the submit form with what she forgot
            page.goto(resident_pages["诉求详情与评价"])
            rate = page.locator("details#act-rate")
            if rate.get_attribute("open") is None:
                rate.locator("summary").click()
            found[f"{width}px {mode} 评价表"] = axe_violations(page)
            page.goto(resident_pages["我要反映"])
            with page.expect_navigation():
                page.locator("main form").get_by_role("button", name="提交").click()
            expect(page.locator("main .error").first).to_be_visible()
            found[f"{width}px {mode} 提交未填"] = axe_violations(page)
            _switch(page, to_elder=False)
    found = {where: violations for where, violations in found.items() if violations}
    # then axe-core finds nothing serious, and 长辈模式 keeps its sizes on every page
    assert not found, "axe-core found serious or critical violations:\n" + _describe(found)
    assert not sizes, f"长辈模式 has text under 18 px or targets under 48 px: {sizes}"


def test_elder_mode_is_kept_for_the_account_on_another_phone(resident_pages, new_context):
    # given the resident on her phone, who turns 长辈模式 on in the header
    phone = new_context(PHONE)
    login(phone, "resident")
    expect(phone.locator("html")).not_to_have_class("elder")
    _switch(phone, to_elder=True)
    expect(phone.locator("html")).to_have_class("elder")
    expect(phone.locator(".messages")).to_contain_text("已开启长辈模式")
    shoot(phone, "elder-home.png", full_page=True)
    phone.locator("nav.nav").get_by_role("link", name="我要反映").click()
    expect(phone.locator("main h1")).to_have_text("我要反映问题")
    expect(phone.locator("html")).to_have_class("elder")
    shoot(phone, "elder-submit.png", full_page=True)
    # when she signs in on her daughter's phone
    other = new_context(PHONE)
    login(other, "resident")
    # then the pages are in 长辈模式 there too, and she can leave it with one tap
    expect(other.locator("html")).to_have_class("elder")
    _switch(other, to_elder=False)
    expect(other.locator("html")).not_to_have_class("elder")
    expect(other.locator("header").get_by_role("button", name="长辈模式", exact=True)).to_be_visible()
