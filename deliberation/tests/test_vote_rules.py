"""When a vote may be opened (only at its topic's voting step), and who is counted: the count line, the result and
the list of flats offered a paper ballot come from one roll, so 可投票 = 已投票 + 未投票 and the flats not yet voted
are exactly those offered a paper ballot. The ballot and closing buttons ask before an irreversible step."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from areas.services import household_create
from deliberation import services, voting
from deliberation.electorate import turnout
from deliberation.models import Ballot, Vote
from deliberation.tally import result_for
from deliberation.tests.conftest import option, to_voting_step
from linli import clock
from linli.errors import TransitionError

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
TAGS = re.compile(r"<[^>]+>")


@pytest.fixture
def nine_thirty(world):
    """Everything in these tests happens at 09:30 on 2 December 2026, whatever the real date."""
    with clock.at(NOW):
        yield NOW


def _vote_args(world, topic, **kw):
    return {
        "user": world.community, "topic_id": topic.pk, "title": "是否同意 1 号楼加装电梯", "question": "按方案加装。",
        "electorate": "owners", "buildings": [world.b1a], "matter": "ordinary",
        "opens_at": NOW - timedelta(minutes=1), "closes_at": NOW + timedelta(days=7), **kw,
    }  # fmt: skip


def text_of(response) -> str:
    return re.sub(r"\s+", " ", TAGS.sub(" ", response.content.decode()))


# ---- a vote is opened at the voting step only ----------------------------------------------------------------
def test_a_vote_is_refused_before_the_voting_step(world, nine_thirty, lift):
    # given the lift topic at 确定议题, then at 公示告知
    with pytest.raises(TransitionError) as exc:
        voting.vote_open(**_vote_args(world, lift))
    assert exc.value.message == "议题当前在“确定议题”步骤，表决须在“开展协商”步骤发起"
    services.topic_advance(user=world.community, topic_id=lift.pk)
    with pytest.raises(TransitionError, match="议题当前在“公示告知”步骤，表决须在“开展协商”步骤发起"):
        voting.vote_open(**_vote_args(world, lift))
    assert not Vote.objects.exists()
    # when the topic stands at 开展协商, the vote opens
    to_voting_step_from_publish(world, lift)
    vote = voting.vote_open(**_vote_args(world, lift))
    assert vote.topic_id == lift.pk and lift.events.filter(action="vote_open").count() == 1


def to_voting_step_from_publish(world, topic):
    """The rest of ``to_voting_step`` for a topic already at 公示告知."""
    from notices.models import Notice

    notice = services.topic_publish_notice(
        user=world.community, topic_id=topic.pk, kind="topic", body="拟议", days=7
    )
    Notice.objects.filter(pk=notice.pk).update(
        starts_at=NOW - timedelta(days=8), ends_at=NOW - timedelta(days=1)
    )
    services.topic_advance(user=world.community, topic_id=topic.pk)


def test_the_five_step_process_votes_at_its_decision_step(world, nine_thirty):
    topic = services.topic_create(
        user=world.community, community=world.c1, title="停车位划线", body="小区停车乱", template_code="5yi"
    )
    with pytest.raises(TransitionError, match="议题当前在“党组织提议”步骤，表决须在“会议决议”步骤发起"):
        voting.vote_open(**_vote_args(world, topic, electorate="residents", matter="", buildings=[]))


def test_the_page_offers_a_vote_only_at_the_voting_step(world, nine_thirty, lift, client_for):
    staff = client_for("community")
    url = f"/deliberation/topics/{lift.pk}/"
    # at 确定议题: no form to open a vote, a line saying where votes are held
    page = staff.get(url)
    assert 'id="act-vote"' not in page.content.decode()
    assert "表决在“开展协商”步骤发起。" in text_of(page)
    # a vote posted anyway is refused with the reason, and nothing is opened
    form = {
        "title": "是否加装", "question": "按方案加装。", "electorate": "residents", "matter": "",
        "opens_at": "2026-12-02T09:00", "closes_at": "2026-12-09T09:00", "one_per_household": "on",
        "options": "同意,不同意,弃权",
    }  # fmt: skip
    refused = staff.post(f"/deliberation/topics/{lift.pk}/vote/", form, follow=True)
    assert "议题当前在“确定议题”步骤，表决须在“开展协商”步骤发起" in text_of(refused)
    assert not Vote.objects.exists()
    # at 开展协商 the form is there, and the same post opens the vote
    to_voting_step(world.community, lift)
    page = staff.get(url)
    assert 'id="act-vote"' in page.content.decode() and "表决在“开展协商”步骤发起" not in text_of(page)
    opened = staff.post(f"/deliberation/topics/{lift.pk}/vote/", form, follow=True)
    assert "已发起表决" in text_of(opened), text_of(opened)[:2000]
    assert Vote.objects.filter(topic=lift).count() == 1


# ---- one roll: the count line and the paper ballots agree -----------------------------------------------------
@pytest.fixture
def flat_201(world):
    """A third flat in 幸福1号楼 whose owner is not on the register: it may vote only on paper."""
    return household_create(building=world.b1a, number="201", floor_area=Decimal("100.00"))


def paper_choices(page) -> list[str]:
    select = re.search(r'id="act-paper".*?<select name="household"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r"<option value=\"[^\"]*\">([^<]*)</option>", select.group(1)) if select else []


def test_the_count_line_and_the_paper_ballots_agree(world, nine_thirty, open_vote, flat_201, client_for):
    # given an owners' vote of 幸福1号楼: 101 (the resident), 102 (the building head), 201 (owner not registered)
    vote = open_vote()
    voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    staff = client_for("community")
    page = staff.get(f"/deliberation/votes/{vote.pk}/")
    # then every flat may vote, one has, and the two that have not are the two offered a paper ballot
    assert "可投票 3 户 · 已投票 1 户 · 未投票 2 户" in text_of(page)
    assert paper_choices(page.content.decode()) == [
        "幸福1号楼 102（120.00 m²）", "幸福1号楼 201（100.00 m²） · 未登记业主",
    ]  # fmt: skip
    assert "其中 1 户没有登记业主，只能由工作人员录入纸质选票" in text_of(page)
    result = result_for(vote, clock.now())
    assert (result["eligible"], result["ballots"], result["not_voted"], result["total_households"]) == (
        3,
        1,
        2,
        3,
    )

    # when staff enter the unregistered flat's paper ballot
    staff.post(
        f"/deliberation/votes/{vote.pk}/paper/", {"household": flat_201.pk, "option": option(vote, "同意")}
    )
    page = staff.get(f"/deliberation/votes/{vote.pk}/")
    # then it is counted and no longer offered
    assert "可投票 3 户 · 已投票 2 户（含纸质选票 1 户） · 未投票 1 户" in text_of(page)
    assert paper_choices(page.content.decode()) == ["幸福1号楼 102（120.00 m²）"]
    # and the last flat's paper ballot leaves nobody to offer
    staff.post(
        f"/deliberation/votes/{vote.pk}/paper/",
        {"household": world.h1a2.pk, "option": option(vote, "不同意")},
    )
    page = staff.get(f"/deliberation/votes/{vote.pk}/")
    assert "可投票 3 户 · 已投票 3 户（含纸质选票 2 户） · 未投票 0 户" in text_of(page)
    assert paper_choices(page.content.decode()) == [] and "可投票的户都已投票。" in text_of(page)
    # the thresholds are measured against the same three flats
    owners = {t["key"]: t for t in result_for(vote, clock.now())["outcome"]["thresholds"]}
    assert owners["quorum_owners"]["base"] == "3" and owners["quorum_owners"]["actual"] == "3"


def test_a_flat_that_voted_is_never_offered_a_paper_ballot(world, nine_thirty, open_vote, flat_201):
    vote = open_vote()
    voting.vote_enter_paper(
        user=world.community, vote_id=vote.pk, household=world.h1a2, option_id=option(vote, "同意")
    )
    voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    roll = turnout(vote)
    assert [s.household for s in roll.waiting] == [flat_201]
    assert (roll.may_vote, roll.voted, roll.paper, roll.not_voted) == (3, 2, 1, 1)
    assert roll.may_vote == roll.voted + roll.not_voted


def test_one_vote_per_person_offers_each_person_not_the_flat(world, nine_thirty, open_vote, client_for):
    # given a vote of 幸福1号楼's residents, one vote per person; the resident's husband lives in 101 too
    from people.services import household_member_add, person_create

    husband = person_create(name="张建军", phone="13812340000")
    household_member_add(person=husband, household=world.h1a)
    vote = open_vote(electorate="buildings", matter="", one_per_household=False)
    voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    staff = client_for("community")
    page = staff.get(f"/deliberation/votes/{vote.pk}/")
    # then the husband (same flat, has not voted) is offered a paper ballot, the resident is not
    assert "可投票 3 人 · 已投票 1 人 · 未投票 2 人" in text_of(page)
    choices = paper_choices(page.content.decode())
    assert choices == [
        "张建军 · 幸福1号楼 101（89.50 m²）",
        f"{world.buildinghead_person.name} · 幸福1号楼 102（120.00 m²）",
    ]
    # and his paper ballot is entered for him from the page
    response = staff.post(
        f"/deliberation/votes/{vote.pk}/paper/",
        {"household": f"{world.h1a.pk}-{husband.pk}", "option": option(vote, "不同意")},
        follow=True,
    )
    assert "已录入纸质选票" in text_of(response)
    assert Ballot.objects.get(vote=vote, person=husband).channel == Ballot.Channel.PAPER
    assert "可投票 3 人 · 已投票 2 人（含纸质选票 1 人） · 未投票 1 人" in text_of(
        staff.get(f"/deliberation/votes/{vote.pk}/")
    )


def test_a_secret_vote_shows_how_many_voted_not_how(world, nine_thirty, open_vote, flat_201, client_for):
    vote = open_vote(secret=True)
    voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    text = text_of(client_for("resident").get(f"/deliberation/votes/{vote.pk}/"))
    assert "可投票 3 户 · 已投票 1 户 · 未投票 2 户" in text and "同意的业主" not in text


# ---- irreversible buttons ask first ---------------------------------------------------------------------------
def test_ballot_and_close_buttons_ask_before_acting(world, nine_thirty, open_vote, client_for):
    vote = open_vote()
    page = client_for("resident").get(f"/deliberation/votes/{vote.pk}/").content.decode()
    for label in ("同意", "不同意", "弃权"):
        assert f'data-option="{label}" data-confirm="您选择“{label}”，确定投票吗？投票后不能更改。"' in page
    staff = client_for("community").get(f"/deliberation/votes/{vote.pk}/").content.decode()
    assert re.search(r'data-action="close" data-confirm="[^"]*结果不能更改[^"]*"', staff)
    assert "<script>" not in page and "<script>" not in staff


def test_a_result_frozen_in_the_old_words_reads_in_the_new(world, nine_thirty, open_vote):
    # given a vote closed with both owners agreeing, its result frozen in the words used before
    vote = open_vote()
    voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    voting.vote_cast(user=world.buildinghead, vote_id=vote.pk, option_id=option(vote, "同意"))
    with clock.at(NOW + timedelta(days=8)):
        voting.vote_close(user=world.community, vote_id=vote.pk)
    vote.refresh_from_db()
    frozen = vote.result
    for t in frozen["outcome"]["thresholds"]:
        t["sentence"] = (
            f"{t['label']} {t['actual']} {t['unit']}，达到（须超过 {t['required']} {t['unit']}，恰好达到）"
        )
    Vote.objects.filter(pk=vote.pk).update(result=frozen)
    vote.refresh_from_db()
    # when it is read, each line is in today's words, with the figures and the verdicts as frozen
    shown = result_for(vote, NOW + timedelta(days=9))
    lines = {t["key"]: t for t in shown["outcome"]["thresholds"]}
    assert lines["approval_owners"]["sentence"] == (
        "同意的业主超过参与表决户数 2 户的一半：须达到 2 户（过半数），已有 2 户同意，恰好达到"
    )
    assert all(t["met"] for t in lines.values()) and shown["outcome"]["passed"] and shown["final"]
    assert not any("须超过" in t["sentence"] for t in lines.values())
