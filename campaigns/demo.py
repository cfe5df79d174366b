"""评选: the demo district's records, made through the services at their own dates (``linli.clock.at``).

In the main community: a 最美家庭 campaign announced a month ago (nominations by residents, the grid worker and
staff, scored by a panel of three, a 公示 with one objection answered, the honour roll), and a 星级文明户 campaign
open for nominations now.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from areas.models import Household
from campaigns import services
from campaigns.models import Campaign
from linli import clock
from notices.services import objection_answer, objection_raise

REASONS = [
    "夫妻和睦，孝敬老人，多年照顾瘫痪在床的母亲",
    "热心邻里事务，常年义务打扫楼道",
    "家风好，子女教育有方，积极参加社区志愿服务",
    "垃圾分类带头人，带动整栋楼分类投放",
    "疫情期间主动为独居老人送菜送药",
]


def _at(moment, fn, **kwargs):
    with clock.at(moment):
        return fn(**kwargs)


def load_demo_campaigns(demo: Any, stdout: TextIO | None = None) -> int:
    community = demo.community
    if Campaign.objects.filter(community=community).exists():
        return 0
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["community", "gridworker", "gridleader", "resident", "subdistrict"]
        )
    }
    staff, worker, resident = users.get("community"), users.get("gridworker"), users.get("resident")
    if staff is None or worker is None or resident is None:
        return 0
    now = clock.now()
    households = list(
        Household.objects.filter(building__grid__path__startswith=community.path, memberships__isnull=False)
        .distinct()
        .order_by("building__code", "number")[:40]
    )
    t = now - timedelta(days=45)
    with transaction.atomic():
        family = _at(t, services.campaign_create, user=staff, community=community, kind=Campaign.Kind.FAMILY,
                     title=f"{t.year} 年度最美家庭评选", places=3, nominations_close=t + timedelta(days=10),
                     description="弘扬好家风，评选孝老爱亲、邻里互助、热心公益的最美家庭。",
                     criteria=[("家庭和睦", 30), ("邻里互助", 30), ("热心公益", 20), ("家风家教", 20)],
                     panel=[u for u in (staff, users.get("gridleader"), users.get("subdistrict")) if u])  # fmt: skip
        nominators = [resident, worker, staff, resident, worker]
        for i, (h, who) in enumerate(zip(households[::8][:5], nominators, strict=False)):
            _at(t + timedelta(days=1 + i), services.nomination_create, user=who, campaign_id=family.pk,
                household=h, reason=REASONS[i])  # fmt: skip
        _at(t + timedelta(days=11), services.campaign_review, user=staff, campaign_id=family.pk)
        criteria = list(family.criteria.all())
        for j, member in enumerate(family.panel.all()):
            for i, n in enumerate(family.nominations.order_by("pk")):
                points = {c.pk: max(0, c.max_points - (i * 2 + j) % 7) for c in criteria}
                _at(
                    t + timedelta(days=12, hours=j),
                    services.score_submit,
                    user=member,
                    nomination_id=n.pk,
                    points=points,
                )
        family = _at(
            t + timedelta(days=14), services.campaign_publicize, user=staff, campaign_id=family.pk, days=7
        )
        objection = _at(t + timedelta(days=16), objection_raise, user=resident, notice_id=family.notice_id,
                        body="建议公示评审得分明细。")  # fmt: skip
        _at(t + timedelta(days=17), objection_answer, user=staff, objection_id=objection.pk,
            answer="各项得分明细已在社区公示栏张贴，欢迎查阅。")  # fmt: skip
        _at(t + timedelta(days=22), services.campaign_finish, user=staff, campaign_id=family.pk)
        star = _at(now - timedelta(days=3), services.campaign_create, user=staff, community=community,
                   kind=Campaign.Kind.STAR_HOUSEHOLD, title=f"{now.year} 年度星级文明户评选", places=10,
                   nominations_close=now + timedelta(days=14),
                   criteria=[("爱国守法", 20), ("诚信友善", 20), ("移风易俗", 20), ("环境卫生", 20), ("邻里互助", 20)],
                   panel=[staff])  # fmt: skip
        for i, h in enumerate(households[1::9][:2]):
            _at(now - timedelta(days=2 - i), services.nomination_create, user=resident if i else worker,
                campaign_id=star.pk, household=h, reason=REASONS[i + 2])  # fmt: skip
    if stdout is not None:
        stdout.write("  评选 campaigns: 2\n")
    return 2
