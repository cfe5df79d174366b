"""居民公约: the demo district's records, made through the services at their own dates (``linli.clock.at``).

In the main community: the residents' covenant drafted about four months ago, deliberated through the six steps
(topic notice, the vote at 开展协商 with paper ballots), adopted and published; a revision (第 2 版) now under
deliberation, its topic published.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from areas.models import Household
from covenants import services
from covenants.models import Covenant
from deliberation import services as topics
from deliberation import voting
from linli import clock

TEXT = """一、爱党爱国，遵纪守法，自觉维护社区和谐稳定。
二、爱护公共环境，垃圾分类投放，不乱扔杂物，不占用楼道。
三、邻里互助，尊老爱幼，关心独居老人和困难家庭。
四、文明养犬，牵绳出行，及时清理犬只粪便。
五、红白喜事从简办理，不大操大办，不燃放烟花爆竹。
六、积极参与社区议事协商和志愿服务。"""
REVISION = TEXT + "\n七、电动车不进楼道、不入户，不私拉电线充电。\n八、高空不抛物，阳台不堆放易坠物品。"


def _at(moment, fn, **kwargs):
    with clock.at(moment):
        return fn(**kwargs)


def _to_vote(staff, topic_id: int, t):
    """确定议题 → 公示告知 (a week's notice) → 开展协商, where the vote is held."""
    _at(t + timedelta(hours=1), topics.topic_advance, user=staff, topic_id=topic_id)
    _at(t + timedelta(hours=2), topics.topic_publish_notice, user=staff, topic_id=topic_id, kind="topic",
        body="居民公约草案全文已张贴于各楼栋单元门口，公示期内欢迎提出意见。", days=7)  # fmt: skip
    _at(t + timedelta(days=8), topics.topic_advance, user=staff, topic_id=topic_id)


def load_demo_covenants(demo: Any, stdout: TextIO | None = None) -> int:
    community = demo.community
    if Covenant.objects.filter(community=community).exists():
        return 0
    staff = get_user_model().objects.filter(username="community").first()
    if staff is None:
        return 0
    now = clock.now()
    t = now - timedelta(days=120)
    households = list(
        Household.objects.filter(building__grid__path__startswith=community.path, memberships__isnull=False)
        .distinct()
        .order_by("pk")[:12]
    )
    with transaction.atomic():
        v1 = _at(
            t,
            services.covenant_create,
            user=staff,
            community=community,
            title=f"{community.name}居民公约",
            text=TEXT,
        )
        v1 = _at(t + timedelta(minutes=30), services.version_deliberate, user=staff, version_id=v1.pk)
        _to_vote(staff, v1.topic_id, t)
        opens = t + timedelta(days=9)
        vote = _at(opens, voting.vote_open, user=staff, topic_id=v1.topic_id, title="是否同意居民公约草案",
                   question="请各户对居民公约草案表决。", electorate="residents", opens_at=opens,
                   closes_at=opens + timedelta(days=5))  # fmt: skip
        agree, disagree = vote.options.order_by("order")[:2]
        for i, h in enumerate(households):
            option = disagree if i % 6 == 5 else agree
            _at(
                opens + timedelta(days=1, hours=i),
                voting.vote_enter_paper,
                user=staff,
                vote_id=vote.pk,
                household=h,
                option_id=option.pk,
            )
        _at(opens + timedelta(days=5, hours=1), voting.vote_close, user=staff, vote_id=vote.pk)
        _at(opens + timedelta(days=5, hours=2), services.version_adopt, user=staff, version_id=v1.pk)
        _at(opens + timedelta(days=6), services.version_publish, user=staff, version_id=v1.pk, days=30)
        r = now - timedelta(days=5)
        v2 = _at(r, services.covenant_revise, user=staff, covenant_id=v1.covenant_id, text=REVISION,
                 changes="增加电动车安全和高空抛物两条")  # fmt: skip
        v2 = _at(r + timedelta(minutes=30), services.version_deliberate, user=staff, version_id=v2.pk)
        _at(r + timedelta(hours=1), topics.topic_advance, user=staff, topic_id=v2.topic_id)
        _at(r + timedelta(hours=2), topics.topic_publish_notice, user=staff, topic_id=v2.topic_id, kind="topic",
            body="居民公约修订草案（增加电动车安全和高空抛物条款）公示，欢迎提出意见。", days=7)  # fmt: skip
    if stdout is not None:
        stdout.write("  居民公约 covenants: 1（2 个版本）\n")
    return 1
