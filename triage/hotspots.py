"""Hotspots (热点问题): messages grouped into problems by topic, place and time, ranked by a heat index.

Used on any list of messages: the real board data (``manage.py hotspots --csv``) or the appeals in a user's
scope (the staff page and ``GET /api/hotspots/``).

1. Place: named places in the masked text (``A市A5区魅力之城小区`` → ``A5区魅力之城小区``): regexes for
   小区/花园/苑…, roads and streets, 社区/村/镇, schools and hospitals, cut at words no name runs across
   (的, 在…), trimmed of lead-in words with jieba, kinds of places ("安置小区", "十字路") dropped. A message
   is about the places its title names, else those of its body; appeals in the database also carry their grid.
2. Topic: TF-IDF over jieba tokens of the title (twice) and the start of the body, with the message's places
   taken out, so that two problems of one estate do not read alike for naming it; cosine similarity.
3. Grouping, in time order: a message joins the problem it reads most like, measured against the whole problem
   (cosine with the sum of its members), never through one loosely related member. It must reach 0.2 when it
   names one of the problem's places (0.3 for a road only: a long road has many problems), 0.5 when either
   names no place, and never joins a problem of another place. Then parts of one problem kept apart are merged
   and lone messages adopted by the same rules, now that each problem is whole.
4. Heat: 10 × distinct people + 2 × messages + 5 × ln(1 + support) + days active / 6 (capped at 10).

Copies in board data count once. A copy is a message whose title and body read as another's (one word masked
otherwise at most), sent in the same second: one message filed again under another account, not a second resident.
The real board data holds such copies: each of 魅力之城's fume complaints comes again under an id from 360100 on,
under a new user. ``without_copies`` drops them (the ``hotspots`` command reads files through it), so a copy adds
neither a message nor a person; its support is added to the message it copies. Appeals in the database are not
passed through it: each is raised by a known resident, and two residents may well send the same words at once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from triage import text
from triage.grouping import Thresholds, _adopt, _assign, _merge, city_wide
from triage.places import ROAD, _core, places

__all__ = ["places"]  # read from here by the staff page and tests, as before the split

BODY_CHARS = 150  # of the body read for the topic: its start says what is wrong (and jieba is slow)
COPY_SIMILARITY = 0.8  # of a copy to its message (see without_copies)
CITY_WIDE = "全市（不限地点）"
CITY_SIMILAR = 0.35  # how alike a message must read to join a problem that names no place (see city_wide)
CITY_GAP_DAYS = 365  # … and how far apart in time its messages may be
FAINT = 0.05  # similarities below this are dropped (a problem's sum of them is noise, and they fill memory)


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
    def city_wide(self) -> bool:
        """Raised without one place (a policy, a service, the whole city): shown as 全市."""
        return not self.place

    @property
    def where(self) -> str:
        return self.place or CITY_WIDE

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


def _place_set(message: Message) -> set[str]:
    """Where the message is about, without district codes: the places its title names (titles name places
    cleanly; bodies name neighbours, landmarks and stray phrases too), else those its body names, and the known
    place of an appeal. A place ending with another one it names is that one with words before it
    ("搅拌站丽发新城", "万科魅力之城" → 丽发新城, 魅力之城)."""
    found = places(message.title, "") or places(message.title, message.body)
    cores = {_core(p) for p in ([message.place] if message.place else []) + found}
    return {p for p in cores if not any(q != p and p.endswith(q) for q in cores)}


def _topic_text(message: Message, place_names: Iterable[str]) -> tuple[str, str]:
    """What is wrong, not where: title and start of the body with the message's places taken out (places are
    matched apart)."""
    title, body = message.title, message.body[:BODY_CHARS]
    for name in sorted(place_names, key=lambda n: (-len(n), n)):
        title, body = title.replace(name, " "), body.replace(name, " ")
    return title, body


def _vectors(messages: Sequence[Message], place_sets: Sequence[set[str]]):
    docs = []
    for m, found in zip(messages, place_sets, strict=True):
        title, body = _topic_text(m, found)
        title_words = text.tokens(title)  # the title counts twice: it names the problem
        docs.append(" ".join(title_words + title_words + text.tokens(body)))
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
    similar: float = 0.5,
    similar_same_place: float = 0.2,
    similar_same_road: float = 0.3,
    max_gap_days: int = 90,
    min_people: int = 2,
    city_similar: float = CITY_SIMILAR,
    city_gap_days: int | None = CITY_GAP_DAYS,
) -> list[Hotspot]:
    """Group messages into problems and rank them by heat (hottest first)."""
    messages = sorted(messages, key=lambda m: m.at)
    if len(messages) < 2:
        return []
    place_sets = [_place_set(m) for m in messages]
    matrix = _vectors(messages, place_sets)
    if matrix is None:
        return []
    thresholds = Thresholds(similar_same_place, similar_same_road, similar)
    times = np.array([m.at.timestamp() for m in messages])
    gap = max_gap_days * 86400
    sims = (matrix @ matrix.T).tocsr()
    sims.data[sims.data < FAINT] = 0
    sims.eliminate_zeros()
    clusters = _assign(sims, place_sets, times, thresholds, gap)
    clusters = _merge(clusters, matrix, place_sets, times, thresholds, gap)
    clusters = _adopt(clusters, sims, place_sets, times, thresholds, gap)
    if city_gap_days:
        clusters = city_wide(clusters, matrix, place_sets, times, city_similar, city_gap_days * 86400)
    hotspots = []
    for members in clusters:
        group = [messages[i] for i in members]
        if len({m.user for m in group}) < min_people:
            continue
        hotspots.append(_describe(group, [place_sets[i] for i in members], matrix[members]))
    hotspots.sort(key=lambda h: (-h.heat, h.start))
    return hotspots


def without_copies(messages: Iterable[Message]) -> list[Message]:
    """The messages with each copy dropped: a message sent in the same second as one before it (in the input's
    order) whose title and body read the same (character bigrams, Jaccard ≥ ``COPY_SIMILARITY``; a copy may have a
    word masked otherwise). The support a copy drew goes to the message it copies."""
    kept: list[Message] = []
    by_second: dict[datetime, list[tuple[Message, set[str]]]] = {}
    for m in messages:
        grams = text.bigrams(f"{m.title} {m.body}")
        same_second = by_second.setdefault(m.at.replace(microsecond=0), [])
        first = next((k for k, g in same_second if text.jaccard(grams, g) >= COPY_SIMILARITY), None)
        if first is None:
            first = replace(m)
            kept.append(first)
            same_second.append((first, grams))
        else:
            first.support = max(0, first.support) + max(0, m.support)
    return kept


def _describe(group: list[Message], place_sets: list[set[str]], vectors) -> Hotspot:
    """The problem's place is the one most of its titles name (titles name places cleanly), else the one most of
    its messages name, an estate before a road; its description is the title of the message nearest its centroid."""
    place = ""
    in_titles = Counter(
        p for m in group for p in {_core(q) for q in places(m.title, "")} | ({m.place} - {""})
    )
    in_texts = Counter(p for found in place_sets for p in found)
    for counts in (in_titles, in_texts):
        ranked = sorted(counts.items(), key=lambda pn: (-pn[1], bool(ROAD.search(pn[0])), -len(pn[0]), pn[0]))
        if ranked and ranked[0][1] >= max(2, len(group) // 3):
            place = ranked[0][0]
            break
    if place:  # with its district code when a message gives one
        spellings = Counter(
            p for m in group for p in places(m.title, m.body) if _core(p) == place and p != place
        )
        if spellings:
            place = min(spellings.items(), key=lambda pn: (-pn[1], pn[0]))[0]
    centroid = np.asarray(vectors.sum(axis=0)).ravel()
    description = group[int(np.asarray(vectors @ centroid).ravel().argmax())].title
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
        lines.append(f"{rank}\t{h.heat}\t{span}\t{h.where}\t{h.description}\t{len(h.members)}\t{h.people}")
    return lines
