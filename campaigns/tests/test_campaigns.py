"""评选 from nomination to honour roll: who nominates, the panel's scores, the 公示 with an objection, the honours and
the star rating that lasts a year; the refusals of each step; the results table and its recount."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from campaigns import services
from campaigns.models import Campaign, Honour, Nomination
from campaigns.sections import results_table
from linli.errors import PermissionDenied, TransitionError, ValidationError
from notices.models import Notice
from notices.services import objection_answer, objection_raise

CST = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 2, 9, tzinfo=CST)


def make(w, kind=Campaign.Kind.STAR_HOUSEHOLD, places=1):
    return services.campaign_create(
        user=w.community, community=w.c1, kind=kind, title="2026 年度星级文明户评选", places=places,
        nominations_close=T0 + timedelta(days=7), criteria=[("家庭和睦", 50), ("邻里互助", 50)],
        panel=[w.community, w.gridleader],
    )  # fmt: skip


def score_all(w, campaign, points):
    criteria = list(campaign.criteria.all())
    for n, (a, b) in zip(campaign.nominations.order_by("pk"), points, strict=True):
        for member in (w.community, w.gridleader):
            services.score_submit(
                user=member, nomination_id=n.pk, points={criteria[0].pk: a, criteria[1].pk: b}
            )


def test_from_nomination_to_honour_roll(world, clock_at, client):
    clock_at(T0)
    campaign = make(world)
    mine = services.nomination_create(
        user=world.resident, campaign_id=campaign.pk, household=world.h1a2, reason="乐于助人"
    )
    theirs = services.nomination_create(
        user=world.gridworker, campaign_id=campaign.pk, household=world.h1b, reason="孝老爱亲"
    )
    assert (mine.source, theirs.source) == (Nomination.Source.RESIDENT, Nomination.Source.GRID_WORKER)
    assert mine.public_name == f"{world.buildinghead_person.name[0]}某某家庭"
    services.campaign_review(user=world.community, campaign_id=campaign.pk)
    score_all(world, campaign, [(45, 45), (40, 30)])
    mine.refresh_from_db()
    assert mine.total == 90
    clock_at(T0 + timedelta(days=8))
    services.campaign_publicize(user=world.community, campaign_id=campaign.pk, days=5)
    campaign.refresh_from_db()
    notice = campaign.notice
    assert notice.kind == Notice.Kind.RANKING and mine.public_name in notice.body
    assert list(campaign.nominations.values_list("status", flat=True).order_by("pk")) == [
        "shortlisted",
        "excluded",
    ]
    objection = objection_raise(user=world.resident, notice_id=notice.pk, body="请核实")
    clock_at(T0 + timedelta(days=14))
    with pytest.raises(TransitionError, match="异议尚未答复"):
        services.campaign_finish(user=world.community, campaign_id=campaign.pk)
    objection_answer(user=world.community, objection_id=objection.pk, answer="经核实情况属实")
    services.campaign_finish(user=world.community, campaign_id=campaign.pk)
    honour = Honour.objects.get()
    assert (honour.household, honour.stars) == (world.h1a2, 5)
    assert honour.valid_until == honour.awarded_on + timedelta(days=365)
    page = client.get(f"/community/{world.c1.code}/").content.decode()
    assert "评选光荣榜" in page and mine.public_name in page and world.buildinghead_person.name not in page
    assert [e.action for e in campaign.events.all()] == ["create", "nominate", "nominate", "review"] + [
        "score"
    ] * 4 + ["publicize", "finish"]


def test_the_steps_refuse_in_order_state_then_right_then_input(world, clock_at):
    clock_at(T0)
    with pytest.raises(PermissionDenied):
        services.campaign_create(
            user=world.gridworker, community=world.c1, kind="family", title="x", nominations_close=T0 + timedelta(days=1), criteria=[("a", 10)]
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.campaign_create(user=world.community, community=world.c1, kind="family", title="x",
                                 nominations_close=T0 - timedelta(days=1), criteria=[])  # fmt: skip
    campaign = make(world)
    with pytest.raises(PermissionDenied):  # another community's resident
        services.nomination_create(
            user=world.community2, campaign_id=campaign.pk, household=world.h1a, reason="好"
        )
    with pytest.raises(ValidationError):
        services.nomination_create(
            user=world.community, campaign_id=campaign.pk, household=world.h2a, reason="好"
        )
    services.nomination_create(
        user=world.community, campaign_id=campaign.pk, household=world.h1a, reason="好"
    )
    with pytest.raises(TransitionError, match="已被提名"):
        services.nomination_create(
            user=world.resident, campaign_id=campaign.pk, household=world.h1a, reason="好"
        )
    with pytest.raises(TransitionError):  # scoring before the review
        services.score_submit(user=world.community, nomination_id=campaign.nominations.get().pk, points={})
    with pytest.raises(PermissionDenied):
        services.campaign_review(user=world.gridworker, campaign_id=campaign.pk)
    services.campaign_review(user=world.community, campaign_id=campaign.pk)
    with pytest.raises(TransitionError):
        services.nomination_create(
            user=world.community, campaign_id=campaign.pk, household=world.h1b, reason="好"
        )
    n = campaign.nominations.get()
    with pytest.raises(PermissionDenied):  # not on the panel
        services.score_submit(user=world.gridworker, nomination_id=n.pk, points={})
    with pytest.raises(ValidationError):
        services.score_submit(
            user=world.community, nomination_id=n.pk, points={campaign.criteria.first().pk: 51}
        )
    with pytest.raises(TransitionError, match="没有完整评分"):
        services.campaign_publicize(user=world.community, campaign_id=campaign.pk)


def test_an_objection_upheld_excludes_the_nominee(world, clock_at):
    clock_at(T0)
    campaign = make(world, kind=Campaign.Kind.FAMILY)
    n = services.nomination_create(
        user=world.community, campaign_id=campaign.pk, household=world.h1a, reason="好"
    )
    services.campaign_review(user=world.community, campaign_id=campaign.pk)
    score_all(world, campaign, [(30, 30)])
    services.campaign_publicize(user=world.community, campaign_id=campaign.pk, days=3)
    with pytest.raises(TransitionError, match="届满"):
        services.campaign_finish(user=world.community, campaign_id=campaign.pk)
    services.nomination_exclude(user=world.community, nomination_id=n.pk, reason="异议属实")
    clock_at(T0 + timedelta(days=4))
    services.campaign_finish(user=world.community, campaign_id=campaign.pk)
    assert not Honour.objects.exists()


def test_results_table_recounts(world, clock_at):
    clock_at(T0)
    campaign = make(world, places=1)
    for who, h in [(world.resident, world.h1a2), (world.gridworker, world.h1a), (world.community, world.h1b)]:
        services.nomination_create(user=who, campaign_id=campaign.pk, household=h, reason="好")
    services.campaign_review(user=world.community, campaign_id=campaign.pk)
    score_all(world, campaign, [(10, 10), (20, 20), (30, 30)])
    services.campaign_publicize(user=world.community, campaign_id=campaign.pk, days=2)
    clock_at(T0 + timedelta(days=3))
    services.campaign_finish(user=world.community, campaign_id=campaign.pk)
    table = results_table(world.s1, datetime(2026, 11, 1, tzinfo=CST), datetime(2026, 12, 1, tzinfo=CST))
    assert table is not None and len(table.rows) == 1
    row = table.rows[0]
    nominations = Nomination.objects.filter(campaign=campaign)
    honoured = Honour.objects.filter(campaign=campaign).count()
    assert row[3:7] == [
        "已揭晓",
        nominations.count(),
        nominations.filter(source="resident").count(),
        honoured,
    ]
    assert (row[7].numerator, row[7].denominator) == (1, 3)
    assert table.links == [f"/campaigns/{campaign.pk}/"]
    earlier = results_table(world.s1, datetime(2026, 10, 1, tzinfo=CST), datetime(2026, 11, 1, tzinfo=CST))
    assert earlier is None
    assert (
        results_table(world.c2, datetime(2026, 11, 1, tzinfo=CST), datetime(2026, 12, 1, tzinfo=CST)) is None
    )
