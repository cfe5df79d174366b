"""A labelled set of duplicate and non-duplicate pairs built from the board data, to measure ``triage.duplicates``.

The board file (``messages_with_likes.csv``) holds problems many residents raised at one place. Each problem below
was picked by hand from the file (reading the messages that name the place) and is written as the place (a regex
on the title and the body's start) and the problem (a regex that every message about it matches, and no message
about the place's other problems does). Then, for messages raised within ``WINDOW_DAYS`` of each other:

- **duplicate**: two messages of one problem (the same place, the same problem, in their own words);
- **not a duplicate, same place**: messages of two different problems of one place (深业睿城's bus route and its
  car parks; 魅力之城's kitchen fumes and its cracked floors …);
- **not a duplicate, same words elsewhere**: messages of problems of one kind at two places (car parks at 伊景园
  and at 深业睿城).

A message matching two problems of its place is left out (its label would be arguable), as are copies (one text
filed twice, ``hotspots.without_copies``). Problems with many messages would swamp the rest: at most
``MAX_PAIRS_PER_PROBLEM`` duplicate pairs are drawn from each (seeded, so the set is the same on every run).
The board has no buildings or grids: a pair at one place is compared as one grid, a pair at two places as one
community (``same_place``).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import timedelta
from itertools import combinations
from pathlib import Path

from triage import duplicates
from triage.hotspots import Message

WINDOW_DAYS = 30
MAX_PAIRS_PER_PROBLEM = 150
SEED = 18

# (place, problem name, place regex, problem regex)
PROBLEMS = [
    ("伊景园滨河苑", "捆绑销售车位", r"伊景园|滨河苑|广铁", r"车位"),
    ("丽发新城", "搅拌站扰民", r"丽发", r"搅拌"),
    ("丽发新城", "道路坑洼", r"丽发", r"坑坑洼洼|坑洼"),
    ("魅力之城", "商铺油烟", r"魅力之城", r"油烟|排烟|烧烤"),
    ("魅力之城", "楼板墙面开裂", r"魅力之城", r"开裂"),
    ("凉塘路", "旧城改造", r"凉塘路", r"旧城改造"),
    ("泉星公园", "项目规划", r"泉星公园", r"规划"),
    ("深业睿城", "204 路公交", r"深业睿城", r"204|公交"),
    ("深业睿城", "地下车位", r"深业睿城", r"车位"),
    ("深业睿城", "幼儿园不开园", r"深业睿城", r"幼儿园"),
    ("辉煌国际城", "楼下商铺开饭店", r"辉煌国际城", r"饭店|餐饮|商铺"),
    ("嘉顺苑", "经常停水", r"嘉顺苑", r"停水"),
    ("嘉顺苑", "安置房质量", r"嘉顺苑|梅溪湖安置房", r"质量"),
    ("金域蓝湾", "精装房质量", r"金域蓝湾", r"质量"),
    ("金科天悦", "车位", r"金科天悦", r"车位"),
    ("金科时代中心", "物业收费", r"金科时代中心|金科代时中心", r"物业|收费"),
]


@dataclass(frozen=True)
class Pair:
    a: Message
    b: Message
    duplicate: bool
    same_place: bool
    kind: str  # "duplicate", "same place", "elsewhere"


def _problems_of(message: Message) -> list[int]:
    words = f"{message.title} {message.body[:300]}"
    return [
        i
        for i, (_, _, place, topic) in enumerate(PROBLEMS)
        if re.search(place, words) and re.search(topic, words)
    ]


def build(messages: list[Message]) -> list[Pair]:
    members: dict[int, list[Message]] = {}
    for m in messages:
        found = _problems_of(m)
        places = {PROBLEMS[i][0] for i in found}
        if len(found) == 1 or (len(found) > 1 and len(places) == len(found)):
            for i in found:
                members.setdefault(i, []).append(m)
    window = timedelta(days=WINDOW_DAYS)

    def near(a: Message, b: Message) -> bool:
        return abs(a.at - b.at) <= window and a.id != b.id

    rng = random.Random(SEED)
    pairs: list[Pair] = []
    for _problem, group in sorted(members.items()):
        positives = [Pair(a, b, True, True, "duplicate") for a, b in combinations(group, 2) if near(a, b)]
        rng.shuffle(positives)
        pairs += positives[:MAX_PAIRS_PER_PROBLEM]
    for i, j in combinations(sorted(members), 2):
        same_place = PROBLEMS[i][0] == PROBLEMS[j][0]
        same_kind = PROBLEMS[i][3] == PROBLEMS[j][3]
        if not (same_place or same_kind):
            continue
        kind = "same place" if same_place else "elsewhere"
        negatives = [
            Pair(a, b, False, same_place, kind) for a in members[i] for b in members[j] if near(a, b)
        ]
        rng.shuffle(negatives)
        pairs += negatives[:MAX_PAIRS_PER_PROBLEM]
    return pairs


def board_pairs(path: str | Path) -> list[Pair]:
    from triage.management.commands.hotspots import read_messages

    return build(read_messages(str(path)))


def predicted(pair: Pair) -> bool:
    """What ``triage.duplicates`` says of the pair (one place is one grid; two places one community)."""
    a = duplicates.shape(pair.a.title, pair.a.body[: duplicates.BODY_PREFIX])
    b = duplicates.shape(pair.b.title, pair.b.body[: duplicates.BODY_PREFIX])
    score = duplicates.similarity(a, b)
    named = bool(a.places & b.places)
    return score > 0 and score >= duplicates.bar(
        same_building=False, same_grid=pair.same_place, same_place_named=named
    )


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    true_positives: int
    predicted_positives: int
    positives: int
    by_kind: dict[str, tuple[int, int]]  # kind → (pairs called duplicates, pairs)


def evaluate(pairs: list[Pair]) -> Scores:
    tp = fp = fn = 0
    by_kind: dict[str, list[int]] = {}
    for pair in pairs:
        said = predicted(pair)
        counts = by_kind.setdefault(pair.kind, [0, 0])
        counts[0] += said
        counts[1] += 1
        tp += said and pair.duplicate
        fp += said and not pair.duplicate
        fn += pair.duplicate and not said
    return Scores(
        precision=tp / (tp + fp) if tp + fp else 0.0,
        recall=tp / (tp + fn) if tp + fn else 0.0,
        true_positives=tp,
        predicted_positives=tp + fp,
        positives=tp + fn,
        by_kind={k: (v[0], v[1]) for k, v in by_kind.items()},
    )
