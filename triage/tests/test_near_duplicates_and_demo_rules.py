"""Near-duplicates in other words (synonyms, the same building), the labelled pairs from the board data, city-wide
hotspots on synthetic messages, and the demo's routing rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from appeals import services as appeal_services
from triage import dup_pairs, duplicates, hotspots
from triage.hotspots import Message

LIGHT_WORKER = ("丽景湾1号楼东边路灯坏了", "走访时居民反映，1号楼东边的路灯坏了，晚上很黑。")
LIGHT_RESIDENT = ("1号楼东侧路灯连续一周不亮", "我住1号楼，东侧的路灯连续一周不亮了，晚上老人出门看不清路。")
LIFT = ("1号楼电梯坏了", "1号楼电梯停运三天，老人上下楼困难。")
BOARD = settings.SHARED_DATA_DIR / "tipdm2020" / "messages_with_likes.csv"


def test_synonyms_fold_and_different_key_nouns_are_different_problems():
    assert duplicates.fold("东边路灯不亮") == duplicates.fold("东侧街灯坏了") == "⟨东⟩⟨灯⟩⟨坏⟩"
    worker, resident = duplicates.shape(*LIGHT_WORKER), duplicates.shape(*LIGHT_RESIDENT)
    assert worker.nouns == resident.nouns == {"灯"} and worker.places == {"1楼"}
    assert duplicates.similarity(worker, resident) >= duplicates.SAME_BUILDING
    assert duplicates.similarity(worker, duplicates.shape(*LIFT)) == 0.0


@pytest.mark.django_db
def test_the_same_light_reported_in_other_words_in_one_building_is_flagged(world):
    first = appeal_services.appeal_submit(
        user=world.resident,
        title=LIGHT_RESIDENT[0],
        body=LIGHT_RESIDENT[1],
        channel="app",
        building=world.b1a,
    )
    lift = appeal_services.appeal_submit(
        user=world.resident, title=LIFT[0], body=LIFT[1], channel="app", building=world.b1a
    )
    again = appeal_services.appeal_submit(
        user=world.gridworker,
        title=LIGHT_WORKER[0],
        body=LIGHT_WORKER[1],
        channel="visit",
        raised_by=world.buildinghead_person,
        building=world.b1a,
    )
    found = duplicates.duplicates_for(again)
    assert [d.appeal_id for d in found] == [first.pk]
    assert found[0].same_building and found[0].why == "同一楼栋"
    assert lift.pk not in {d.appeal_id for d in found}


def _at(day: int) -> datetime:
    return datetime(2019, 1, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai")) + timedelta(days=day)


def test_the_pair_builder_labels_one_problem_duplicates_and_two_problems_of_one_place_not():
    def m(i: int, title: str, day: int) -> Message:
        return Message(str(i), f"u{i}", title, "", _at(day))

    messages = [
        m(1, "深业睿城到松雅中学204公交太少", 0),
        m(2, "反映深业睿城204公交车的问题", 3),
        m(3, "深业睿城地下车位违规出售", 5),
        m(4, "深业睿城204公交线路请延长", 90),  # too late for the others
    ]
    pairs = dup_pairs.build(messages)
    labels = {(p.a.id, p.b.id, p.duplicate, p.kind) for p in pairs}
    assert ("1", "2", True, "duplicate") in labels
    assert {("1", "3", False, "same place"), ("2", "3", False, "same place")} <= labels
    assert not any("4" in (p.a.id, p.b.id) for p in pairs)


def test_precision_and_recall_on_the_board_pairs():
    if not BOARD.exists():
        pytest.skip(f"shared data absent at {BOARD}")
    scores = dup_pairs.evaluate(dup_pairs.board_pairs(BOARD))
    assert scores.positives >= 300 and sum(n for _, n in scores.by_kind.values()) >= 500
    assert scores.precision >= 0.9 and scores.recall >= 0.8


def test_a_policy_asked_about_all_year_without_a_place_is_one_city_wide_row():
    asks = [
        "咨询人才购房补贴怎么申请",
        "人才购房补贴申请不通过",
        "人才购房补贴什么时候发放",
        "人才购房补贴的条件",
    ]
    messages = [
        Message(str(i), f"p{i}", asks[i % 4], "关于人才购房补贴政策的咨询", _at(100 * i)) for i in range(8)
    ]
    messages += [
        Message(f"e{i}", f"e{i}", "阳光小区电梯坏了", "阳光小区3栋电梯坏了", _at(i)) for i in range(3)
    ]
    found = hotspots.find(messages)
    city = [h for h in found if h.city_wide]
    assert len(city) == 1 and len(city[0].members) == 8 and city[0].where == hotspots.CITY_WIDE
    assert any(h.place.endswith("阳光小区") for h in found)
    # without the city-wide pass the same messages stay apart (100 days between asks, over two years)
    assert not any(len(h.members) == 8 for h in hotspots.find(messages, city_gap_days=None))


@pytest.mark.django_db
def test_the_demo_ships_the_rules_a_district_would_have(settings):
    from categories.models import Category
    from demo.loader import load_demo_district
    from triage.demo import load_demo_triage
    from triage.models import RoutingRule
    from triage.routing import rule_for

    settings.DEMO_MODE = True
    demo = load_demo_district()
    made = load_demo_triage(demo)
    assert made == RoutingRule.objects.count() >= 41 and load_demo_triage(demo) == 0  # idempotent
    community = demo.community
    lights = rule_for(Category.objects.get(code="CXJS-SZSS"), community)
    estate = rule_for(Category.objects.get(code="CXJS-WYGL"), community)
    lift = rule_for(Category.objects.get(code="CXJS-DTJZ"), community)
    assert lights is not None and lights.unit.name == "青山区城市管理局"
    assert estate is not None and estate.area == community and "物业" in estate.unit.name
    assert lift is not None and lift.unit.name == "青山区住房和城乡建设局"
