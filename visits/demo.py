"""走访: the demo district's records, made through the services at their own dates (``linli.clock.at``).

In the main community: the demo grid worker's grid has a finished 每半月进小区 round (most households met, a few
overdue) and a running 百日大走访; the oldest people living alone are tagged 独居老人, a few households 困难家庭 and
残疾人, and visited at their frequency (one of them overdue); one visit raised an appeal.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count

from areas.models import Area, Household
from linli import clock
from visits import services
from visits.models import CareTag, Finding, Round, VisitReferral

NOTES = {
    Finding.NORMAL: ["家中一切正常", "老人身体还好，叮嘱注意保暖", "宣传了防诈骗知识"],
    Finding.APPEAL: ["反映楼道灯坏了，晚上看不见", "反映楼上漏水，卫生间顶棚发霉"],
    Finding.NEED: ["腿脚不便，想了解老年助餐", "想申请居家养老上门服务"],
    Finding.SAFETY: ["电动车在楼道充电，已劝导"],
}


def _seen(household: Household):
    return [m.person for m in household.memberships.select_related("person")[:1]]


def load_demo_visits(demo: Any, stdout: TextIO | None = None) -> int:
    community: Area = demo.community
    if Round.objects.filter(area=community).exists():
        return 0
    User = get_user_model()
    staff = User.objects.filter(username="community").first()
    worker = User.objects.filter(username="gridworker").first()
    if staff is None or worker is None:
        return 0
    grid = next((a.area for a in worker.role_assignments.all() if a.area is not None), None)
    if grid is None:
        return 0
    rng = random.Random(20261202)
    now = clock.now()
    today = now.date()
    households = list(Household.objects.filter(building__grid=grid).order_by("building__code", "number"))
    made = 0
    with transaction.atomic():
        first = today - timedelta(days=30)
        with clock.at(now - timedelta(days=30)):
            services.round_open(user=staff, area=community, kind=Round.Kind.HALF_MONTH, title="上半月进小区入户走访",
                                starts_on=first, ends_on=first + timedelta(days=14))  # fmt: skip
        with clock.at(now - timedelta(days=20)):
            services.round_open(user=staff, area=community, kind=Round.Kind.HUNDRED_DAYS, title="百日大走访",
                                starts_on=today - timedelta(days=20), ends_on=today + timedelta(days=80))  # fmt: skip
        # The half-month round: most of the grid met, a few not at home, the rest overdue.
        for i, h in enumerate(households):
            if rng.random() < 0.12:
                continue
            moment = now - timedelta(days=30 - (i * 13 // max(1, len(households))), hours=rng.randint(0, 6))
            met = rng.random() > 0.08
            finding = rng.choices(list(NOTES), weights=[80, 8, 8, 4])[0] if met else Finding.NORMAL
            if met and i >= 3 and not VisitReferral.objects.exists() and _seen(h):
                finding = Finding.APPEAL  # one visit that raised an appeal, whatever the dice said
            with clock.at(moment.replace(hour=9 + rng.randint(0, 8))):
                visit, _ = services.visit_log(user=worker, household=h, key=uuid.uuid4(), seen=_seen(h) if met else [],
                                              met=met, finding=finding, note=rng.choice(NOTES[finding]) if met else "")  # fmt: skip
            made += 1
            if finding == Finding.APPEAL and visit.seen.exists() and not VisitReferral.objects.exists():
                with clock.at(visit.visited_at + timedelta(minutes=2)):
                    services.visit_raise_appeal(user=worker, visit_id=visit.pk, key=uuid.uuid4(),
                                                title=f"走访发现：{visit.note[:30]}", body=visit.note)  # fmt: skip
        # The running 百日大走访: a third of the grid so far.
        for h in households[: len(households) // 3]:
            with clock.at(now - timedelta(days=rng.randint(1, 19), hours=rng.randint(0, 6))):
                services.visit_log(
                    user=worker, household=h, key=uuid.uuid4(), seen=_seen(h), note="百日大走访入户"
                )
            made += 1
        made += _special_groups(households, worker, now, rng)
    if stdout is not None:
        stdout.write(f"  走访 visits: {made}\n")
    return made


def _special_groups(households: list[Household], worker, now, rng: random.Random) -> int:
    alone = (
        Household.objects.filter(pk__in=[h.pk for h in households])
        .annotate(n=Count("memberships"))
        .filter(n=1, memberships__person__birth_year__lte=1955)
        .order_by("pk")[:4]
    )
    tags: list[tuple[Household, str, str]] = [(h, CareTag.ELDERLY_ALONE, "独居，子女在外地") for h in alone]
    others = [h for h in households if h.pk not in {a.pk for a in alone}]
    tags += [(h, CareTag.HARDSHIP, "低保户") for h in others[-2:]]
    tags += [(h, CareTag.DISABLED, "肢体残疾") for h in others[-4:-2]]
    made = 0
    with clock.at(now - timedelta(days=40)):
        for h, tag, note in tags:
            services.household_tag(user=worker, household=h, tag=tag, note=note)
    for i, (h, _tag, _note) in enumerate(tags):
        days_ago = 3 if i else 10  # the first one is overdue
        with clock.at(now - timedelta(days=days_ago, hours=rng.randint(0, 5))):
            services.visit_log(user=worker, household=h, key=uuid.uuid4(), seen=_seen(h) or [], met=bool(_seen(h)),
                               note="重点人群定期走访")  # fmt: skip
        made += 1
    return made
