"""The appeal benchmark's data (``appeals_bench.py``): a category tree, residents per community, and appeals
generated in bulk across communities, grids, statuses and two years of months (imported after ``django.setup``)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from appeals.models import Appeal, Channel, Level, Satisfaction, Status, TriageKind
from categories.models import Category
from linli.testing import World
from people.models import Person

RESIDENTS_PER_COMMUNITY = 1_500
BATCH = 5_000
SEED = 20240601


# ---- data -------------------------------------------------------------------------------------------------
def add_category_tree() -> list[Category]:
    """A small category tree (the world has none): five roots, three leaves each, varied deadlines."""
    roots = {
        "ENV": ("环境卫生", 24, 3),
        "PROP": ("物业管理", 24, 5),
        "INFRA": ("市政设施", 48, 10),
        "SAFETY": ("安全隐患", 4, 2),
        "NEIGH": ("邻里纠纷", 24, 7),
    }
    leaves = []
    for code, (name, hours, days) in roots.items():
        root = Category.objects.create(code=code, name=name, contact_hours=hours, resolve_working_days=days)
        for i, leaf in enumerate(("一般", "紧急", "其他"), start=1):
            leaves.append(
                Category.objects.create(
                    code=f"{code}-{i}",
                    name=f"{name}{leaf}",
                    parent=root,
                    contact_hours=max(1, hours // (2 if leaf == "紧急" else 1)),
                    resolve_working_days=days,
                )
            )
    return leaves


def add_residents(w: World) -> dict[int, list[Person]]:
    """Residents on the register (no login) who raise the generated appeals, per community id."""
    rng = random.Random(SEED + 1)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
    pools: dict[int, list[Person]] = {}
    for community in (w.c1, w.c2):
        people = [
            Person(
                name=rng.choice(surnames) + "".join(rng.choices(given, k=rng.choice((1, 2)))),
                phone=f"139{rng.randrange(10**8):08d}",
                birth_year=rng.randrange(1940, 2005),
                community=community,
            )
            for _ in range(RESIDENTS_PER_COMMUNITY)
        ]
        pools[community.pk] = Person.objects.bulk_create(people, batch_size=BATCH)
    return pools


def add_working_days(start: datetime, days: int) -> datetime:
    """Monday–Friday only (the real deadlines also read the holiday calendar; close enough for data)."""
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


TITLES = [
    "楼道堆放杂物",
    "电梯经常故障",
    "路灯不亮",
    "垃圾清运不及时",
    "下水道堵塞",
    "噪音扰民",
    "小区停车难",
    "外墙脱落隐患",
    "绿化带被占用",
    "供暖温度不达标",
    "楼顶漏水",
    "宠物扰民",
]


class AppealFactory:
    """Realistic appeal rows: 63/37 split between the two communities (their populations), every row in a
    grid (area_path = grid path), submitted uniformly over the last two years. Appeals of the last 30 days
    are mostly still in the loop; older ones are mostly closed, with a 2% backlog still open."""

    RECENT = {
        Status.SUBMITTED: 12,
        Status.DISPATCHED: 18,
        Status.ACCEPTED: 30,
        Status.RETURNED: 3,
        Status.COMPLETED: 15,
        Status.CLOSED: 17,
        Status.WITHDRAWN: 3,
        Status.MERGED: 2,
    }
    OLDER = {
        Status.SUBMITTED: 0.3,
        Status.DISPATCHED: 0.4,
        Status.ACCEPTED: 1.2,
        Status.RETURNED: 0.1,
        Status.COMPLETED: 1,
        Status.CLOSED: 91,
        Status.WITHDRAWN: 3.5,
        Status.MERGED: 2.5,
    }
    CHANNELS = {Channel.APP: 50, Channel.VISIT: 20, Channel.HOTLINE: 20, Channel.COUNTER: 8, Channel.API: 2}
    SATISFACTION = {Satisfaction.SATISFIED: 80, Satisfaction.BASICALLY: 15, Satisfaction.UNSATISFIED: 5}

    def __init__(self, w: World, categories: list[Category], residents: dict[int, list[Person]], total: int):
        self.rng = random.Random(SEED)
        self.now = timezone.now()
        # Ids follow submission time, as they do in production.
        ages = sorted((self.rng.uniform(0, 730 * 86400) for _ in range(total)), reverse=True)
        self.ages = iter(timedelta(seconds=s) for s in ages)
        self.categories = categories
        self.residents = residents
        self.places = [  # (weight, community, grid, building, units that take its appeals)
            (2600, w.c1, w.g1a, w.b1a, [w.pm1, w.pm1, w.dept]),
            (2600, w.c1, w.g1b, w.b1b, [w.pm1, w.pm1, w.dept]),
            (3100, w.c2, w.g2a, w.b2a, [w.pm2, w.pm2, w.dept]),
        ]
        self.merge_targets: list[int] = []

    def _pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def make(self) -> Appeal:
        rng = self.rng
        _, community, grid, building, units = rng.choices(self.places, weights=[p[0] for p in self.places])[0]
        age = next(self.ages)
        submitted = self.now - age
        status = self._pick(self.RECENT if age < timedelta(days=30) else self.OLDER)
        if status == Status.MERGED and not self.merge_targets:
            status = Status.WITHDRAWN
        category = rng.choice(self.categories) if rng.random() < 0.9 else None
        a = Appeal(
            title=f"{rng.choice(TITLES)}（{rng.randrange(1, 30)}号楼附近）",
            body="居民反映：" + rng.choice(TITLES) + "，已持续一段时间，希望尽快处理。" * rng.randrange(1, 4),
            category_id=category.pk if category else None,
            community_id=community.pk,
            grid_id=grid.pk,
            building_id=building.pk if rng.random() < 0.6 else None,
            address="",
            area_path=grid.path,
            channel=self._pick(self.CHANNELS),
            raised_by_id=rng.choice(self.residents[community.pk]).pk,
            is_anonymous=rng.random() < 0.1,
            status=status,
            level=rng.choices([Level.COMMUNITY, Level.SUBDISTRICT, Level.DISTRICT], weights=[94, 5, 1])[0],
            submitted_at=submitted,
        )
        if status == Status.MERGED:
            a.merged_into_id = rng.choice(self.merge_targets)
            return a
        if status == Status.SUBMITTED:
            return a
        if status == Status.WITHDRAWN:
            a.closed_at = submitted + timedelta(hours=rng.uniform(1, 72))
            return a
        # Triaged: answered directly (no unit), or dispatched to a unit with deadlines.
        answered = status in (Status.COMPLETED, Status.CLOSED) and rng.random() < 0.15
        if answered:
            a.triage_kind = TriageKind.ANSWER
            a.answer = a.report = "已向居民解释相关政策。"
            a.contacted_at = a.completed_at = submitted + timedelta(hours=rng.uniform(1, 48))
        else:
            unit = rng.choice(units)
            a.unit_id = unit.pk
            a.triage_kind = TriageKind.TRANSFER if unit.kind == "department" else TriageKind.SELF_HANDLE
            dispatched = submitted + timedelta(hours=rng.uniform(0.2, 24))
            a.dispatched_at = a.first_dispatched_at = dispatched
            hours = category.contact_hours if category else 24
            days = category.resolve_working_days if category else 5
            a.contact_due = dispatched + timedelta(hours=hours)
            a.resolve_due = add_working_days(dispatched, days)
            if status == Status.RETURNED:
                a.unit_id = None
                a.return_count = 1
            if status in (Status.ACCEPTED, Status.COMPLETED, Status.CLOSED):
                a.accepted_at = a.contacted_at = dispatched + timedelta(hours=rng.uniform(0.1, hours))
            if status in (Status.COMPLETED, Status.CLOSED):
                a.completed_at = a.accepted_at + timedelta(days=rng.uniform(0.2, days * 1.4))
                a.report = "已现场处理完毕。"
            a.contact_overdue = (a.contacted_at or self.now) > a.contact_due
            a.resolve_overdue = (a.completed_at or self.now) > a.resolve_due
        if status == Status.CLOSED:
            a.rated_at = a.closed_at = a.completed_at + timedelta(days=rng.uniform(0, 3))
            a.satisfaction = self._pick(self.SATISFACTION)
            if a.satisfaction == Satisfaction.UNSATISFIED:
                a.satisfaction = Satisfaction.BASICALLY  # unsatisfied ones were reopened; closed later
                a.reopen_count = 1
            a.resolved = True
            a.rated_by_staff = rng.random() < 0.3
        return a

    def generate(self, count: int) -> None:
        Follow = Appeal.followers.through
        big_cache = connection.vendor == "sqlite"
        if big_cache:  # SQLite's default 2 MB page cache makes random index inserts crawl; only while loading
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size")
                default_cache = cursor.fetchone()[0]
                cursor.execute("PRAGMA cache_size = -262144")
        while count > 0:
            n = min(BATCH, count)
            rows = Appeal.objects.bulk_create([self.make() for _ in range(n)])
            ids = [r.pk for r in rows]
            self.merge_targets.extend(self.rng.sample(ids, min(50, len(ids))))
            follows = [
                Follow(appeal_id=r.pk, person_id=self.rng.choice(self.residents[r.community_id]).pk)
                for r in rows
                if self.rng.random() < 0.03
            ]
            Follow.objects.bulk_create(follows, ignore_conflicts=True)
            count -= n
        if big_cache:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {int(default_cache)}")


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
