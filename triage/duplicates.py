"""Near-duplicates at intake (可能重复): the same problem at the same place, raised within a time window.

- **Place.** The same building, else the same grid, else the same community with a place both texts name
  ("1号楼", "丽景湾"). Appeals carry no coordinates, so "within a distance" is the building and the grid.
- **Time.** Raised within ``TRIAGE_DUPLICATE_DAYS`` days of each other (30 by default).
- **The same problem in other words.** The text is normalised first: synonyms of the problem's key nouns and of
  the words around them are folded into one spelling (路灯/灯/街灯 → 灯, 东边/东侧/东面 → 东, 不亮/坏了/损坏 →
  坏 …, ``SYNONYMS``); then character bigrams and trigrams of the title and the start of the body are compared
  (Jaccard). Two texts that each name a key noun but share none are different problems (a street light and a
  lift in one building), whatever else they share.

A candidate is a duplicate when its similarity reaches the bar its place sets: ``SAME_BUILDING`` for one building,
``SAME_GRID`` for one grid, ``SAME_PLACE_NAMED`` when both name one place, ``ELSEWHERE`` otherwise. Measured on
labelled pairs built from the board data (``triage.dup_pairs``; ``docs/triage.md``): ``BENCH duplicates.*``.

The lookup is one query on a partial index of open appeals (``appeal_open_lookup``: community, submitted_at, only
open statuses; ``triage/migrations/0004``): one range scan of the window, newest first, stopping at
``TRIAGE_DUPLICATE_CANDIDATES`` rows, each with a prefix of its body (on both databases: the statuses are written
as the index's own literals); they are scored here (each text's n-grams computed once and kept for the appeals seen
lately).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from appeals.models import OPEN_STATUSES, Appeal
from linli import clock

# canonical spelling → the words folded into it (key nouns first, then the words around them)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "灯": ("路灯", "街灯", "楼道灯", "灯泡", "照明灯", "照明", "灯"),
    "电梯": ("电梯", "升降梯", "直梯"),
    "停水": ("停水", "没水", "断水", "水压低", "水压小", "水压不足"),
    "漏水": ("漏水", "渗水", "滴水", "水管破裂", "爆管"),
    "下水道": ("下水道", "排水管", "下水管", "化粪池", "污水井", "管道堵塞"),
    "噪音": ("噪音", "噪声", "吵闹", "很吵", "太吵", "扰民"),
    "油烟": ("油烟", "烟味", "排烟"),
    "垃圾": ("垃圾", "废品", "杂物"),
    "停车": ("停车", "车位", "停车位", "乱停", "占道停车"),
    "井盖": ("井盖", "窨井盖"),
    "树": ("树木", "大树", "树枝", "树"),
    "门禁": ("门禁", "单元门", "防盗门"),
    "暖气": ("暖气", "供暖", "供热", "地暖"),
    "燃气": ("燃气", "天然气", "煤气"),
    "电": ("停电", "断电", "没电", "跳闸"),
    "东": ("东边", "东侧", "东面", "东头", "东门"),
    "西": ("西边", "西侧", "西面", "西头", "西门"),
    "南": ("南边", "南侧", "南面", "南头", "南门"),
    "北": ("北边", "北侧", "北面", "北头", "北门"),
    "坏": ("坏了", "坏掉", "损坏", "不亮", "不好使", "失灵", "故障", "熄灭", "黑了", "坏"),
    "楼": ("号楼", "栋", "幢", "号楼栋"),
    "周": ("一周", "一星期", "一个星期", "七天", "好几天", "多天", "几天"),
    "修": ("维修", "修理", "修复", "抢修", "修"),
}
KEY_NOUNS = frozenset("灯 电梯 停水 漏水 下水道 噪音 油烟 垃圾 停车 井盖 树 门禁 暖气 燃气 电".split())
# what every complaint says: dropped before comparing (they make any two complaints read alike)
BOILERPLATE = re.compile(
    r"[A-Z]\d{0,2}[市区县]|反映|投诉|举报|关于|问题|咨询|请求|请问|希望|建议|要求|小区|居民|业主|住户|严重|"
    r"处理|解决|相关|部门|政府|领导|你们|我们|我家|本人|目前|现在|已经|一直|为什么|怎么|如何|是否|能否|"
    r"尽快|谢谢|你好|您好|的|了|是|在|有|和|与|及|也|都|就|还|被|把|给|对|请"
)
SAME_BUILDING = 0.1
SAME_GRID = 0.12
SAME_PLACE_NAMED = 0.2
ELSEWHERE = 0.45
BODY_PREFIX = 120
NOT_WORD = re.compile(r"[^0-9A-Za-z\u4e00-\u9fff]+")
NUMBERED_PLACE = re.compile(r"(\d+)(?:号楼|栋|幢|单元)")


@lru_cache(maxsize=1)
def _folding() -> tuple[re.Pattern[str], dict[str, str]]:
    spelling = {word: canonical for canonical, words in SYNONYMS.items() for word in words}
    words = sorted(spelling, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)), spelling


def fold(text: str) -> str:
    """The text with synonyms folded into one spelling (marked ⟨…⟩ so a folded word is one symbol)."""
    pattern, spelling = _folding()
    return pattern.sub(lambda m: f"⟨{spelling[m.group(0)]}⟩", text)


# For comparing, each folded word is one character of Unicode's private use area (the first canonical spelling
# U+E000, the next U+E001 …), so a text's n-grams are slices of one string: the same n-grams as ⟨…⟩-marked
# symbols give, at a fraction of the cost. Private-use characters of the text itself are dropped first.
PRIVATE = re.compile("[\ue000-\uf8ff]")
NOT_SYMBOL = re.compile("[^0-9A-Za-z\u4e00-\u9fff\ue000-\uf8ff]+")


@lru_cache(maxsize=1)
def _coding() -> tuple[dict[str, str], dict[str, str]]:
    """(word → its symbol, symbol → key noun) for every synonym and key noun."""
    _, spelling = _folding()
    code = {canonical: chr(0xE000 + i) for i, canonical in enumerate(SYNONYMS)}
    return {word: code[canonical] for word, canonical in spelling.items()}, {code[n]: n for n in KEY_NOUNS}


def _symbols(text: str) -> str:
    """The text as comparison symbols: boilerplate dropped, synonyms folded into one character each, nothing but
    letters, digits, Chinese characters and folded words kept."""
    pattern, _ = _folding()
    by_word, _ = _coding()
    folded = pattern.sub(lambda m: by_word[m.group(0)], BOILERPLATE.sub(" ", PRIVATE.sub("", text)))
    return NOT_SYMBOL.sub("", folded)


@dataclass(frozen=True)
class Shape:
    """What the comparison needs of one text, computed once."""

    grams: frozenset[str]  # symbol bigrams and trigrams of the folded title and body start
    title: frozenset[str]  # … of the folded title alone
    nouns: frozenset[str]  # key nouns it names
    places: frozenset[str]  # numbered buildings it names ("1号楼" → "1楼")


def _grams(symbols: str) -> frozenset[str]:
    return frozenset(
        [symbols[i : i + 2] for i in range(len(symbols) - 1)]
        + [symbols[i : i + 3] for i in range(len(symbols) - 2)]
    )


@lru_cache(maxsize=4096)
def shape(title: str, body: str) -> Shape:
    head = body[:BODY_PREFIX]
    title_symbols = _symbols(title)
    symbols = title_symbols + _symbols(head)
    _, key_nouns = _coding()
    places = frozenset(f"{n}楼" for n in NUMBERED_PLACE.findall(f"{title} {head}"))
    nouns = frozenset(key_nouns[c] for c in key_nouns.keys() & set(symbols))
    return Shape(_grams(symbols), _grams(title_symbols), nouns, places)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity(a: Shape, b: Shape) -> float:
    """How alike two texts read as problems, 0–1 (0 when they name different key nouns and none in common)."""
    if a.nouns and b.nouns and not (a.nouns & b.nouns):
        return 0.0
    score = 0.5 * _jaccard(a.title, b.title) + 0.5 * _jaccard(a.grams, b.grams)
    if a.nouns & b.nouns:
        score += 0.1
    return min(score, 1.0)


def bar(*, same_building: bool, same_grid: bool, same_place_named: bool) -> float:
    if same_building:
        return SAME_BUILDING
    if same_grid:
        return SAME_GRID
    if same_place_named:
        return SAME_PLACE_NAMED
    return ELSEWHERE


@dataclass(frozen=True)
class Duplicate:
    appeal_id: int
    title: str
    status: str
    submitted_at: datetime
    same_grid: bool
    score: float
    same_building: bool = False
    why: str = ""


def _why(same_building: bool, same_grid: bool, named: bool) -> str:
    return "同一楼栋" if same_building else "同一网格" if same_grid else "同一地点" if named else "同一社区"


@lru_cache(maxsize=4)
def _candidates_sql(vendor: str) -> str:
    """The window's open appeals of a community, newest first: written once per database kind. The open
    statuses are written as literals, the partial index's own condition, so that SQLite uses the index too (it
    cannot match a bound parameter to it; PostgreSQL with psycopg's client-side binding already did)."""
    quote = connection.ops.quote_name
    meta = Appeal._meta

    def col(name: str) -> str:
        field = meta.get_field(name)
        assert isinstance(field, models.Field) and field.column
        return quote(field.column)

    statuses = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
    assert re.fullmatch(r"[' ,a-z_]+", statuses)  # constants of the code: nothing to escape
    return (
        f"SELECT {col('id')}, {col('title')}, SUBSTR({col('body')}, 1, {BODY_PREFIX}), {col('grid')}, "
        f"{col('building')}, {col('status')}, {col('submitted_at')} FROM {quote(meta.db_table)} "
        f"WHERE {col('community')} = %s AND {col('status')} IN ({statuses}) "
        f"AND {col('submitted_at')} >= %s AND {col('submitted_at')} <= %s AND {col('id')} <> %s "
        f"ORDER BY {col('submitted_at')} DESC LIMIT %s"
    )


def _candidates(appeal: Appeal, at: datetime) -> list[tuple]:
    """(pk, title, body start, grid, building, status, submitted at) of the candidates: one indexed range scan,
    written by hand (the suggestion asks for it on every appeal page; the ORM's compiling cost as much as the
    query)."""
    window = timedelta(days=settings.TRIAGE_DUPLICATE_DAYS)
    adapt = connection.ops.adapt_datetimefield_value
    params = [appeal.community_id, adapt(at - window), adapt(at + window), appeal.pk or 0]
    with connection.cursor() as cursor:
        cursor.execute(_candidates_sql(connection.vendor), [*params, settings.TRIAGE_DUPLICATE_CANDIDATES])
        return cursor.fetchall()


def _aware(value: datetime) -> datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)  # SQLite gives UTC, naive


def duplicates_for(appeal: Appeal, *, limit: int = 5) -> list[Duplicate]:
    """Open appeals of the same community raised within the window before or after this one that read as the
    same problem at the same place, the likeliest first."""
    mine = shape(appeal.title, appeal.body[:BODY_PREFIX])
    found = []
    for pk, title, head, grid_id, building_id, status, submitted_at in _candidates(
        appeal, appeal.submitted_at or clock.now()
    ):
        theirs = shape(title, head or "")
        score = similarity(mine, theirs)
        if score <= 0:
            continue
        same_building = building_id is not None and building_id == appeal.building_id
        same_grid = grid_id is not None and grid_id == appeal.grid_id
        named = bool(mine.places & theirs.places)
        if score >= bar(same_building=same_building, same_grid=same_grid, same_place_named=named):
            why = _why(same_building, same_grid, named)
            found.append(
                Duplicate(
                    pk, title, status, _aware(submitted_at), same_grid, round(score, 3), same_building, why
                )
            )
    found.sort(key=lambda d: (-d.same_building, -d.score))
    return found[:limit]
