"""Hotspots (热点问题): messages grouped into problems by topic, place and time, ranked by a heat index.

Used on any list of messages: the real board data (``manage.py hotspots --csv``) or the appeals in a user's
scope (the staff page and ``GET /api/hotspots/``).

1. Place: named places in the masked text (``A市A5区魅力之城小区`` → ``A5区魅力之城小区``): regexes for
   小区/花园/苑…, roads and streets, 社区/村/镇, schools and hospitals, trimmed of lead-in words with jieba.
   Appeals in the database also carry their grid.
2. Topic: TF-IDF over jieba tokens of the title (twice) and the start of the body; cosine similarity.
3. Grouping: two messages belong to one problem when they are close in time and either read alike or share a
   place and read somewhat alike; each message joins the problem whose members it is most similar to
   (no chaining through loosely related messages).
4. Heat: 10 × distinct people + 2 × messages + 5 × ln(1 + support) + days active / 6 (capped at 10).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import jieba
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from triage import text

MASK = re.compile(r"[A-Z]\d{0,2}(?:市|省)")
DISTRICT = r"(?P<district>[A-Z]\d{1,2}(?:区|县|市))?"
SUFFIXES = [
    r"小区|花园|家园|公寓|新村|新城|大厦|广场|苑|庄园|山庄|华府|名城|公馆|国际城|城",
    r"大道|路|街|巷",
    r"社区|村|街道|镇|乡",
    r"学院|大学|中学|小学|学校|幼儿园|医院",
]
PLACE_PATTERNS = [
    re.compile(
        DISTRICT
        + r"(?P<name>[\u4e00-\u9fa5A-Za-z0-9]{2,12}?(?:"
        + s
        + r"))(?![\u4e00-\u9fa5]{0,1}(?:局|委|办|厅))"
    )
    for s in SUFFIXES
]
LEAD_WORDS = set(
    "反映 关于 投诉 举报 位于 地处 座落 坐落 请问 咨询 建议 我们 我 本人 市民 居民 业主 住户 家住 住在 "
    "的 在 是 对 了 和 与 及 要求 希望 请求 解决 问题 强烈 严重 一个 一栋 个 这个 那个 整个 附近 旁边 "
    "周边 门口 对面 西地省 省 市 区 县 原 新建 原来 向 从 到 由 为 被 将 给 有 目前 现在 今年 距 距离 属下 "
    "配套 该 此 本 某 各 其 新 老 整条 这条 那条 一条 沿线 旁 里 内 外".split()
)
GENERIC_NAMES = {
    "小区",
    "城",
    "路",
    "街",
    "村",
    "社区",
    "街道",
    "镇",
    "乡",
    "学校",
    "医院",
    "新城",
    "城市",
    "县城",
    "市区",
    "农村",
}


@dataclass
class Message:
    id: str
    user: str
    title: str
    body: str
    at: datetime
    support: int = 0  # likes on the board, followers of an appeal
    place: str = ""  # a known place (an appeal's grid), used before places found in the text


@dataclass
class Hotspot:
    place: str
    description: str
    start: datetime
    end: datetime
    members: list[Message] = field(default_factory=list)

    @property
    def people(self) -> int:
        return len({m.user for m in self.members})

    @property
    def support(self) -> int:
        return sum(max(0, m.support) for m in self.members)

    @property
    def days(self) -> int:
        return max(1, (self.end - self.start).days + 1)

    @property
    def heat(self) -> float:
        return round(
            10 * self.people + 2 * len(self.members) + 5 * math.log1p(self.support) + min(self.days / 6, 10),
            1,
        )


def _trim(name: str, kind: int) -> str:
    if kind != 1:  # a housing estate or a village named after its road: keep the estate's own name
        name = re.split(r"(?:路|街|大道)(?=[\u4e00-\u9fa5]{2})", name)[-1]
    words = jieba.lcut(name)
    while len(words) > 1 and (words[0] in LEAD_WORDS or words[0] in text.stopwords()):
        words.pop(0)
    return "".join(words)


@lru_cache(maxsize=20_000)
def places(title: str, body: str) -> list[str]:
    """Named places of one message, the title's first (most specific kinds first within each part)."""
    found: list[str] = []
    for part in (title, body[:400]):
        part = MASK.sub(" ", part)
        for kind, pattern in enumerate(PLACE_PATTERNS):
            for match in pattern.finditer(part):
                name = _trim(match.group("name"), kind)
                if len(name) < 3 or name in GENERIC_NAMES:
                    continue
                district = match.group("district") or ""
                place = f"{district}{name}"
                if place not in found:
                    found.append(place)
    return found


def _core(place: str) -> str:
    return re.sub(r"^[A-Z]\d{1,2}(?:区|县|市)", "", place)


def _vectors(messages: Sequence[Message]):
    docs = [" ".join(text.tokens(f"{m.title} {m.title} {m.body[:300]}")) for m in messages]
    # common words say nothing about which problem a message is, but only in a corpus big enough to tell
    vectorizer = TfidfVectorizer(
        token_pattern=r"\S+", sublinear_tf=True, min_df=1, max_df=0.3 if len(docs) >= 200 else 1.0
    )
    try:
        return vectorizer.fit_transform(docs)
    except ValueError:  # every document empty
        return None


def find(
    messages: Sequence[Message],
    *,
    similar: float = 0.45,
    similar_same_place: float = 0.2,
    different_place: float = 0.75,
    max_gap_days: int = 90,
    min_people: int = 2,
) -> list[Hotspot]:
    """Group messages into problems and rank them by heat (hottest first)."""
    messages = sorted(messages, key=lambda m: m.at)
    if len(messages) < 2:
        return []
    matrix = _vectors(messages)
    if matrix is None:
        return []
    sims = (matrix @ matrix.T).tocsr()
    sims.data[sims.data < min(similar_same_place, similar, different_place)] = 0
    sims.eliminate_zeros()
    place_sets = [
        {_core(p) for p in ([m.place] if m.place else []) + places(m.title, m.body)} for m in messages
    ]
    times = np.array([m.at.timestamp() for m in messages])
    gap = max_gap_days * 86400
    cluster_of = [-1] * len(messages)
    clusters: list[list[int]] = []
    for i in range(len(messages)):
        lo, hi = sims.indptr[i], sims.indptr[i + 1]
        best, best_score = -1, 0.0
        scores: dict[int, list[float]] = {}
        for j, s in zip(sims.indices[lo:hi], sims.data[lo:hi], strict=True):
            if j >= i or cluster_of[j] < 0 or times[i] - times[j] > gap:
                continue
            shared = bool(place_sets[i] & place_sets[j])
            elsewhere = bool(place_sets[i]) and bool(place_sets[j]) and not shared
            needed = similar_same_place if shared else (different_place if elsewhere else similar)
            if s >= needed:
                scores.setdefault(cluster_of[j], []).append(float(s) + (0.2 if shared else 0.0))
        for c, values in scores.items():
            top3 = sorted(values, reverse=True)[:3]
            score = sum(top3) / len(top3)  # the strongest links to the problem's messages
            if score > best_score:
                best, best_score = c, score
        if best < 0:
            cluster_of[i] = len(clusters)
            clusters.append([i])
        else:
            cluster_of[i] = best
            clusters[best].append(i)
    clusters = _merge(
        clusters, matrix, place_sets, times, (similar, similar_same_place, different_place), gap
    )
    hotspots = []
    for members in clusters:
        group = [messages[i] for i in members]
        if len({m.user for m in group}) < min_people:
            continue
        hotspots.append(_describe(group, [place_sets[i] for i in members], sims, members))
    hotspots.sort(key=lambda h: (-h.heat, h.start))
    return hotspots


def _merge(clusters, matrix, place_sets, times, thresholds, gap) -> list[list[int]]:
    """Join problems found twice (a second wave of messages that first linked among themselves): one pass over
    pairs of multi-message problems by centroid similarity, joined with union-find."""
    similar, similar_same_place, different_place = thresholds
    big = [c for c in clusters if len(c) >= 2]
    rest = [c for c in clusters if len(c) < 2]
    if len(big) < 2:
        return clusters
    centroids = np.vstack([np.asarray(matrix[c].mean(axis=0)) for c in big])
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    centroids = centroids / np.where(norms == 0, 1, norms)
    sims = centroids @ centroids.T
    main_place = [Counter(p for i in c for p in place_sets[i]).most_common(1) for c in big]
    parent = list(range(len(big)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pairs = np.argwhere(np.triu(sims >= similar_same_place + 0.1, k=1))
    for a, b in pairs:
        both = bool(main_place[a] and main_place[b])
        shared = both and main_place[a][0][0] == main_place[b][0][0]
        needed = similar_same_place + 0.1 if shared else (different_place if both else similar)
        if sims[a, b] < needed:
            continue
        close = min(
            abs(times[i] - times[j]) for i in (big[a][0], big[a][-1]) for j in (big[b][0], big[b][-1])
        )
        if close <= gap:
            parent[root(int(a))] = root(int(b))
    groups: dict[int, list[int]] = {}
    for k, members in enumerate(big):
        groups.setdefault(root(k), []).extend(members)
    return [sorted(g) for g in groups.values()] + rest


def _describe(group: list[Message], place_sets: list[set[str]], sims, members: list[int]) -> Hotspot:
    counts: Counter[str] = Counter()
    for m in group:
        for p in {*([m.place] if m.place else []), *places(m.title, m.body)}:
            counts[p] += 1
    place = ""
    if counts:
        top, n = counts.most_common(1)[0]
        if n >= max(2, len(group) // 3):
            # the most specific spelling of the commonest place (with its district code when some have it)
            core = _core(top)
            spellings = [p for p in counts if _core(p) == core]
            place = max(spellings, key=lambda p: (len(p), counts[p]))
    sub = sims[members][:, members]
    centrality = np.asarray(sub.sum(axis=1)).ravel()
    description = group[int(centrality.argmax())].title
    return Hotspot(
        place=place,
        description=description,
        start=min(m.at for m in group),
        end=max(m.at for m in group),
        members=sorted(group, key=lambda m: m.at),
    )


def table(hotspots: Iterable[Hotspot], top: int) -> list[str]:
    lines = ["排名\t热度\t时间范围\t地点\t问题描述\t留言数\t人数"]
    for rank, h in enumerate(list(hotspots)[:top], start=1):
        span = f"{h.start:%Y-%m-%d}至{h.end:%Y-%m-%d}"
        lines.append(
            f"{rank}\t{h.heat}\t{span}\t{h.place or '—'}\t{h.description}\t{len(h.members)}\t{h.people}"
        )
    return lines
