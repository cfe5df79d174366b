"""活动 in the demo community: a year of activities of every kind (道德讲堂, 微党课, 法治讲堂, 我们的节日, 志愿服务,
health and legal talks), planned, published, ticked in at the door and closed with a short report at their own
dates through the services, so 场次、人次 and the party members' hours come out of real rows; and a few coming up,
one with the demo resident signed up. Idempotent."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from activities import services
from activities.models import Activity
from areas.models import Area
from linli import clock
from people.models import Person
from sites.models import ServiceSite
from units.models import Unit

SEED = 300_000  # the district's people in the seeds
# (kind, titles, organiser, unit name word or "", hours long, cap)
PLAN = [
    ("moral", ["道德讲堂：孝老爱亲", "道德讲堂：诚实守信", "道德讲堂：邻里互助"], "社区党委", "", 2, 60),
    ("party_lesson", ["微党课：学习二十大精神", "微党课：红色家风", "微党课：党员如何双报到"], "社区党委书记", "", 1, 30),
    ("law", ["三官一律进社区：防范电信诈骗", "法治讲堂：民法典与邻里关系"], "社区民警、法律顾问", "", 2, 80),
    ("festival", ["我们的节日·春节：写春联送福字", "我们的节日·端午：包粽子", "我们的节日·中秋：邻里共赏月", "我们的节日·重阳：敬老宴"], "社区居委会", "", 3, None),
    ("volunteer", ["志愿服务日：清理楼道杂物", "志愿服务日：义务理发", "志愿服务日：助老送餐"], "党员志愿服务队", "物业", 2, 25),
    ("health", ["健康讲座：高血压防治", "健康讲座：冬季养生"], "社区卫生服务站", "卫生", 2, 50),
    ("legal_talk", ["法律讲座：遗嘱与继承"], "社区法律顾问", "", 2, 40),
]  # fmt: skip


def _held(
    rng,
    community,
    staff,
    when: datetime,
    spec,
    site,
    unit,
    people: list[Person],
    homes: dict,
    grids: list[Area],
) -> int:
    kind, titles, organiser, _word, hours, cap = spec
    area = rng.choice(grids) if grids and rng.random() < 0.25 else community
    with clock.at(when - timedelta(days=10)):
        activity = services.activity_plan(
            user=staff, community=community, area=area, kind=kind, title=rng.choice(titles),
            starts_at=when, ends_at=when + timedelta(hours=hours), site=site, organiser=organiser, unit=unit, cap=cap,
        )  # fmt: skip
        services.activity_publish(user=staff, activity_id=activity.pk)
    pool = [p for p in people if area.kind != Area.Kind.GRID or homes.get(p.pk) == area.pk] or people
    came = rng.sample(pool, min(len(pool), rng.randint(8, cap or 45)))
    with clock.at(when + timedelta(minutes=10)):
        services.activity_tick(user=staff, activity_id=activity.pk, person_ids=[p.pk for p in came])
    with clock.at(when + timedelta(hours=hours, minutes=20)):
        services.activity_close(
            user=staff, activity_id=activity.pk,
            report=f"{activity.title}，到场 {len(came)} 人。{organiser}主讲/组织，居民反响良好。",
        )  # fmt: skip
    return len(came)


def load_demo_activities(demo: Any, stdout: TextIO | None = None) -> int:
    community: Area = demo.community
    if (
        Activity.objects.filter(community=community)
        .exclude(kind=Activity.Kind.VOLUNTEER, team__isnull=False)
        .exists()
    ):
        return 0
    rng = random.Random(SEED)
    User = get_user_model()
    staff = User.objects.get(username="community")
    grids = list(Area.objects.filter(kind=Area.Kind.GRID, path__startswith=community.path).order_by("path"))
    people = list(
        Person.objects.filter(memberships__household__building__grid__path__startswith=community.path)
        .distinct()
        .order_by("id")[:400]
    )
    homes = dict(
        Person.objects.filter(pk__in=[p.pk for p in people]).values_list(
            "pk", "memberships__household__building__grid_id"
        )
    )
    site = ServiceSite.objects.filter(community=community).order_by("pk").first()
    units = list(
        Unit.objects.filter(
            areas_served__in=[community, *Area.objects.filter(pk__in=community.ancestor_ids())]
        )
    )
    now = clock.now()
    count, attendance = 0, 0
    with transaction.atomic():
        first = timezone.make_aware(datetime.combine((now - timedelta(days=365)).date(), time(9, 30)))
        for week in range(52):
            for spec in rng.sample(PLAN, 2):  # two activities a week, of two kinds
                day = first + timedelta(days=7 * week + rng.choice([1, 3, 5]))
                when = day.replace(hour=rng.choice([9, 14, 19]), minute=30)
                if when + timedelta(hours=spec[4], minutes=30) >= now:
                    continue
                word = spec[3]
                unit = next((u for u in units if word and word in u.name), None)
                attendance += _held(rng, community, staff, when, spec, site, unit, people, homes, grids)
                count += 1
        for offset, spec in ((3, PLAN[1]), (6, PLAN[0]), (10, PLAN[3])):  # coming up: open for sign-up
            when = timezone.make_aware(datetime.combine((now + timedelta(days=offset)).date(), time(14, 30)))
            with clock.at(now):
                activity = services.activity_plan(
                    user=staff, community=community, kind=spec[0], title=spec[1][0], starts_at=when,
                    ends_at=when + timedelta(hours=spec[4]), site=site, organiser=spec[2], cap=spec[5],
                )  # fmt: skip
                services.activity_publish(user=staff, activity_id=activity.pk)
                if offset == 3:
                    services.activity_signup(
                        user=User.objects.get(username="resident"), activity_id=activity.pk
                    )
            count += 1
    if stdout is not None:
        stdout.write(f"  活动 activities: {count} 场, {attendance} 人次\n")
    return count
