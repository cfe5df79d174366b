"""Irreversible steps ask first (static/confirm.js, data-confirm): dispatching a matching round, publishing a notice
and publishing the monthly report on the notice board each open a confirmation dialog; "取消" changes nothing, "确定"
does the step. The same attribute asks before an htmx request, an element that also has hx-confirm is asked once,
not twice, and a search field sending as one types does not take the sentence of the form it sits in."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests_browser.helpers import DESKTOP, answer_confirm, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICE = "2026 年度社区居务收支公示"


@pytest.fixture
def community_data(demo, settings, tmp_path):
    """The demo's 三库联动 (offers and open needs) and the main community's report of November 2026, generated."""
    from django.contrib.auth import get_user_model

    from evaluation.services import report_generate, report_request
    from needs.demo import load_demo_needs

    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo_needs(demo)
    staff = get_user_model().objects.get(username="community")
    queued = report_request(user=staff, area=demo.community, month=date(2026, 11, 1), enqueue=False)
    return report_generate(report_id=queued.pk)


def _cancel_then_confirm(page: Page, button, words: str, unchanged) -> None:
    """Click ``button`` and answer 取消: the question has ``words`` in it, the page stays and ``unchanged()`` holds.
    Then click it again and answer 确定: the form is sent."""
    before = page.url
    asked = answer_confirm(page, accept=False)
    button.click()
    assert len(asked) == 1 and words in asked[0], asked
    page.wait_for_load_state()
    assert page.url == before
    assert unchanged()
    asked = answer_confirm(page)
    with page.expect_navigation():
        button.click()
    assert len(asked) == 1


def test_dispatching_a_round_and_publishing_ask_first_and_cancel_changes_nothing(community_data, new_context):
    from appeals.models import Appeal
    from evaluation.models import MonthlyReport
    from needs.models import MatchRound
    from notices.models import Notice

    report = community_data
    desk = new_context(DESKTOP)
    login(desk, "community")

    # 三库联动: a new round waits for review; dispatching it asks first
    desk.locator("nav.nav").get_by_role("link", name="三库联动").click()
    with desk.expect_navigation():
        desk.locator('button[data-action="match"]').click()
    expect(desk.locator(".messages")).to_contain_text("匹配完成")
    round_ = MatchRound.objects.latest("pk")
    orders = Appeal.objects.filter(kind="service_order").count()
    dispatch = desk.locator('button[data-action="dispatch"]')
    asked = answer_confirm(desk, accept=False)
    dispatch.click()
    assert len(asked) == 1 and "派出" in asked[0] and "不能撤回" in asked[0], asked
    desk.wait_for_load_state()
    round_.refresh_from_db()
    assert round_.status == "proposed" and Appeal.objects.filter(kind="service_order").count() == orders
    expect(desk.locator(".messages")).not_to_contain_text(
        "服务单已派出"
    )  # still the round page, nothing sent
    answer_confirm(desk)
    with desk.expect_navigation():
        dispatch.click()
    expect(desk.locator(".messages")).to_contain_text("服务单已派出")
    round_.refresh_from_db()
    assert round_.status == "dispatched" and Appeal.objects.filter(kind="service_order").count() > orders

    # 公示管理: publishing a notice asks first; 取消 keeps what was typed and publishes nothing
    desk.goto(f"/community/{round_.community.code}/manage/")
    form = desk.locator("details#publish-notice")
    form.get_by_label("类型").select_option(label="其他公示")
    form.get_by_label("标题").fill(NOTICE)
    form.get_by_label("公示内容").fill("收入：上级拨款 12 万元；支出：楼道照明改造 4.8 万元。")
    publish = form.locator('button[data-action="publish"]')
    asked = answer_confirm(desk, accept=False)
    publish.click()
    assert len(asked) == 1 and "发布这条公示" in asked[0], asked
    desk.wait_for_load_state()
    assert not Notice.objects.filter(title=NOTICE).exists()
    expect(form.get_by_label("标题")).to_have_value(NOTICE)
    answer_confirm(desk)
    with desk.expect_navigation():
        publish.click()
    expect(desk.locator(".messages")).to_contain_text(f"已发布公示：{NOTICE}")
    assert Notice.objects.filter(title=NOTICE, community=round_.community).count() == 1

    # 评单通报: publishing the monthly report on the notice board asks first too
    desk.goto(f"/evaluation/reports/?area={report.area_id}")
    row = desk.locator("tbody tr").filter(has_text="2026年11月")
    published = Notice.objects.filter(subject_type="evaluation.monthlyreport", subject_id=report.pk)
    _cancel_then_confirm(
        desk,
        row.get_by_role("button", name="在公示栏发布"),
        "公示栏",
        unchanged=lambda: not published.exists() and not MonthlyReport.objects.get(pk=report.pk).published_at,
    )
    expect(desk.locator(".messages")).to_contain_text("已在 1 个社区公示栏发布")
    expect(row).to_contain_text("已公示")
    report.refresh_from_db()
    assert report.published_at is not None
    assert published.count() == 1


def test_data_confirm_asks_before_an_htmx_request_and_hx_confirm_is_asked_once(demo, new_context):
    page = new_context(DESKTOP)
    login(page, "community")
    page.goto("/units/")
    page.wait_for_function("() => window.htmx !== undefined")
    # an htmx form as a template would write it: data-confirm on the form, one with hx-confirm as well
    page.evaluate(
        """() => {
      const main = document.querySelector('main');
      for (const [id, extra] of [['plain', {}], ['both', {'hx-confirm': '真的要刷新吗？'}]]) {
        const form = document.createElement('form');
        form.setAttribute('hx-get', '/units/?kind=police');
        form.setAttribute('hx-target', '#out-' + id);
        form.setAttribute('hx-select', 'main table');
        form.dataset.confirm = '确认刷新单位列表吗？';
        for (const [k, v] of Object.entries(extra)) form.setAttribute(k, v);
        form.innerHTML = '<button id="go-' + id + '">刷新</button>';
        const out = document.createElement('div');
        out.id = 'out-' + id;
        main.append(form, out);
        htmx.process(form);
      }
    }"""
    )
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "kind=police" in r.url else None)

    asked = answer_confirm(page, accept=False)
    page.click("#go-plain")
    page.wait_for_timeout(300)
    assert asked == ["确认刷新单位列表吗？"] and sent == []

    asked = answer_confirm(page)
    with page.expect_request(lambda r: "kind=police" in r.url):
        page.click("#go-plain")
    expect(page.locator("#out-plain table")).to_be_visible()
    assert asked == ["确认刷新单位列表吗？"]

    dialogs: list[str] = []

    def count(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", count)
    with page.expect_request(lambda r: "kind=police" in r.url):
        page.click("#go-both")
    expect(page.locator("#out-both table")).to_be_visible()
    assert dialogs == ["真的要刷新吗？"]  # htmx asks its hx-confirm; data-confirm does not ask a second time

    # a search field that sends as one types, inside a form that asks before it is submitted, never asks
    page.evaluate(
        """() => {
      const form = document.createElement('form');
      form.dataset.confirm = '确认提交吗？';
      form.innerHTML = '<input id="search" name="q" hx-get="/units/?kind=police" hx-trigger="input"'
        + ' hx-target="#out-search" hx-select="main table"><div id="out-search"></div>';
      document.querySelector('main').append(form);
      htmx.process(form);
    }"""
    )
    with page.expect_request(lambda r: "kind=police" in r.url):
        page.locator("#search").press_sequentially("派")
    expect(page.locator("#out-search table")).to_be_visible()
    assert dialogs == ["真的要刷新吗？"]
