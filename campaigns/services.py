"""Writes of 评选, one service per step of the campaign's loop (``linli.steps.Loop``): the campaign row is locked
first, a wrong state is refused (409), then a missing right (403), then bad input (400).

Two nominations of one household at once: the campaign lock puts them in a row and the second hears 409; two panel
members scoring at once both count (each writes their own rows; the nomination's total is recomputed under the
lock).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Sum

from access.scope import Scope
from areas.models import Area, Building, Household
from campaigns.models import Campaign, CampaignEvent, Criterion, Honour, Nomination, Score
from campaigns.scope import is_panel_member, may_run, nominator_source
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from linli.steps import Loop, holder_of
from linli.text import required_text
from notices.models import Notice
from notices.services import notice_publish

S = Campaign.Status
TRANSITIONS = {
    "nominate": [S.NOMINATING],
    "review": [S.NOMINATING],
    "score": [S.REVIEWING],
    "publicize": [S.REVIEWING],
    "exclude": [S.PUBLICIZING],
    "finish": [S.PUBLICIZING],
    "cancel": [S.NOMINATING, S.REVIEWING, S.PUBLICIZING],
}
LABELS = {
    "nominate": "提名",
    "review": "截止提名、开始评审",
    "score": "评分",
    "publicize": "公示拟表彰名单",
    "exclude": "取消拟表彰",
    "finish": "揭晓结果",
    "cancel": "撤销评选",
}
CAMPAIGNS: Loop[Campaign] = Loop(
    model=Campaign,
    noun="评选",
    transitions=TRANSITIONS,
    labels=LABELS,
    event_model=CampaignEvent,
    event_fk="campaign",
    related=("community",),
    key="campaign",
)
SUBJECT = "campaigns.campaign"
STAR_YEARS_DAYS = 365


def public_name_of(household: Household) -> str:
    """As the seeds publish honours: the head's surname and 某某家庭 (王某某家庭), never a full name."""
    members = household.memberships.select_related("person").order_by("pk")
    head = next((m for m in members if m.relation == "head"), None) or members.first()
    if head is None or not head.person.name:
        return f"{household.building.name}{household.number}家庭"
    return f"{head.person.name[0]}某某家庭"


@transaction.atomic
def campaign_create(
    *,
    user,
    community: Area,
    kind: str,
    title: str,
    nominations_close: datetime,
    criteria: Sequence[tuple[str, int]],
    panel: Sequence = (),
    places: int = 5,
    description: str = "",
) -> Campaign:
    scope = Scope.of(user)
    if community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "评选须由一个社区发起"})
    if not scope.is_admin and not may_run(scope, Campaign(community=community)):
        raise PermissionDenied(f"只有{community.name}的社区工作者可以发起评选")
    errors: dict[str, str] = {}
    if kind not in Campaign.Kind.values:
        errors["kind"] = "请选择评选类型"
    now = clock.now()
    if nominations_close <= now:
        errors["nominations_close"] = "提名截止时间须晚于现在"
    if not 1 <= places <= 200:
        errors["places"] = "评选名额为 1 到 200"
    cleaned = [(n.strip()[:60], p) for n, p in criteria if n and n.strip()]
    if (
        not cleaned
        or any(not 1 <= p <= 100 for _, p in cleaned)
        or len({n for n, _ in cleaned}) != len(cleaned)
    ):
        errors["criteria"] = "请至少列出一个评分项，名称不重复，每项满分 1 到 100 分"
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(
        community=community,
        kind=kind,
        title=required_text(title, "title", "名称", 120),
        description=description.strip()[:3000],
        nominations_close=nominations_close,
        places=places,
        created_by=user,
        created_at=now,
    )
    Criterion.objects.bulk_create(
        [Criterion(campaign=campaign, order=i, name=n, max_points=p) for i, (n, p) in enumerate(cleaned)]
    )
    campaign.panel.set(panel)
    CAMPAIGNS.record(campaign, user=user, action="create", from_state="", note=campaign.title)
    return campaign


@transaction.atomic
def campaign_set_panel(*, user, campaign_id: int, members: Sequence) -> Campaign:
    campaign = CAMPAIGNS.lock(campaign_id)
    if campaign.status not in (S.NOMINATING, S.REVIEWING):
        raise TransitionError("评选已进入公示，评审组不能再调整")
    CAMPAIGNS.refuse_unless(may_run(Scope.of(user), campaign), "review")
    campaign.panel.set(members)
    names = "、".join(getattr(getattr(m, "person", None), "name", "") or m.username for m in members)
    CAMPAIGNS.record(campaign, user=user, action="panel", from_state=campaign.status, note=f"评审组：{names}")
    return campaign


@transaction.atomic
def nomination_create(
    *,
    user,
    campaign_id: int,
    reason: str,
    household: Household | None = None,
    building: Building | None = None,
) -> Nomination:
    scope = Scope.of(user)
    campaign = CAMPAIGNS.lock(campaign_id)
    CAMPAIGNS.check_state(campaign, "nominate")
    now = clock.now()
    if now > campaign.nominations_close:
        raise TransitionError("提名已截止")
    source = nominator_source(scope, campaign.community)
    CAMPAIGNS.refuse_unless(source is not None, "nominate")
    assert source is not None
    if campaign.for_buildings:
        if building is None:
            raise ValidationError({"building": "请选择推荐的楼院"})
        household, place = None, building
        if Nomination.objects.filter(campaign=campaign, building=building).exists():
            raise TransitionError(f"{building.name}已被提名，可在提名列表中查看")
        public_name = building.name
    else:
        if household is None:
            raise ValidationError({"household": "请选择推荐的家庭（楼栋和房号）"})
        building, place = None, household.building
        if Nomination.objects.filter(campaign=campaign, household=household).exists():
            raise TransitionError("这一户已被提名，可在提名列表中查看")
        public_name = public_name_of(household)
    if not place.grid.path.startswith(campaign.community.path):
        raise ValidationError({"household" if household else "building": f"不在{campaign.community.name}"})
    nomination = Nomination.objects.create(
        campaign=campaign,
        household=household,
        building=building,
        public_name=public_name,
        reason=required_text(reason, "reason", "推荐理由", 2000),
        source=source,
        nominated_by=user,
        nominated_at=now,
    )
    CAMPAIGNS.record(campaign, user=user, action="nominate", from_state=campaign.status, note=public_name)
    return nomination


@transaction.atomic
def campaign_review(*, user, campaign_id: int) -> Campaign:
    campaign = CAMPAIGNS.begin(campaign_id, "review", allowed=lambda c: may_run(Scope.of(user), c))
    if not campaign.nominations.exists():
        raise TransitionError("还没有提名，不能开始评审")
    if not campaign.panel.exists():
        raise ValidationError({"panel": "请先确定评审组成员"})
    before, campaign.status = campaign.status, S.REVIEWING
    CAMPAIGNS.save(campaign, "status")
    CAMPAIGNS.record(campaign, user=user, action="review", from_state=before)
    return campaign


def _recount(nomination: Nomination) -> None:
    """The nomination's total: the mean, over the members who scored every criterion, of their sums."""
    n_criteria = nomination.campaign.criteria.count()
    sums = (
        Score.objects.filter(nomination=nomination)
        .values("member")
        .annotate(total=Sum("points"), n=Count("id"))
        .filter(n=n_criteria)
    )
    totals = [row["total"] for row in sums]
    nomination.total = (
        (Decimal(sum(totals)) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if totals
        else None
    )
    nomination.save(update_fields=["total"])


@transaction.atomic
def score_submit(*, user, nomination_id: int, points: Mapping[int, int]) -> Nomination:
    """A panel member's points for every criterion of one nomination (sent again, they replace the member's own)."""
    campaign_id = holder_of(Nomination, nomination_id, "campaign_id", key="nomination", noun="提名")
    campaign = CAMPAIGNS.begin(campaign_id, "score", allowed=lambda c: is_panel_member(Scope.of(user), c))
    nomination = Nomination.objects.select_for_update().get(pk=nomination_id)
    criteria = list(campaign.criteria.all())
    errors = {}
    for c in criteria:
        value = points.get(c.pk)
        if value is None or not isinstance(value, int) or not 0 <= value <= c.max_points:
            errors[f"criterion_{c.pk}"] = f"“{c.name}”请打 0 到 {c.max_points} 分"
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    for c in criteria:
        Score.objects.update_or_create(
            nomination=nomination,
            criterion=c,
            member=user,
            defaults={"points": points[c.pk], "scored_at": now},
        )
    _recount(nomination)
    CAMPAIGNS.record(
        campaign,
        user=user,
        action="score",
        from_state=campaign.status,
        note=f"{nomination.public_name}：{sum(points[c.pk] for c in criteria)} 分",
    )
    return nomination


def _when(moment: datetime) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def campaign_publicize(*, user, campaign_id: int, days: int = 7) -> Campaign:
    """拟表彰名单公示: the ``places`` best scored go on the notice board; residents may object during the period."""
    campaign = CAMPAIGNS.begin(campaign_id, "publicize", allowed=lambda c: may_run(Scope.of(user), c))
    nominations = list(campaign.nominations.order_by("-total", "nominated_at", "id"))
    unscored = [n.public_name for n in nominations if n.total is None]
    if unscored:
        raise TransitionError(f"还有 {len(unscored)} 个提名没有完整评分：{'、'.join(unscored[:5])}")
    chosen, rest = nominations[: campaign.places], nominations[campaign.places :]
    for n in chosen:
        n.status = Nomination.Status.SHORTLISTED
        n.save(update_fields=["status"])
    for n in rest:
        n.status, n.excluded_reason = Nomination.Status.EXCLUDED, "得分未进入评选名额"
        n.save(update_fields=["status", "excluded_reason"])
    lines = [f"{i}. {n.public_name}（评审平均分 {n.total}）" for i, n in enumerate(chosen, 1)]
    notice = notice_publish(
        user=user,
        community=campaign.community,
        kind=Notice.Kind.RANKING,
        title=f"{campaign.title}拟表彰名单公示",
        body=f"经居民、网格员和社区推荐，评审组按评分标准评审，拟表彰以下{campaign.get_kind_display()}：\n"
        + "\n".join(lines)
        + f"\n公示期 {days} 天，如有异议，请在公示期内提出。",
        days=days,
        subject_type=SUBJECT,
        subject_id=campaign.pk,
    )
    before = campaign.status
    campaign.status, campaign.notice = S.PUBLICIZING, notice
    CAMPAIGNS.save(campaign, "status", "notice")
    CAMPAIGNS.record(
        campaign, user=user, action="publicize", from_state=before, note=f"公示至 {_when(notice.ends_at)}"
    )
    return campaign


@transaction.atomic
def nomination_exclude(*, user, nomination_id: int, reason: str) -> Nomination:
    """An objection upheld during the 公示: the nominee is not honoured."""
    campaign_id = holder_of(Nomination, nomination_id, "campaign_id", key="nomination", noun="提名")
    campaign = CAMPAIGNS.begin(campaign_id, "exclude", allowed=lambda c: may_run(Scope.of(user), c))
    nomination = Nomination.objects.select_for_update().get(pk=nomination_id)
    if nomination.status != Nomination.Status.SHORTLISTED:
        raise TransitionError(f"{nomination.public_name}不在拟表彰名单中")
    nomination.status = Nomination.Status.EXCLUDED
    nomination.excluded_reason = required_text(reason, "reason", "取消原因", 300)
    nomination.save(update_fields=["status", "excluded_reason"])
    CAMPAIGNS.record(
        campaign,
        user=user,
        action="exclude",
        from_state=campaign.status,
        note=f"{nomination.public_name}：{reason}",
    )
    return nomination


def stars_for(total: Decimal | None, full: int) -> int:
    """星级: the mean total as a share of full marks, in fifths, at least one star."""
    if not total or not full:
        return 1
    return max(1, min(5, int((Decimal(5) * total / full).quantize(Decimal(1), rounding=ROUND_HALF_UP))))


@transaction.atomic
def campaign_finish(*, user, campaign_id: int) -> Campaign:
    """揭晓: after the 公示 period, with every objection answered, the shortlisted are honoured."""
    campaign = CAMPAIGNS.begin(campaign_id, "finish", allowed=lambda c: may_run(Scope.of(user), c))
    now = clock.now()
    notice = campaign.notice
    if notice is not None and notice.status == Notice.Status.PUBLISHED:
        if now <= notice.ends_at:
            raise TransitionError(f"公示期至 {_when(notice.ends_at)} 届满，届满后才能揭晓")
        open_objections = notice.objections.filter(answered_at__isnull=True).count()
        if open_objections:
            raise TransitionError(f"公示期内有 {open_objections} 条异议尚未答复")
    full = sum(c.max_points for c in campaign.criteria.all())
    today = now.date()
    for n in campaign.nominations.filter(status=Nomination.Status.SHORTLISTED):
        n.status = Nomination.Status.HONOURED
        n.save(update_fields=["status"])
        star = campaign.kind == Campaign.Kind.STAR_HOUSEHOLD
        Honour.objects.create(
            campaign=campaign,
            nomination=n,
            household=n.household,
            building=n.building,
            title=campaign.get_kind_display(),
            stars=stars_for(n.total, full) if star else None,
            awarded_on=today,
            valid_until=today + timedelta(days=STAR_YEARS_DAYS) if star else None,
        )
    before = campaign.status
    campaign.status, campaign.finished_at = S.FINISHED, now
    CAMPAIGNS.save(campaign, "status", "finished_at")
    CAMPAIGNS.record(
        campaign, user=user, action="finish", from_state=before, note=f"表彰 {campaign.honours.count()} 个"
    )
    return campaign


@transaction.atomic
def campaign_cancel(*, user, campaign_id: int, reason: str) -> Campaign:
    campaign = CAMPAIGNS.begin(campaign_id, "cancel", allowed=lambda c: may_run(Scope.of(user), c))
    reason = required_text(reason, "reason", "撤销原因", 300)
    before, campaign.status = campaign.status, S.CANCELLED
    CAMPAIGNS.save(campaign, "status")
    CAMPAIGNS.record(campaign, user=user, action="cancel", from_state=before, note=reason)
    return campaign
