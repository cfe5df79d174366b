"""Deliberation in the browser, as the demo community: staff take a topic through all six steps (publish, a
meeting with attendance and minutes, an owners' vote on adding a lift to a building, implement, publish the
result, report back); the resident votes and evaluates on her phone; the public page shows the notices.

Two waits of days are skipped by moving the recorded times into the past (the notice period, the vote's
closing time), as a week passing would.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from linli import clock
from tests_browser.helpers import DESKTOP, PHONE, answer_confirm, login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _submit(page: Page, details_id: str, action: str, fill=None, expect_text: str | None = None) -> None:
    details = page.locator(f"details#{details_id}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    if fill is not None:
        fill(details)
    with page.expect_navigation():
        details.locator(f'button[data-action="{action}"]').click()
    if expect_text:
        expect(page.locator(".messages")).to_contain_text(expect_text)


def _advance(page: Page, to_step: str | None) -> None:
    _submit(page, "act-advance", "advance", expect_text="已完成本步骤")
    if to_step:
        expect(page.locator(".step-current")).to_contain_text(to_step)


@pytest.fixture
def templates(demo):
    """The process templates are seeded by a data migration; a transactional test before this one flushed them."""
    from deliberation.processes import ensure_templates

    ensure_templates()


def test_six_steps_of_a_lift_topic(demo, templates, new_context):
    from access.models import RoleAssignment
    from deliberation.models import Topic, Vote
    from notices.models import Notice

    building = RoleAssignment.objects.get(user__username="building", role="building_head").building
    title = f"{building.name}加装电梯"
    desk = new_context(DESKTOP)
    login(desk, "community")
    desk.locator("nav.nav").get_by_role("link", name="议事", exact=True).click()
    expect(desk.locator("main h1")).to_have_text("协商议事")

    # 1 确定议题
    def new_topic(d):
        d.locator("[name=title]").fill(title)
        d.locator("[name=body]").fill("老旧多层住宅没有电梯，老人上下楼难，居民提议加装电梯。")
        d.locator("[name=building]").select_option(label=building.name)
        d.locator("[name=affected_parties]").fill("全体业主、一楼住户")

    _submit(desk, "new-topic", "new-topic", new_topic, "已确定议题")
    expect(desk.locator("main h1")).to_have_text(title)
    expect(desk.locator(".step-current")).to_contain_text("确定议题")
    _advance(desk, "公示告知")

    # 2 公示告知: refused with the reason, then the notice; its week passes
    _submit(desk, "act-advance", "advance")
    expect(desk.locator(".messages")).to_contain_text("尚未发布议题公示")
    _submit(
        desk,
        "act-notice",
        "notice",
        lambda d: d.locator("[name=body]").fill("拟加装电梯一部，方案见单元门口。"),
        "已发布公示",
    )
    expect(desk.locator(".current-step")).to_contain_text("公示期满后才能进入下一步")
    topic = Topic.objects.get(title=title)
    past = clock.now() - timedelta(days=8)
    Notice.objects.filter(subject_id=topic.pk).update(starts_at=past, ends_at=past + timedelta(days=7))
    desk.reload()
    _advance(desk, "开展协商")

    # 3 开展协商: a 居民议事会 with 1+6+X, attendance and minutes
    def meeting(d):
        d.locator("[name=form]").select_option(label="居民议事会")
        d.locator("[name=title]").fill("居民议事会：加装电梯")
        d.locator("[name=place]").fill("社区居民议事厅")
        d.locator("[name=starts_at]").fill(_local(clock.now() - timedelta(minutes=30)))

    _submit(desk, "act-meeting", "meeting", meeting, "已安排会议")
    expect(desk).to_have_url(re.compile(r"/deliberation/meetings/\d+/$"))
    names = {"two_committees": "李卫东", "supervisory": "张国强", "property": "赵海涛", "legal": "王律师",
             "co_building": "区住建局", "resident_rep": "马德胜", "affected": "一楼住户代表、六楼住户代表"}  # fmt: skip

    def invite(d):
        for party, name in names.items():
            d.locator(f"[name={party}]").fill(name)

    _submit(desk, "act-invite", "invite", invite, "已邀请 8 位参会人")
    for box in desk.locator("form.attendance input[type=checkbox]").all():
        box.check()
    with desk.expect_navigation():
        desk.locator('button[data-action="attendance"]').click()
    expect(desk.locator(".messages")).to_contain_text("到会 9 人")

    def minutes(d):
        d.locator("[name=minutes]").fill("各方同意加装电梯方案，物业负责维保；须经业主共同决定。")
        d.locator("[name=decision]").fill("同意加装电梯方案，提交业主表决")

    _submit(desk, "act-minutes", "minutes", minutes, "已记录会议纪要")
    shoot(desk, "deliberation-meeting.png", full_page=True)
    desk.get_by_role("link", name=re.compile(title)).click()

    # the owners' vote (Civil Code art. 278, ordinary matter)
    def vote(d):
        d.locator("[name=title]").fill(f"是否同意{building.name}加装电梯")
        d.locator("[name=question]").fill("按公示方案加装电梯，费用按楼层分摊。")
        d.locator("[name=opens_at]").fill(_local(clock.now() - timedelta(minutes=5)))
        d.locator("[name=closes_at]").fill(_local(clock.now() + timedelta(days=7)))

    _submit(desk, "act-vote", "vote", vote, "已发起表决")
    vote_url = desk.url

    # the resident votes on her phone
    phone = new_context(PHONE)
    login(phone, "resident")
    phone.locator("nav.nav").get_by_role("link", name="议事·表决").click()
    phone.locator("a.vote-link").first.click()
    expect(phone.locator("main h1")).to_contain_text("加装电梯")
    shoot(phone, "deliberation-vote-phone.png", full_page=True)
    asked = answer_confirm(phone)
    with phone.expect_navigation():
        phone.locator('button.vote-option[data-option="同意"]').click()
    assert asked and "投票后不能更改" in asked[0]
    expect(phone.locator(".messages")).to_contain_text("投票成功")
    expect(phone.locator(".voted")).to_contain_text("您已投票")

    # staff enter paper ballots for the other owners' flats
    desk.goto(vote_url)
    while desk.locator("details#act-paper select[name=household] option").count():
        _submit(
            desk,
            "act-paper",
            "paper",
            lambda d: d.locator("select[name=option]").select_option(label="同意"),
            "已录入纸质选票",
        )
        expect(desk.locator(".messages")).not_to_contain_text("不能")
    # the week passes; the vote is closed and counted
    vote_row = Vote.objects.get(topic=topic)
    Vote.objects.filter(pk=vote_row.pk).update(
        opens_at=clock.now() - timedelta(days=8), closes_at=clock.now() - timedelta(minutes=1)
    )
    asked = answer_confirm(desk)
    with desk.expect_navigation():
        desk.locator('button[data-action="close"]').click()
    assert asked and "结束表决" in asked[0]
    expect(desk.locator(".messages")).to_contain_text("表决已结束")
    expect(desk.locator(".outcome")).to_have_text("通过")
    expect(desk.locator(".thresholds li.met")).to_have_count(4)
    shoot(desk, "deliberation-vote-result.png", full_page=True)
    desk.get_by_role("link", name=re.compile(title)).click()
    _advance(desk, "组织实施")

    # 4 组织实施: a task, done
    def task(d):
        d.locator("[name=title]").fill("委托有资质单位安装电梯")
        d.locator("[name=unit]").select_option(index=1)

    _submit(desk, "act-task", "task", task, "已安排实施任务")
    desk.get_by_label("完成情况：委托有资质单位安装电梯").fill("电梯已安装并通过验收")
    with desk.expect_navigation():
        desk.locator('button[data-action="task_done"]').click()
    _advance(desk, "公示结果")

    # 5 公示结果, 6 反馈情况
    _submit(
        desk,
        "act-result",
        "result_notice",
        lambda d: d.locator("[name=body]").fill("电梯已安装验收，投入使用。"),
        "已发布公示",
    )
    _advance(desk, "反馈情况")
    _submit(
        desk,
        "act-feedback",
        "feedback",
        lambda d: d.locator("[name=body]").fill("电梯已投用，欢迎居民评议。"),
        "已反馈情况",
    )

    # the resident evaluates on her phone
    phone.goto(desk.url)
    phone.get_by_label("满意", exact=True).check()
    with phone.expect_navigation():
        phone.locator('button[data-action="evaluate"]').click()
    expect(phone.locator(".messages")).to_contain_text("感谢您的评议")

    desk.reload()
    _advance(desk, None)
    expect(desk.locator("main h1 + p .status")).to_have_text("已完成")
    expect(desk.locator(".step-done")).to_have_count(6)
    shoot(desk, "deliberation-topic.png", full_page=True)

    # anybody reads the community's notices without logging in
    public = new_context(PHONE)
    public.goto(f"/community/{topic.community.code}/")
    expect(public.locator("main h1")).to_contain_text("阳光居务")
    expect(public.locator("#notices")).to_contain_text(f"结果公示：{title}")
    shoot(public, "community-public.png", full_page=True)
