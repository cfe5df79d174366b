"""A resident casts a one-tap ballot on her phone (390 px) in the demo community's owners' vote on a lift: the tap
asks first ("投票后不能更改"); 取消 casts nothing, 确定 casts the ballot online. The count line and the thresholds
read as article 278 does, and the page fits the phone's width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests_browser.helpers import PHONE, answer_confirm, login, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "您选择“同意”，确定投票吗？投票后不能更改。"


@pytest.fixture
def lift_vote(demo):
    """The demo community's deliberations: the process templates (seeded by a migration a transactional test before
    this one flushed), then the lift topic with its owners' vote opened at 开展协商, two flats' paper ballots in."""
    from deliberation.demo import load_demo_deliberation
    from deliberation.models import Vote
    from deliberation.processes import ensure_templates

    ensure_templates()
    load_demo_deliberation(demo)
    return Vote.objects.get(status=Vote.Status.OPEN, topic__community=demo.community)


def test_resident_casts_a_one_tap_ballot_after_confirming(lift_vote, new_context):
    from deliberation.models import Ballot

    vote = lift_vote
    assert vote.topic.current_step.name == "开展协商"
    before = vote.ballots.count()
    phone = new_context(PHONE)
    login(phone, "resident")
    phone.locator("nav.nav").get_by_role("link", name="议事·表决").click()
    phone.locator("a.vote-link").first.click()
    expect(phone.locator("main h1")).to_have_text(vote.title)
    turnout = phone.locator("#result .turnout")
    expect(turnout).to_contain_text(re.compile(rf"可投票 \d+ 户 · 已投票 {before} 户"))
    expect(phone.locator("#result .thresholds")).to_contain_text("须达到")
    expect(phone.locator("#result .thresholds")).not_to_contain_text("须超过")

    # she taps 同意 and thinks again: the question is asked, 取消 casts nothing
    agree = phone.locator('button.vote-option[data-option="同意"]')
    asked = answer_confirm(phone, accept=False)
    agree.click()
    phone.wait_for_load_state()
    assert asked == [QUESTION]
    expect(agree).to_be_visible()
    assert not Ballot.objects.filter(vote=vote, person__user__username="resident").exists()

    # she taps again and answers 确定: the ballot is cast online, for her flat
    asked = answer_confirm(phone)
    with phone.expect_navigation():
        agree.click()
    assert asked == [QUESTION]
    expect(phone.locator(".messages")).to_contain_text("投票成功")
    expect(phone.locator(".voted")).to_contain_text("您已投票")
    expect(phone.locator(".voted")).to_contain_text("投票后不能更改")
    expect(phone.locator("button.vote-option")).to_have_count(0)
    expect(turnout).to_contain_text(f"已投票 {before + 1} 户")
    ballot = Ballot.objects.get(vote=vote, person__user__username="resident")
    assert ballot.channel == Ballot.Channel.ONLINE and ballot.option.label == "同意"

    # nothing is wider than the phone
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(phone, "deliberation-voted-phone.png", full_page=True)
