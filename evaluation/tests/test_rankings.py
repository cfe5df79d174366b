"""Rankings rank real units and areas with enough appeals; the rest are listed apart with the reason; the
红黑榜 names units by written rules and never one unit on both lists."""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction
from io import BytesIO

import pytest
from openpyxl import load_workbook

from evaluation import honours, ranking
from evaluation import selectors as sel
from evaluation.figures import Totals
from evaluation.pdf import write_pdf
from evaluation.report import report_content
from evaluation.report_xlsx import write_xlsx
from evaluation.tests import shown
from evaluation.tests.stories import make_stories


def _row(key: int, label: str, counted: int, good: int, satisfied: int | None = None) -> sel.Row:
    """A row whose ``good`` of ``counted`` appeals were answered in time, solved and rated 满意 (or ``satisfied``
    of them 满意 and the other good ones 基本满意); the rest late, unsolved and 不满意."""
    totals = Totals()
    satisfied = good if satisfied is None else satisfied
    totals.counts.update(
        counted=counted,
        response_due=counted,
        responded=good,
        rated=counted,
        resolved=good,
        satisfied=satisfied,
        basically=good - satisfied,
    )
    return sel.Row(key, label, totals)


def test_split_ranks_only_real_units_with_enough_appeals_and_lists_the_rest_with_the_reason():
    # given the units of a month: the appeals without a single unit, a unit with 3 appeals, and three real ones
    rows = [
        _row(0, "无单一承办单位（直接答复、吹哨或待派）", 30, 30),
        _row(7, "小单位", 3, 3),
        _row(1, "甲局", 10, 9),
        _row(2, "乙局", 10, 9),
        _row(3, "丙局", 5, 2),
    ]
    # when they are ranked
    ranked, apart = ranking.split(rows, "unit")
    # then only the real units with at least 5 appeals are ranked, equal scores sharing a place
    assert [(r.label, r.rank) for r in ranked] == [("乙局", 1), ("甲局", 1), ("丙局", 3)]
    # and the others are listed apart, each under its reason, without a rank
    assert [(g.reason, [r.label for r in g.rows]) for g in apart] == [
        (ranking.NOT_A_UNIT, ["无单一承办单位（直接答复、吹哨或待派）"]),
        (ranking.FEW, ["小单位"]),
    ]
    assert ranking.FEW == "件数不足 5 件，不参与排名"
    assert all(r.rank is None for g in apart for r in g.rows)
    # and appeals taken at the community, outside any grid, are not a grid
    _, apart = ranking.split([_row(0, "未落到网格", 9, 9), _row(4, "第一网格", 9, 8)], "grid")
    assert [g.reason for g in apart] == [ranking.NOT_A_GRID]


def test_the_best_list_and_the_improve_list_follow_their_rules_and_never_share_a_unit():
    # given six ranked units; the second best has a satisfaction rate below 90%
    rows = [
        _row(1, "甲局", 20, 20),
        _row(2, "乙局", 20, 19, satisfied=10),  # (10 + 9 × 0.8) ÷ 20 = 86%
        _row(3, "丙局", 20, 18),
        _row(4, "丁局", 20, 15),
        _row(5, "戊局", 20, 12),
        _row(6, "己局", 20, 10),
    ]
    ranked, _ = ranking.split(rows, "unit")
    # when the 红黑榜 is drawn
    lists = honours.honours(ranked)
    # then the best are the first three places with at least 90% satisfied
    assert [r.label for r in lists.best] == ["甲局", "丙局"]
    assert all(r.rank <= 3 and r.totals.rate("satisfaction_rate") >= Fraction(9, 10) for r in lists.best)
    # and the ones to improve are the three lowest scores
    assert [r.label for r in lists.worst] == ["己局", "戊局", "丁局"]
    # and when there are only four, the lowest three leave out those already named best
    lists = honours.honours(ranking.split(rows[:4], "unit")[0])
    assert [r.label for r in lists.best] == ["甲局", "丙局"] and [r.label for r in lists.worst] == [
        "丁局",
        "乙局",
    ]
    assert not {id(r) for r in lists.best} & {id(r) for r in lists.worst}
    # and with three or fewer there is no bottom to name
    assert honours.honours(ranking.split(rows[:3], "unit")[0]).worst == []
    # and the rules are written in words
    assert honours.BEST_RULE == "综合得分前 3 名且满意率不低于 90%，得分相同名次相同"


@pytest.fixture
def stories(world):
    return make_stories(world)


@pytest.mark.django_db
def test_pages_pdf_and_workbooks_list_units_that_are_not_ranked_apart_under_the_rule(
    world, stories, client_for, tmp_path
):
    period = {"start": "2025-03", "end": "2025-12"}
    client = client_for("district")
    # when the district leader opens the rankings
    page = client.get("/evaluation/rankings/", {"area": world.d.pk, **period})
    units = next(t for t in page.context["tables"] if t.key == "units")
    # then the appeals without a single unit are not ranked, but listed apart under the reason
    assert all(r.key for r in units.rows) and all(r.rank for r in units.rows)
    group = next(g for g in units.apart if g.reason == ranking.NOT_A_UNIT)
    assert [r.key for r in group.rows] == [0] and group.rows[0].rank is None
    # and every unit listed apart for too few appeals has fewer than 5
    for g in units.apart:
        if g.reason == ranking.FEW:
            assert all(r.counted < ranking.MIN_COUNTED for r in g.rows)
    # and the page says the rule and the reason
    text = shown.visible_text(page.content.decode())
    assert ranking.RULE in text and ranking.NOT_A_UNIT in text
    assert text.index(units.rows[-1].label) < text.index(ranking.NOT_A_UNIT)  # after the ranked ones
    # and so does the workbook, each row left out with its reason
    book = load_workbook(
        BytesIO(client.get("/evaluation/rankings/", {"area": world.d.pk, "format": "xlsx", **period}).content)
    )
    ws = book["承办单位排名"]
    assert ws["A1"].value == ranking.RULE
    values = [[c for c in row] for row in ws.iter_rows(min_row=3, values_only=True)]
    reasons = {row[1]: row[-1] for row in values[1:]}
    assert reasons["无单一承办单位（直接答复、吹哨或待派）"] == ranking.NOT_A_UNIT
    assert all(reasons[r.label] is None for r in units.rows)

    for month in (date(2025, 3, 1), date(2025, 4, 1)):
        # when the district's monthly report is written
        content = report_content(world.d, month)
        text = re.sub(r"\s+", "", shown.pdf_text(write_pdf(content), tmp_path))  # lines wrap anywhere
        section = text[text.index("三、承办单位红黑榜") : text.index("四、超时诉求")]
        # then both lists are written with their rule, and name only ranked units, each on one list at most
        assert f"表现最好评选规则：{honours.BEST_RULE}".replace(" ", "") in section
        assert f"有待改进评选规则：{honours.WORST_RULE}".replace(" ", "") in section
        assert "无单一承办单位" not in section
        ranked = {r.label for r in next(t for t in content.rankings if t.key == "units").rows}
        best, worst = {r.label for r in content.honours.best}, {r.label for r in content.honours.worst}
        assert best <= ranked and worst <= ranked and not best & worst
        # and the workbook's 红黑榜 says the same
        sheet = load_workbook(BytesIO(write_xlsx(content)))["红黑榜"]
        listed = [
            row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] in ("表现最好", "有待改进")
        ]
        assert {row[3] for row in listed if row[0] == "表现最好"} == best
        assert all(row[1] in (honours.BEST_RULE, honours.WORST_RULE) for row in listed)


@pytest.mark.django_db
def test_a_community_with_few_appeals_is_told_why_it_has_no_rank(world, stories, client_for, clock_at):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    # given the public page of 和平社区 in April 2025, which had fewer than 5 appeals in March
    clock_at(datetime(2025, 4, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    march = sel.totals(sel.cells(world.c2, sel.Period(date(2025, 3, 1), date(2025, 3, 1))))
    assert march["counted"] < ranking.MIN_COUNTED
    # when a resident reads it
    page = client_for("resident").get(f"/evaluation/public/{world.c2.code}/")
    # then it says it takes no part in the ranking, and why
    text = shown.visible_text(page.content.decode())
    assert ranking.FEW in text and "第 1 名" not in text
