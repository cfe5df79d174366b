"""民法典第二百七十八条 at and around each boundary, in exact arithmetic: area and headcount, both, either failing."""

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


@pytest.mark.parametrize(
    ("voted_area", "met", "margin"),
    [(D("2000.00"), True, "0.00"), (D("1999.99"), False, "-0.01"), (D("2000.01"), True, "0.01")],
)
def test_participation_by_area_is_two_thirds_inclusive(voted_area, met, margin):
    # given 20 owners voted (exactly 2/3 of 30) and all agreed; when the voting area is at / around 2/3 of 3,000 m²
    outcome = decide(voted_area=voted_area, voted_owners=20, agreed_area=voted_area, agreed_owners=20)
    t = by_key(outcome)["quorum_area"]
    # then the 2/3 line is 2,000.00 m², reached with "以上" including it
    assert (t.required, t.met, t.margin) == ("2000.00", met, margin)
    assert outcome.quorum_met is met and outcome.passed is met


@pytest.mark.parametrize(
    ("voted_owners", "met", "margin"), [(20, True, "0"), (19, False, "-1"), (21, True, "1")]
)
def test_participation_by_headcount_is_two_thirds_inclusive(voted_owners, met, margin):
    outcome = decide(voted_owners=voted_owners, agreed_owners=voted_owners)
    t = by_key(outcome)["quorum_owners"]
    assert (t.required, t.met, t.margin) == ("20", met, margin)
    assert outcome.passed is met


def test_participation_needs_both_area_and_headcount():
    # area enough, headcount short
    short_heads = decide(voted_owners=19, agreed_owners=19)
    assert by_key(short_heads)["quorum_area"].met and not short_heads.quorum_met
    assert "参与表决的业主人数 19 户" in short_heads.summary and "差 1 户" in short_heads.summary
    # headcount enough, area short
    short_area = decide(voted_area=D("1999.99"), agreed_area=D("1999.99"))
    assert by_key(short_area)["quorum_owners"].met and not short_area.quorum_met
    assert "差 0.01 m²" in short_area.summary
    # both short: both named
    both = decide(voted_area=D("1000.00"), voted_owners=10, agreed_area=D("1000.00"), agreed_owners=10)
    assert not both.passed and "面积" in both.summary and "人数" in both.summary


@pytest.mark.parametrize(
    ("agreed_area", "agreed_owners", "area_met", "owners_met"),
    [
        (D("1200.00"), 13, False, True),  # exactly half the area is not 过半数
        (D("1200.01"), 13, True, True),
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
    assert t["approval_owners"].required == "13"  # more than half of 24
    assert outcome.passed is (area_met and owners_met)
    if not area_met:
        assert "恰好一半，须超过一半" in outcome.summary


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


def test_ordinary_majority_that_falls_short_of_weighty():
    # 20 of 24 owners agree with 1,790 m² of 2,400: passes as an ordinary matter, not as a weighty one
    kw = {"agreed_area": D("1790.00"), "agreed_owners": 20}
    assert decide(**kw).passed
    weighty = decide(weighty=True, **kw)
    assert not weighty.passed
    assert "同意的专有部分面积 1790.00 m²，未达到占参与表决面积四分之三以上" in weighty.summary
    assert "差 10.00 m²" in weighty.summary


def test_thresholds_with_areas_that_do_not_divide_evenly():
    # 100.01 m² in all: 2/3 is 66.6733… m²; 66.67 is short, 66.68 is enough, with no float rounding
    base = {"total_area": D("100.01"), "total_owners": 3, "voted_owners": 2, "agreed_owners": 2}
    short = owners_decision(weighty=False, voted_area=D("66.67"), agreed_area=D("66.67"), **base)
    enough = owners_decision(weighty=False, voted_area=D("66.68"), agreed_area=D("66.68"), **base)
    assert not by_key(short)["quorum_area"].met and by_key(enough)["quorum_area"].met


def test_simple_majority():
    assert not simple_majority(voted=10, agreed=5).passed
    assert simple_majority(voted=10, agreed=6).passed
    assert not simple_majority(voted=0, agreed=0).passed
