"""Hotspots on the real board data (TipDM 2020, 4,326 messages), read the way a district leader reads them: each
place-bound row at the top must be one real problem that many different residents raised, every message in it about
that problem at that place; a policy asked about city-wide (A市人才购房补贴) is a row of its own among the top
five. Skipped when the shared data is not on this machine."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from triage import hotspots
from triage.management.commands.hotspots import read_messages

DATA = settings.SHARED_DATA_DIR / "tipdm2020" / "messages_with_likes.csv"

# the problems a leader finds at the top, each as (place named in the row, place in every message, topic in every
# message); the place of a message may be spelled otherwise (the railway staff estate is also "广铁职工住宅项目")
PROBLEMS = {
    "伊景园滨河苑": (r"伊景园|滨河苑|广铁|铁路职工|铁广", r"车位|购房|商品房|住宅项目"),
    "丽发新城": (r"丽发", r"搅拌|噪音|噪声|粉尘|灰尘|污染|吵"),
    "魅力之城": (r"魅力之城", r"油烟|噪音|商铺|门面|门店|夜宵|餐馆|烧烤"),
    "凉塘路": (r"凉塘路", r"旧城改造"),
    "泉星公园": (r"泉星公园", r"规划|效果图"),
}


@pytest.fixture(scope="module")
def found() -> list[hotspots.Hotspot]:
    if not DATA.exists():
        pytest.skip(f"shared data absent at {DATA}")
    return hotspots.find(read_messages(str(DATA)))


def problem_of(hotspot: hotspots.Hotspot) -> str:
    names = [name for name in PROBLEMS if name in hotspot.place]
    assert names, f"top row names an unexpected place: {hotspot.place} {hotspot.description}"
    return names[0]


def test_each_place_bound_row_of_the_top_is_one_problem_many_residents_raised(found):
    placed = [h for h in found[:8] if not h.city_wide][:4]
    assert sorted(problem_of(h) for h in placed) == sorted(["伊景园滨河苑", "丽发新城", "魅力之城", "凉塘路"])
    for h in placed:
        place, topic = PROBLEMS[problem_of(h)]
        assert h.people >= 4 and len(h.members) >= 5
        for m in h.members:
            words = f"{m.title} {m.body}"
            assert re.search(place, words), f"{h.place}: member {m.id} {m.title} is about another place"
            assert re.search(topic, words), f"{h.place}: member {m.id} {m.title} is about another problem"
    # the two big campaigns stay whole (50 and more residents each) and lead; the next problems are far smaller
    assert [problem_of(h) for h in found[:2]] == ["伊景园滨河苑", "丽发新城"]
    assert min(h.people for h in found[:2]) >= 45 and max(h.people for h in found[2:]) < 20


def test_a_city_wide_policy_many_people_ask_about_is_a_row_of_its_own(found):
    # A市人才购房补贴: asked about all year by residents everywhere, naming no estate or road
    top = found[:5]
    talent = [h for h in top if h.city_wide and "人才" in h.description]
    assert len(talent) == 1, [h.description for h in top]
    row = talent[0]
    assert row.where == hotspots.CITY_WIDE and row.people >= 15
    assert (row.end - row.start).days > 300  # one row over the year, not one per season
    for m in row.members:
        assert re.search(r"人才|技师", m.title) and re.search(r"补贴|补助|奖励|政策|落户", m.title), m.title
    lines = hotspots.table(found, 5)
    assert any(hotspots.CITY_WIDE in line and "人才" in line for line in lines[1:])


def test_copies_filed_under_other_accounts_add_no_one(found):
    # each of 魅力之城's complaints is in the file twice: again under an id from 360100 on, a new user, the same second
    charm = next(h for h in found[:5] if "魅力之城" in h.place)
    assert not any(m.id.startswith("3601") for m in charm.members)
    seconds = [m.at for m in charm.members]
    assert len(seconds) == len(set(seconds))
    assert charm.people == len({m.user for m in charm.members}) <= 10


def test_a_message_about_another_problem_on_the_same_road_does_not_join(found):
    # the metro station's exits and underpass (地铁3号线松雅湖站) once took in a complaint about a road hoarding
    # at 开元路/东六路 (234588) because both name 开元路
    metro = next(h for h in found if any(m.id == "201707" for m in h.members))
    assert all("地铁" in m.title or "地铁" in m.body for m in metro.members)
    assert "234588" not in {m.id for m in metro.members}, "the road hoarding joined the metro hotspot"
    # nor do an estate's other problems join its hotspot: 深业睿城's bus, parking and metro messages stay apart
    for h in found[:10]:
        titles = " ".join(m.title for m in h.members)
        assert not ("公交" in titles and "车位" in titles), h.description


def test_the_table_names_rank_heat_span_place_problem_and_counts(found):
    lines = hotspots.table(found, 5)
    assert len(lines) == 6
    first = lines[1].split("\t")
    assert first[0] == "1" and float(first[1]) == found[0].heat and "至" in first[2]
    assert "伊景园滨河苑" in first[3] and int(first[5]) == len(found[0].members) and int(first[6]) >= 45
