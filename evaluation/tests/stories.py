"""Appeals with every edge case, made through the real services at their own dates (``linli.clock.at``).

``make_stories(world)`` replays a fixed set of named stories (answered without dispatch, returned and
re-dispatched, whistled, reopened, escalated, merged, withdrawn, late contact, late completion, still open) and
then ``random_count`` random ones, across both communities, three grids and the community level, two
categories, several channels and three months.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from access.models import Role
from access.services import role_grant
from appeals import services, whistle
from appeals.models import Appeal, Channel
from appeals.supervision import flag_overdue
from categories.models import Category
from linli import clock

START = datetime(2025, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _categories() -> SimpleNamespace:
    env = Category.objects.create(code="T-ENV", name="环境卫生", contact_hours=24, resolve_working_days=5)
    prop = Category.objects.create(code="T-PROP", name="物业管理", contact_hours=24, resolve_working_days=5)
    return SimpleNamespace(
        env=env,
        prop=prop,
        litter=Category.objects.create(code="T-ENV-1", name="垃圾清运", parent=env, contact_hours=4),
        lift=Category.objects.create(
            code="T-PROP-1", name="电梯故障", parent=prop, contact_hours=2, resolve_working_days=2
        ),
    )


class Player:
    def __init__(self, w):
        self.w = w
        User = get_user_model()
        self.dept_staff = User.objects.create_user(username="dept-staff")
        role_grant(user=self.dept_staff, role=Role.UNIT_STAFF, unit=w.dept)
        self.cat = _categories()
        self.t = START

    def at(self, hours: float, step, *args, **kwargs):
        self.t += timedelta(hours=hours)
        with clock.at(self.t):
            return step(*args, **kwargs)

    def staff_of(self, appeal: Appeal):
        return self.w.community if appeal.community_id == self.w.c1.pk else self.w.community2

    def unit_staff(self, unit):
        return {self.w.pm1.pk: self.w.unit, self.w.pm2.pk: self.w.unit2}.get(unit.pk, self.dept_staff)

    def submit(self, *, where: str = "g1a", category=None, channel=Channel.VISIT, gap: float = 5) -> Appeal:
        w = self.w
        places = {
            "g1a": dict(user=w.gridworker, raised_by=w.resident_person, grid=w.g1a),
            "g1b": dict(user=w.community, raised_by=w.neighbour_g1b, grid=w.g1b),
            "c1": dict(user=w.community, raised_by=w.resident_person, community=w.c1),
            "g2a": dict(user=w.community2, raised_by=w.resident_c2, grid=w.g2a),
        }
        return self.at(
            gap,
            services.appeal_submit,
            title=f"诉求 {self.t:%m%d%H%M}",
            body="居民反映的问题",
            channel=channel,
            category=category,
            **places[where],
        )

    # one step each, by the right person
    def dispatch(self, a, unit, h=1.0):
        return self.at(h, services.appeal_dispatch, user=self.staff_of(a), appeal_id=a.pk, unit=unit)

    def accept(self, a, unit, h=1.0):
        return self.at(h, services.appeal_accept, user=self.unit_staff(unit), appeal_id=a.pk)

    def complete(self, a, unit, h=10.0):
        return self.at(
            h, services.appeal_complete, user=self.unit_staff(unit), appeal_id=a.pk, report="已处理"
        )

    def rate(self, a, satisfaction="satisfied", resolved=True, h=24.0, comment="谢谢"):
        return self.at(
            h,
            services.appeal_rate,
            user=self.staff_of(a),
            appeal_id=a.pk,
            resolved=resolved,
            satisfaction=satisfaction,
            comment=comment,
        )

    def loop(self, a, unit, satisfaction="satisfied", resolved=True):
        self.dispatch(a, unit)
        self.accept(a, unit)
        self.complete(a, unit)
        return self.rate(a, satisfaction, resolved)


def make_stories(w, random_count: int = 24, seed: int = 7) -> SimpleNamespace:
    p = Player(w)
    c = p.cat
    s = SimpleNamespace(player=p)
    # answered without dispatch, then rated
    s.answered = p.submit(category=c.litter, channel=Channel.HOTLINE)
    p.at(2, services.appeal_triage, user=w.community, appeal_id=s.answered.pk, kind="answer", answer="已解释")
    p.rate(s.answered, "basically_satisfied")
    # the plain loop, on time
    s.plain = p.submit(category=c.lift, channel=Channel.APP)
    p.loop(s.plain, w.pm1)
    # late contact and late completion, flagged by the supervision code
    s.late = p.submit(where="g1b", category=c.lift)
    p.dispatch(s.late, w.pm1)
    p.at(3, flag_overdue, s.late.pk, "contact", p.t + timedelta(hours=3))
    p.accept(s.late, w.pm1, h=1)
    p.at(24 * 8, flag_overdue, s.late.pk, "resolve", p.t + timedelta(days=8))
    p.complete(s.late, w.pm1, h=2)
    p.rate(s.late, "basically_satisfied", comment="太慢了")
    # returned, re-dispatched to another unit, rated unsatisfied, reopened, then satisfied
    s.returned = p.submit(category=c.env, channel=Channel.COUNTER)
    p.dispatch(s.returned, w.pm1)
    p.at(1, services.appeal_return, user=w.unit, appeal_id=s.returned.pk, reason="不归我们管")
    p.dispatch(s.returned, w.dept)
    p.accept(s.returned, w.dept)
    p.complete(s.returned, w.dept)
    p.rate(s.returned, "unsatisfied", resolved=False, comment="没解决")
    p.accept(s.returned, w.dept)
    p.complete(s.returned, w.dept)
    p.rate(s.returned, "satisfied")
    # whistled to two units from the start
    s.whistled = p.submit(where="c1", category=c.env)
    p.at(1, whistle.appeal_whistle, user=w.community, appeal_id=s.whistled.pk, units=[w.pm1, w.dept])
    p.at(0.5, whistle.whistle_report_in, user=w.unit, appeal_id=s.whistled.pk)
    p.at(0.5, whistle.whistle_report_in, user=p.dept_staff, appeal_id=s.whistled.pk)
    p.at(5, whistle.whistle_part_done, user=w.unit, appeal_id=s.whistled.pk, report="清理完毕")
    p.at(5, whistle.whistle_part_done, user=p.dept_staff, appeal_id=s.whistled.pk, report="执法完毕")
    p.rate(s.whistled, "satisfied")
    # merged into the plain one; withdrawn; just submitted; dispatched and overdue, still open
    s.merged = p.submit(category=c.lift)
    p.at(1, services.appeal_merge, user=w.community, appeal_id=s.merged.pk, into_id=s.plain.pk)
    s.withdrawn = p.submit(where="g2a", channel=Channel.HOTLINE)
    p.at(1, services.appeal_withdraw, user=w.community2, appeal_id=s.withdrawn.pk, reason="已自行解决")
    s.waiting = p.submit(where="g2a")
    s.overdue_open = p.submit(where="g2a", category=c.prop)
    p.dispatch(s.overdue_open, w.pm2)
    p.at(24 * 10, flag_overdue, s.overdue_open.pk, "resolve", p.t + timedelta(days=10))
    # unsatisfied three times: escalated to the subdistrict, then dispatched again by the subdistrict
    s.escalated = p.submit(category=c.prop, channel=Channel.APP)
    p.dispatch(s.escalated, w.pm1)
    for _ in range(3):
        if Appeal.objects.get(pk=s.escalated.pk).status == "dispatched":
            p.accept(s.escalated, w.pm1)
        p.complete(s.escalated, w.pm1)
        p.rate(s.escalated, "unsatisfied", resolved=False, comment="还是不行")
    p.at(2, services.appeal_dispatch, user=w.subdistrict, appeal_id=s.escalated.pk, unit=w.dept)
    # a month later: random stories
    rng = random.Random(seed)
    for _ in range(random_count):
        p.t += timedelta(hours=rng.uniform(10, 60))
        where = rng.choice(["g1a", "g1b", "c1", "g2a"])
        units = [w.pm2, w.dept] if where == "g2a" else [w.pm1, w.dept]
        a = p.submit(
            where=where,
            category=rng.choice([None, c.env, c.litter, c.lift, c.prop]),
            channel=rng.choice(list(Channel.values)),
            gap=rng.uniform(0, 4),
        )
        r = rng.random()
        if r < 0.1:
            p.at(
                1, services.appeal_triage, user=p.staff_of(a), appeal_id=a.pk, kind="answer", answer="已解释"
            )
            if rng.random() < 0.7:
                p.rate(a, rng.choice(["satisfied", "basically_satisfied", "unsatisfied"]))
            continue
        if r < 0.15:
            continue
        unit = rng.choice(units)
        p.dispatch(a, unit, h=rng.uniform(0.1, 30))
        if rng.random() < 0.15:
            p.at(rng.uniform(1, 40), flag_overdue, a.pk, "contact", p.t + timedelta(hours=40))
        if rng.random() < 0.1:
            continue
        p.accept(a, unit, h=rng.uniform(0.1, 30))
        if rng.random() < 0.15:
            p.at(24 * 9, flag_overdue, a.pk, "resolve", p.t + timedelta(days=9))
        if rng.random() < 0.1:
            continue
        p.complete(a, unit, h=rng.uniform(1, 200))
        if rng.random() < 0.85:
            sat = rng.choice(["satisfied", "satisfied", "basically_satisfied", "unsatisfied"])
            p.rate(a, sat, resolved=sat != "unsatisfied")
    return s
