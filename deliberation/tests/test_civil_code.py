"""民法典第二百七十八条 at and around each boundary, in exact arithmetic: area and headcount, both, either failing;
and each line in words as the article puts it: the smallest count or area that meets it (须达到 …), and by how much
it is met or missed (超出 … / 还差 …)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from deliberation.civil_code import owners_decision, simple_majority

# A building of 30 flats, 3,000.00 m² in all; by default 24 owners holding 2,400.00 m² took part.
BASE = {"total_area": D("3000.00"), "total_owners": 30, "voted_area": D("2400.00"), "voted_owners": 24}


def decide(weighty=False, **kw):
    args = {**BASE, "agreed_area": D("2000.00"), "agreed_owners": 20, **kw}
    return owners_decision(weighty=weighty, **args)


def by_key(outcome):
    return {t.key: t for t in outcome.thresholds}


def sentences(outcome) -> dict[str, str]:
    return {t.key: t.sentence() for t in outcome.thresholds}


@pytest.mark.parametrize(
    ("voted_area", "met", "margin", "how"),
    [
        (D("2000.00"), True, "0.00", "已有 2000.00 m² 参与表决，恰好达到"),
        (D("1999.99"), False, "-0.01", "已有 1999.99 m² 参与表决，还差 0.01 m²"),
        (D("2000.01"), True, "0.01", "已有 2000.01 m² 参与表决，超出 0.01 m²"),
    ],
)
def test_participation_by_area_is_two_thirds_inclusive(voted_area, met, margin, how):
    # given 20 owners voted (exactly 2/3 of 30) and all agreed; when the voting area is at / around 2/3 of 3,000 m²
    outcome = decide(voted_area=voted_area, voted_owners=20, agreed_area=voted_area, agreed_owners=20)
    t = by_key(outcome)["quorum_area"]
    # then the 2/3 line is 2,000.00 m², reached with "以上" including it
    assert (t.required, t.met, t.margin) == ("2000.00", met, margin)
    assert outcome.quorum_met is met and outcome.passed is met
    assert t.sentence() == (
        f"参与表决的专有部分面积不少于总面积 3000.00 m² 的三分之二：须达到 2000.00 m²（三分之二以上），{how}"
    )


@pytest.mark.parametrize(
    ("voted_owners", "met", "margin", "how"),
    [(20, True, "0", "恰好达到"), (19, False, "-1", "还差 1 户"), (21, True, "1", "超出 1 户")],
)
def test_participation_by_headcount_is_two_thirds_inclusive(voted_owners, met, margin, how):
    outcome = decide(voted_owners=voted_owners, agreed_owners=voted_owners)
    t = by_key(outcome)["quorum_owners"]
    assert (t.required, t.met, t.margin) == ("20", met, margin)
    assert outcome.passed is met
    assert t.sentence() == (
        f"参与表决的业主不少于总户数 30 户的三分之二：须达到 20 户（三分之二以上），已有 {voted_owners} 户参与表决，{how}"
    )


def test_participation_needs_both_area_and_headcount():
    # area enough, headcount short: only the headcount is named, with what it lacks
    short_heads = decide(voted_owners=19, agreed_owners=19)
    assert by_key(short_heads)["quorum_area"].met and not short_heads.quorum_met
    assert short_heads.summary == (
        "表决未通过，参与表决的业主不足：参与表决的业主不少于总户数 30 户的三分之二：须达到 20 户（三分之二以上），"
        "已有 19 户参与表决，还差 1 户"
    )
    # headcount enough, area short
    short_area = decide(voted_area=D("1999.99"), agreed_area=D("1999.99"))
    assert by_key(short_area)["quorum_owners"].met and not short_area.quorum_met
    assert "已有 1999.99 m² 参与表决，还差 0.01 m²" in short_area.summary
    assert "户参与表决" not in short_area.summary
    # both short: both named
    both = decide(voted_area=D("1000.00"), voted_owners=10, agreed_area=D("1000.00"), agreed_owners=10)
    assert not both.passed and "还差 1000.00 m²" in both.summary and "还差 10 户" in both.summary


@pytest.mark.parametrize(
    ("agreed_area", "agreed_owners", "area_met", "owners_met"),
    [
        (D("1200.00"), 13, False, True),  # exactly half the area is not 过半数
        (D("1200.01"), 13, True, True),  # one cent above half is
        (D("1500.00"), 12, True, False),  # exactly half the owners is not 过半数
        (D("1200.00"), 12, False, False),
    ],
)
def test_ordinary_matter_needs_more_than_half_of_area_and_of_owners(
    agreed_area, agreed_owners, area_met, owners_met
):
    outcome = decide(agreed_area=agreed_area, agreed_owners=agreed_owners)
    t = by_key(outcome)
    assert t["approval_area"].met is area_met and t["approval_owners"].met is owners_met
    # the smallest that is more than half: 13 of 24 owners, 1,200.01 of 2,400.00 m²
    assert (t["approval_owners"].required, t["approval_area"].required) == ("13", "1200.01")
    assert outcome.passed is (area_met and owners_met)


def test_exactly_half_and_one_above_half_in_words():
    # given 24 owners voted; when exactly half of them agree, with exactly half the area
    half = sentences(decide(agreed_area=D("1200.00"), agreed_owners=12))
    # then each line says what is needed and that half is not a majority
    assert half["approval_owners"] == (
        "同意的业主超过参与表决户数 24 户的一半：须达到 13 户（过半数），已有 12 户同意，还差 1 户（恰好一半不算过半数）"
    )
    assert half["approval_area"] == (
        "同意的专有部分面积超过参与表决面积 2400.00 m² 的一半：须达到 1200.01 m²（过半数），"
        "已有 1200.00 m² 同意，还差 0.01 m²（恰好一半不算过半数）"
    )
    # when one more flat agrees (13 of 24) it is just met; two more, one over
    assert sentences(decide(agreed_owners=13))["approval_owners"].endswith(
        "须达到 13 户（过半数），已有 13 户同意，恰好达到"
    )
    assert sentences(decide(agreed_owners=14))["approval_owners"].endswith("已有 14 户同意，超出 1 户")


def test_an_odd_number_of_voters():
    # 5 flats voted (half is 2.5): 3 is the smallest majority; 4 agreeing is one more than needed
    five = {"total_owners": 6, "voted_owners": 5}
    three = sentences(decide(**five, agreed_owners=3))["approval_owners"]
    assert three == "同意的业主超过参与表决户数 5 户的一半：须达到 3 户（过半数），已有 3 户同意，恰好达到"
    assert sentences(decide(**five, agreed_owners=4))["approval_owners"].endswith("已有 4 户同意，超出 1 户")
    assert sentences(decide(**five, agreed_owners=2))["approval_owners"].endswith("已有 2 户同意，还差 1 户")


@pytest.mark.parametrize(
    ("agreed_area", "agreed_owners", "passed"),
    [
        (D("1800.00"), 18, True),  # exactly 3/4 of 2,400 m² and of 24 owners: "以上" includes it
        (D("1799.99"), 18, False),
        (D("1800.00"), 17, False),
        (D("2400.00"), 24, True),
    ],
)
def test_weighty_matter_needs_three_quarters_of_both(agreed_area, agreed_owners, passed):
    outcome = decide(weighty=True, agreed_area=agreed_area, agreed_owners=agreed_owners)
    t = by_key(outcome)
    assert t["approval_area"].required == "1800.00" and t["approval_owners"].required == "18"
    assert outcome.passed is passed and outcome.rule == "weighty"


def test_exactly_three_quarters_in_words():
    exact = sentences(decide(weighty=True, agreed_area=D("1800.00"), agreed_owners=18))
    assert exact["approval_owners"] == (
        "同意的业主不少于参与表决户数 24 户的四分之三：须达到 18 户（四分之三以上），已有 18 户同意，恰好达到"
    )
    assert exact["approval_area"] == (
        "同意的专有部分面积不少于参与表决面积 2400.00 m² 的四分之三：须达到 1800.00 m²（四分之三以上），"
        "已有 1800.00 m² 同意，恰好达到"
    )
    # half agreeing under the 3/4 rule says what is missing, and nothing about half
    half = decide(weighty=True, agreed_area=D("1200.00"), agreed_owners=12)
    assert sentences(half)["approval_owners"].endswith("已有 12 户同意，还差 6 户")
    assert "一半" not in half.summary


def test_ordinary_majority_that_falls_short_of_weighty():
    # 20 of 24 owners agree with 1,790 m² of 2,400: passes as an ordinary matter, not as a weighty one
    kw = {"agreed_area": D("1790.00"), "agreed_owners": 20}
    assert decide(**kw).passed
    weighty = decide(weighty=True, **kw)
    assert not weighty.passed
    assert weighty.summary == (
        "表决未通过：同意的专有部分面积不少于参与表决面积 2400.00 m² 的四分之三：须达到 1800.00 m²（四分之三以上），"
        "已有 1790.00 m² 同意，还差 10.00 m²"
    )


def test_area_and_headcount_are_separate_lines():
    # most flats agree but they are the small ones: the count is met, the area is not (and the other way round)
    small_flats = decide(agreed_area=D("1100.00"), agreed_owners=16)
    assert not small_flats.passed and [t.key for t in small_flats.thresholds if not t.met] == [
        "approval_area"
    ]
    assert small_flats.summary.endswith("已有 1100.00 m² 同意，还差 100.01 m²")
    big_flats = decide(agreed_area=D("1700.00"), agreed_owners=11)
    assert [t.key for t in big_flats.thresholds if not t.met] == ["approval_owners"]
    assert big_flats.summary.endswith("须达到 13 户（过半数），已有 11 户同意，还差 2 户")


def test_thresholds_with_areas_that_do_not_divide_evenly():
    # 100.01 m² in all: 2/3 is 66.6733… m²; 66.67 is short, 66.68 is enough, with no float rounding
    base = {"total_area": D("100.01"), "total_owners": 3, "voted_owners": 2, "agreed_owners": 2}
    short = owners_decision(weighty=False, voted_area=D("66.67"), agreed_area=D("66.67"), **base)
    enough = owners_decision(weighty=False, voted_area=D("66.68"), agreed_area=D("66.68"), **base)
    assert not by_key(short)["quorum_area"].met and by_key(enough)["quorum_area"].met
    assert by_key(short)["quorum_area"].required == "66.68"
    # half of 100.01 m² is 50.005 m²: more than half is 50.01 m² at the least
    half = owners_decision(weighty=False, voted_area=D("100.01"), agreed_area=D("50.00"), **base)
    assert (by_key(half)["approval_area"].required, by_key(half)["approval_area"].met) == ("50.01", False)


def test_nobody_voted():
    # nobody took part: no line of approval is met, not even a 3/4 one (0 of 0 is not 3/4 of anything)
    outcome = decide(
        weighty=True, voted_area=D("0.00"), voted_owners=0, agreed_area=D("0.00"), agreed_owners=0
    )
    assert not any(t.met for t in outcome.thresholds)
    assert (
        sentences(outcome)["approval_owners"] == "同意的业主不少于参与表决户数 0 户的四分之三：尚无人参与表决"
    )


def test_simple_majority():
    assert simple_majority(voted=10, agreed=5).summary == (
        "表决未通过：同意票超过有效票 10 票的一半：须达到 6 票（过半数），已有 5 票同意，还差 1 票（恰好一半不算过半数）"
    )
    assert simple_majority(voted=10, agreed=6).passed
    assert not simple_majority(voted=0, agreed=0).passed
