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
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache

import jieba
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from triage import text

BODY_CHARS = 150  # of the body read for the topic: its start says what is wrong (and jieba is slow)
COPY_SIMILARITY = 0.8  # of a copy to its message (see without_copies)
FAINT = 0.05  # similarities below this are dropped (a problem's sum of them is noise, and they fill memory)
MASK = re.compile(r"[A-Z]\d{0,2}(?:市|省)")
DISTRICT = r"(?P<district>[A-Z]\d{1,2}(?:区|县|市))?"
SUFFIXES = [
    r"小区|花园|家园|公寓|新村|新城|大厦|广场|公园|苑|庄园|山庄|华府|名城|公馆|国际城|城(?![际铁市乡区管建中])",
    r"大道|路|街(?!道)|巷",
    r"社区|村|街道|镇|乡",
    r"学院|大学|中学|小学|学校|幼儿园|医院",
]
PLACE_PATTERNS = [
    re.compile(
        DISTRICT
        + r"(?P<name>[\u4e00-\u9fa5A-Za-z0-9]{2,12}?(?P<suffix>"
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

DISTRICT_CODE = re.compile(r"[A-Z]\d{1,2}(?:区|县|市)")
# a place name never runs across these: "灰尘污染的丽发新城" names 丽发新城, "地铁3号线在深业睿城" names 深业睿城
BREAK = re.compile(r".*(?:的|在|到|从|是|与|及|把|被|往|离|了|为|对|请|我们|我|甚至|里|内|[0-9]+个)")
# a road or a district named before an estate, a community or a town before what lies in it
LEADING_PLACE = re.compile(r"(?:大道|路|街道|街|社区|镇)(?=[\u4e00-\u9fa5]{2})")
GENERIC_HEADS = {
    # "十字路", "高速公路", "城际铁路", "公交线路": ways, not places
    *"十字 交叉 快速 高速公 人行 断头 每次 走投无 公交线 高铁线 铁 公 马 大马 小 现道 全市道 道 必经之 水泥".split(),
    # "安置小区", "住宅小区", "中小学", "公立幼儿园": kinds of places, not their names
    *"安置 住宅 二期 配套 中小 市直 公立 多所 全国文明 文明 全国卫生 卫生 生活 步行 美食 居民 大型 普惠".split(),
    # "影响小区", "进入小区", "两个小区": a common word before the kind of place
    *"影响 导致 进入 维护 破坏 造成 两个 几个 多个 各个 整个 这个 附近 周边 最近 占用 未经 所在 所有 其他 进出 出入".split(),
}
GENERIC_PREFIXES = ("小区", "城市", "影响")  # "小区幼儿园", "城市道路", "影响周边小区"


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


@lru_cache(maxsize=1)
def _lead() -> re.Pattern[str]:
    """Matches a name that may start with a lead word (then jieba decides whether it is a word there)."""
    words = sorted(LEAD_WORDS | text.stopwords(), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words if w))


@lru_cache(maxsize=50_000)
def _trim(name: str, kind: int) -> tuple[str, str]:
    """(district code, name) of a matched place: the words before the name dropped."""
    district = DISTRICT_CODE.findall(name)
    name = BREAK.sub("", DISTRICT_CODE.split(name)[-1])
    if kind != 1:  # a housing estate or a village named after its road: keep the estate's own name
        name = LEADING_PLACE.split(name)[-1]
    if _lead().match(name):
        words = jieba.lcut(name)
        while len(words) > 1 and (words[0] in LEAD_WORDS or words[0] in text.stopwords()):
            words.pop(0)
        name = "".join(words)
    return (district[-1] if district else ""), name


def _generic(name: str, suffix: str) -> bool:
    """A kind of place rather than a place: "小区", "影响小区", "十字路"."""
    head = name[: len(name) - len(suffix)]
    return (
        len(head) < 2 or name in GENERIC_NAMES or head in GENERIC_HEADS or head.startswith(GENERIC_PREFIXES)
    )


@lru_cache(maxsize=20_000)
def places(title: str, body: str) -> list[str]:
    """Named places of one message, the title's first (most specific kinds first within each part)."""
    found: list[str] = []
    for part in (title, body[:400]):
        part = MASK.sub(" ", part)
        for kind, pattern in enumerate(PLACE_PATTERNS):
            for match in pattern.finditer(part):
                district, name = _trim(match.group("name"), kind)
                suffix = match.group("suffix")
                if not name.endswith(suffix) or _generic(name, suffix):
                    continue
                place = f"{match.group('district') or district}{name}"
                if place not in found:
                    found.append(place)
    return found


def _core(place: str) -> str:
    return DISTRICT_CODE.sub("", place, count=1)


def _place_set(message: Message) -> set[str]:
    """Where the message is about, without district codes: the places its title names (titles name places
    cleanly; bodies name neighbours, landmarks and stray phrases too), else those its body names, and the known
    place of an appeal. A place ending with another one it names is that one with words before it
    ("搅拌站丽发新城", "万科魅力之城" → 丽发新城, 魅力之城)."""
    found = places(message.title, "") or places(message.title, message.body)
    cores = {_core(p) for p in ([message.place] if message.place else []) + found}
    return {p for p in cores if not any(q != p and p.endswith(q) for q in cores)}


def _same_place(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 3 and (a.endswith(b) or b.endswith(a)))


ROAD = re.compile(r"(?:大道|路|街|巷)$")


def _shared(mine: Iterable[str], theirs: Iterable[str]) -> list[str]:
    return [a for a in mine for b in theirs if _same_place(a, b)]


def _main_places(counts: Counter[str], size: int) -> set[str]:
    """A problem's places: those at least a third of its messages name (not a place one of many names once)."""
    return {p for p, n in counts.items() if n * 3 >= size}


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


@dataclass(frozen=True)
class Thresholds:
    """How alike (cosine of the place-free topic vectors) a message must read to join a problem. The same
    complaint about two estates is two problems: when both name places and none is shared, never."""

    same_place: float  # it names one of the problem's estates, villages, communities, schools
    same_road: float  # it names one of the problem's roads (a long road has many problems)
    no_place: float  # one of the two names no place

    @property
    def lowest(self) -> float:
        return min(self.same_place, self.same_road, self.no_place)

    def needed(self, mine: set[str], theirs: set[str]) -> float:
        shared = _shared(mine, theirs)
        if shared:
            return self.same_road if all(ROAD.search(p) for p in shared) else self.same_place
        if mine and theirs:
            return math.inf
        return self.no_place


def find(
    messages: Sequence[Message],
    *,
    similar: float = 0.5,
    similar_same_place: float = 0.2,
    similar_same_road: float = 0.3,
    max_gap_days: int = 90,
    min_people: int = 2,
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


def _assign(sims, place_sets, times, thresholds: Thresholds, gap: float) -> list[list[int]]:
    """One pass in time order: a message joins the problem it reads most like, measured against the whole problem
    (the cosine with the sum of its members' vectors), so a problem cannot drift from one topic to the next
    through loosely related messages; a message like none starts a problem of its own."""
    self_sims = sims.diagonal()
    lowest = thresholds.lowest
    cluster_of = np.full(len(place_sets), -1)
    clusters: list[list[int]] = []
    norm2: list[float] = []  # squared length of each problem's vector sum
    counts: list[Counter[str]] = []  # how many of its messages name each place
    for i in range(len(place_sets)):
        lo, hi = sims.indptr[i], sims.indptr[i + 1]
        js, ss = sims.indices[lo:hi], sims.data[lo:hi]
        earlier = (js < i) & (times[i] - times[js] <= gap)
        js, ss = js[earlier], ss[earlier]
        best, best_score, best_dot = -1, 0.0, 0.0
        if len(js):
            candidates, where = np.unique(cluster_of[js], return_inverse=True)
            dots = np.bincount(where, weights=ss)  # this message · the sum of each problem's members
            linked = np.bincount(where, weights=ss >= lowest) > 0  # at least one member reads alike
            for c, dot, link in zip(candidates.tolist(), dots.tolist(), linked.tolist(), strict=True):
                if not link or norm2[c] <= 0:
                    continue
                score = dot / math.sqrt(norm2[c])
                needed = thresholds.needed(place_sets[i], _main_places(counts[c], len(clusters[c])))
                if score >= needed and score > best_score:
                    best, best_score, best_dot = c, score, dot
        if best < 0:
            cluster_of[i] = len(clusters)
            clusters.append([i])
            norm2.append(float(self_sims[i]))
            counts.append(Counter(place_sets[i]))
        else:
            cluster_of[i] = best
            clusters[best].append(i)
            norm2[best] += 2 * best_dot + float(self_sims[i])
            counts[best].update(place_sets[i])
    return clusters


def _membership(clusters: list[list[int]], n: int) -> sparse.csr_matrix:
    """n × len(clusters): 1 where a message belongs to a problem."""
    rows = np.concatenate(clusters)
    columns = np.repeat(np.arange(len(clusters)), [len(c) for c in clusters])
    return sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(n, len(clusters)))


def _merge(clusters, matrix, place_sets, times, thresholds: Thresholds, gap: float) -> list[list[int]]:
    """Join the parts of one problem the first pass kept apart (its first messages read less alike than the
    problem as a whole does): repeatedly the two problems whose centroids read most alike, when their places and
    times allow it, with the thresholds the first pass uses for one message."""
    big = [list(c) for c in clusters if len(c) >= 2]
    rest = [c for c in clusters if len(c) < 2]
    if len(big) < 2:
        return clusters
    # gram[a, b] = (sum of a's vectors) · (sum of b's vectors); merging two problems adds their rows and columns
    summed = _membership(big, matrix.shape[0]).T @ matrix
    gram = (summed @ summed.T).toarray()

    def named(members: list[int]) -> Counter[str]:
        return Counter(p for i in members for p in place_sets[i])

    alls = [named(c) for c in big]
    mains = [_main_places(alls[k], len(c)) for k, c in enumerate(big)]
    spans = [(times[c].min(), times[c].max()) for c in big]
    alive = np.ones(len(big), dtype=bool)
    lowest = thresholds.lowest
    refused: set[tuple[int, int]] = set()
    while True:
        norms = np.sqrt(np.maximum(np.diag(gram), 1e-12))
        cos = np.triu(gram / np.outer(norms, norms), k=1)
        cos[~alive, :] = 0
        cos[:, ~alive] = 0
        pairs = np.argwhere(cos >= lowest)
        pairs = pairs[np.argsort(-cos[pairs[:, 0], pairs[:, 1]], kind="stable")]
        for a, b in pairs.tolist():
            if (a, b) in refused:
                continue
            near = spans[a][0] - spans[b][1] <= gap and spans[b][0] - spans[a][1] <= gap
            # one problem's own place is among those the other's messages name
            needed = min(thresholds.needed(mains[a], set(alls[b])), thresholds.needed(set(alls[a]), mains[b]))
            if near and cos[a, b] >= needed:
                break
            refused.add((a, b))
        else:
            break
        big[a] = sorted(big[a] + big[b])
        alive[b] = False
        gram[a, :] += gram[b, :]
        gram[:, a] += gram[:, b]
        gram[b, :] = gram[:, b] = 0
        alls[a] += alls[b]
        mains[a] = _main_places(alls[a], len(big[a]))
        spans[a] = (min(spans[a][0], spans[b][0]), max(spans[a][1], spans[b][1]))
        refused = {(x, y) for x, y in refused if a not in (x, y)}
    return [c for k, c in enumerate(big) if alive[k]] + rest


def _adopt(clusters, sims, place_sets, times, thresholds: Thresholds, gap: float) -> list[list[int]]:
    """A message left alone joins the problem it reads most like now that the problem is whole (when it came,
    the problem's first messages may have read less like it than all of them do)."""
    big = [c for c in clusters if len(c) >= 2]
    alone = [c[0] for c in clusters if len(c) == 1]
    if not big or not alone:
        return clusters
    membership = _membership(big, sims.shape[0])
    dots = (sims[alone] @ membership).tocsr()  # each lone message · the sum of each problem's members
    norms = np.sqrt(np.maximum((membership.T @ sims @ membership).diagonal(), 1e-12))
    mains = [_main_places(Counter(p for i in c for p in place_sets[i]), len(c)) for c in big]
    spans = [(times[c].min(), times[c].max()) for c in big]
    joined = [list(c) for c in big]
    left = []
    for row, i in enumerate(alone):
        lo, hi = dots.indptr[row], dots.indptr[row + 1]
        best, best_score = -1, 0.0
        for c, dot in zip(dots.indices[lo:hi].tolist(), dots.data[lo:hi].tolist(), strict=True):
            score = dot / norms[c]
            near = spans[c][0] - gap <= times[i] <= spans[c][1] + gap
            if near and score > best_score and score >= thresholds.needed(place_sets[i], mains[c]):
                best, best_score = c, score
        if best < 0:
            left.append([i])
        else:
            joined[best].append(i)
    return [sorted(c) for c in joined] + left


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
        lines.append(
            f"{rank}\t{h.heat}\t{span}\t{h.place or '—'}\t{h.description}\t{len(h.members)}\t{h.people}"
        )
    return lines
