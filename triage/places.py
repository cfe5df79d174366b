"""Named places in the masked board text and in appeals (``A市A5区魅力之城小区`` → ``A5区魅力之城小区``), for hotspots.

Regexes for 小区/花园/苑…, roads and streets, 社区/村/镇, schools and hospitals, cut at words no name runs across
(的, 在…), trimmed of lead-in words with jieba, kinds of places ("安置小区", "十字路") dropped. Split from
``triage.hotspots`` (its step 1), behaviour unchanged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import jieba

from triage import text

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


def _same_place(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 3 and (a.endswith(b) or b.endswith(a)))


ROAD = re.compile(r"(?:大道|路|街|巷)$")


def _shared(mine: Iterable[str], theirs: Iterable[str]) -> list[str]:
    return [a for a in mine for b in theirs if _same_place(a, b)]


def _main_places(counts: Counter[str], size: int) -> set[str]:
    """A problem's places: those at least a third of its messages name (not a place one of many names once)."""
    return {p for p, n in counts.items() if n * 3 >= size}
