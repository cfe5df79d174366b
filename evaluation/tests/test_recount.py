"""Every figure the dashboards show equals a recount from the raw appeal rows.

Given appeals with every edge case made through the real services, when the figures are read from the cube
(kept incrementally by the appeal_changed receiver, and again after ``rebuild_figures``), then every count,
rate and score by area, unit, category, channel and month equals one recomputed here from ``Appeal`` rows
with the written definitions (docs/figures.md), independently of ``evaluation.facts``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.utils import timezone

from access.scope import Scope
from appeals.models import Appeal
from evaluation import selectors
from evaluation.figures import FIGURES, RANKED
from evaluation.models import (
    CLOSE_BUCKETS,
    CONTACT_BUCKETS,
    GRAINS,
    MEASURES,
    AppealFact,
    FigureCube,
    FigureDelta,
    grain_key,
)
from evaluation.tests.stories import make_stories

pytestmark = pytest.mark.django_db

EXCLUDED = {"merged", "withdrawn"}
OPEN = {"submitted", "dispatched", "accepted", "returned"}


def recount(a: Appeal) -> dict[str, int]:
    """The definitions, written out again from the appeal's own columns."""
    if a.status in EXCLUDED:
        out = dict.fromkeys(MEASURES, 0)
        out[a.status] = 1
        return out
    contacted = a.contacted_at is not None
    done = a.completed_at is not None
    rated = a.rated_at is not None and a.satisfaction != ""
    return {
        "counted": 1,
        "merged": 0,
        "withdrawn": 0,
        "contacted": contacted,
        "response_due": contacted or a.contact_overdue,
        "responded": contacted
        and not a.contact_overdue
        and (a.contact_due is None or a.contacted_at <= a.contact_due),
        "rated": rated,
        "resolved": rated and a.resolved is True,
        "satisfied": rated and a.satisfaction == "satisfied",
        "basically": rated and a.satisfaction == "basically_satisfied",
        "done": done,
        "due": done or a.resolve_overdue,
        "on_time": done
        and not a.resolve_overdue
        and (a.resolve_due is None or a.completed_at <= a.resolve_due),
        "overdue": a.contact_overdue or a.resolve_overdue,
        "open": a.status in OPEN,
        "reopened": a.reopen_count > 0,
        "reopen_base": done or a.reopen_count > 0,
        "whistled": bool(a.whistle_parts.all()),  # prefetched by check_nodes
        "returned": a.return_count > 0,
        "answered": a.triage_kind == "answer",
    }


def month(a: Appeal) -> date:
    local = timezone.localtime(a.submitted_at)
    return date(local.year, local.month, 1)


def raw_totals(appeals) -> dict[str, int]:
    sums: dict[str, int] = defaultdict(int)
    for a in appeals:
        for m, v in recount(a).items():
            sums[m] += int(bool(v))
    return sums


def assert_same(totals, appeals, where: str) -> None:
    expected = raw_totals(appeals)
    got = totals.counts
    assert {m: got[m] for m in MEASURES} == {m: expected.get(m, 0) for m in MEASURES}, where
    # the rates from those counts, as exact fractions
    rated = expected["rated"]
    if rated:
        assert totals.rate("resolution_rate") == Fraction(expected["resolved"], rated), where
        # 满意率: (满意 + 基本满意 × 0.8) ÷ 已评价, the weight in force by default
        assert (
            totals.rate("satisfaction_rate")
            == (expected["satisfied"] + Fraction(4, 5) * expected["basically"]) / rated
        ), where
    if expected["response_due"]:
        assert totals.rate("response_rate") == Fraction(expected["responded"], expected["response_due"]), (
            where
        )
    if expected["counted"]:
        assert totals.rate("closure_rate") == Fraction(expected["done"], expected["counted"]), where
    # the times: histogram counts equal the number of contacted / done appeals
    assert sum(totals.contact_hist) == expected["contacted"] and sum(totals.close_hist) == expected["done"]


@pytest.fixture
def stories(world):
    return make_stories(world)


def test_edge_cases_happened(stories):
    s = stories
    get = lambda a: Appeal.objects.get(pk=a.pk)  # noqa: E731
    assert get(s.answered).triage_kind == "answer" and get(s.answered).first_dispatched_at is None
    assert get(s.late).contact_overdue and get(s.late).resolve_overdue and get(s.late).status == "closed"
    assert get(s.returned).return_count == 1 and get(s.returned).reopen_count == 1
    assert get(s.whistled).whistle_parts.count() == 2 and get(s.whistled).status == "closed"
    assert get(s.merged).status == "merged" and get(s.withdrawn).status == "withdrawn"
    assert get(s.escalated).reopen_count == 3 and get(s.escalated).level == 1
    assert get(s.overdue_open).resolve_overdue and get(s.overdue_open).status == "dispatched"


def _groups(appeals):
    """Every way the dashboards cut the figures: area nodes, unit, category (top level), channel, month."""
    from categories.models import Category

    roots = {c.pk: (c.parent_id or c.pk) for c in Category.objects.all()}
    return {
        "unit": lambda a: a.unit_id or 0,
        "category": lambda a: roots.get(a.category_id, 0) if a.category_id else 0,
        "channel": lambda a: a.channel,
        "month": month,
        "grid": lambda a: a.grid_id or 0,
        "community": lambda a: a.community_id,
        "subdistrict": lambda a: a.community.parent_id,
    }


def check_all(world) -> None:
    check_nodes([world.d, world.s1, world.s2, world.c1, world.c2, world.g1a, world.g1b, world.g2a])


def check_nodes(nodes, kind: str = "appeal") -> None:
    """Every figure of each node (totals; by every dimension; each unit's, category's and channel's slice cut
    again by the others; each month) equals a recount of the raw rows of that kind."""
    appeals = list(
        Appeal.objects.filter(kind=kind).select_related("community").prefetch_related("whistle_parts")
    )
    assert appeals, kind
    months = sorted({month(a) for a in appeals})
    period = selectors.Period(months[0], months[-1])
    groups = _groups(appeals)
    for node in nodes:
        inside = [a for a in appeals if a.area_path.startswith(node.path)]
        assert_same(selectors.totals(selectors.cells(node, period, kind=kind)), inside, node.name)
        for by, key in groups.items():
            rows = selectors.breakdown(selectors.cells(node, period, kind=kind), by)
            expected_keys = {key(a) for a in inside}
            assert set(rows) == expected_keys, (node.name, by)
            for k, totals in rows.items():
                assert_same(totals, [a for a in inside if key(a) == k], f"{node.name} {by}={k}")
        # slices of one unit, one category or one channel, cut again by every other way (the finer grains)
        for fixed in ("unit", "category", "channel"):
            for value in sorted({groups[fixed](a) for a in inside}, key=str):
                part = [a for a in inside if groups[fixed](a) == value]
                cube = selectors.cells(node, period, kind=kind, **{fixed: value})
                assert_same(selectors.totals(cube), part, f"{node.name} {fixed}={value}")
                for by in ("unit", "category", "channel", "grid"):
                    rows = selectors.breakdown(cube, by)
                    assert set(rows) == {groups[by](a) for a in part}, (node.name, fixed, value, by)
                    for k, totals in rows.items():
                        expected = [a for a in part if groups[by](a) == k]
                        assert_same(totals, expected, f"{node.name} {fixed}={value} {by}={k}")
        for m in months:
            one = selectors.Period(m, m)
            assert_same(
                selectors.totals(selectors.cells(node, one, kind=kind)),
                [a for a in inside if month(a) == m],
                f"{m}",
            )


def cube_snapshot() -> dict:
    columns = [
        "grain",
        "month",
        "area_path",
        "unit",
        "category",
        "channel",
        *MEASURES,
        *CONTACT_BUCKETS,
        *CLOSE_BUCKETS,
    ]
    # The cube as every reader sees it: its cells plus the deltas the fold job has not added yet, at every grain.
    sums: dict = defaultdict(lambda: [0] * (len(columns) - 6))
    for row in FigureCube.objects.values(*columns):
        key = tuple(row[c] for c in columns[:6])
        sums[key] = [a + row[c] for a, c in zip(sums[key], columns[6:], strict=True)]
    for row in FigureDelta.objects.values(*columns[1:], "kind", "subdistrict", "community", "grid"):
        for grain in GRAINS:
            cell = grain_key(row, grain)
            key = tuple(cell[c] for c in columns[:6])
            sums[key] = [a + row[c] for a, c in zip(sums[key], columns[6:], strict=True)]
    return {key: tuple(values) for key, values in sums.items() if any(values)}


def test_every_figure_equals_a_recount_incrementally_and_after_rebuild(world, stories):
    # when: the figures were kept by the receiver as the stories happened
    assert AppealFact.objects.count() == Appeal.objects.count()
    check_all(world)
    incremental = cube_snapshot()
    # when: rebuilt from the rows with set-based SQL
    call_command("rebuild_figures", verbosity=0)
    check_all(world)
    # then: the incremental cube and the rebuilt one are identical, cell by cell
    assert cube_snapshot() == incremental


def test_every_ranked_figure_has_a_definition(world):
    for f in FIGURES:
        assert len(f.definition) > 20
    assert set(RANKED) <= {f.key for f in FIGURES}


def test_moving_a_grid_or_a_community_carries_its_appeals_figures_and_residents_along(world, stories):
    from appeals.selectors import QueueFilters, queue
    from areas.services import area_move

    moved = list(Appeal.objects.filter(grid=world.g1b).values_list("pk", flat=True))
    assert moved  # the stories raised appeals in 幸福二网格
    rebuilt_before = cube_snapshot()
    # when 幸福二网格 moves from 幸福社区 to the other community, then the community to the other subdistrict
    area_move(actor=world.admin, area=world.g1b, new_parent=world.c2)
    for node in (world.g1b, world.c1, world.c2):
        node.refresh_from_db()
    # then its appeals follow: new path and community, seen by the new community's staff and not the old
    assert set(Appeal.objects.filter(community=world.c2, grid=world.g1b).values_list("pk", flat=True)) == set(
        moved
    )
    new_staff = {row.pk for row in queue(Scope.of(world.community2), QueueFilters(status=""))}
    old_staff = {row.pk for row in queue(Scope.of(world.community), QueueFilters(status=""))}
    assert set(moved) <= new_staff and not set(moved) & old_staff
    world.neighbour_g1b.refresh_from_db()
    assert world.neighbour_g1b.community == world.c2  # the resident's home community follows too
    # and every figure, at every node, equals a recount at once (no rebuild), the same as a rebuild gives
    check_all(world)
    incremental = cube_snapshot()
    assert incremental != rebuilt_before
    call_command("rebuild_figures", verbosity=0)
    assert cube_snapshot() == incremental

    area_move(actor=world.admin, area=world.c2, new_parent=world.s1)
    for node in (world.c2, world.g1b, world.g2a, world.s1, world.s2):
        node.refresh_from_db()
    check_all(world)
    incremental = cube_snapshot()
    call_command("rebuild_figures", verbosity=0)
    assert cube_snapshot() == incremental
