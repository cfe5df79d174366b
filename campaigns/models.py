"""评选: campaigns (最美家庭, 星级文明户, 文明楼院), their criteria and panel, nominations with reasons, the panel's
scores per criterion, the 公示 on the notice board, and the honours (star ratings last a year).

The campaign's loop (``campaigns.workflow``): 提名中 → 评审中 → 公示中 → 已揭晓 (or 已撤销). Each step is one service
function writing a ``CampaignEvent``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Building, Household
from linli.steps import StepEvent


class Campaign(models.Model):
    class Kind(models.TextChoices):
        FAMILY = "family", _("最美家庭")
        STAR_HOUSEHOLD = "star_household", _("星级文明户")
        BUILDING = "building", _("文明楼院")

    class Status(models.TextChoices):
        NOMINATING = "nominating", _("提名中")
        REVIEWING = "reviewing", _("评审中")
        PUBLICIZING = "publicizing", _("公示中")
        FINISHED = "finished", _("已揭晓")
        CANCELLED = "cancelled", _("已撤销")

    community = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="campaigns"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=120)
    description = models.TextField(_("评选说明"), max_length=3000, blank=True)
    nominations_close = models.DateTimeField(_("提名截止"))
    places = models.PositiveSmallIntegerField(_("评选名额"), default=5)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.NOMINATING)
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("评审组"), blank=True, related_name="+"
    )
    notice = models.ForeignKey(
        "notices.Notice",
        verbose_name=_("公示"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"))
    finished_at = models.DateTimeField(_("揭晓时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评选活动")
        verbose_name_plural = _("评选活动")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def for_buildings(self) -> bool:
        return self.kind == self.Kind.BUILDING


class Criterion(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("评分项"), max_length=60)
    max_points = models.PositiveSmallIntegerField(_("满分"))

    class Meta:
        ordering = ["campaign", "order"]
        constraints = [models.UniqueConstraint(fields=["campaign", "order"], name="campaign_criterion_order")]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_points} 分）"


class Nomination(models.Model):
    class Source(models.TextChoices):
        RESIDENT = "resident", _("居民推荐")
        GRID_WORKER = "grid_worker", _("网格员推荐")
        STAFF = "staff", _("社区推荐")

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("已提名")
        SHORTLISTED = "shortlisted", _("拟表彰（公示中）")
        EXCLUDED = "excluded", _("未入选")
        HONOURED = "honoured", _("已表彰")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="nominations")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    building = models.ForeignKey(Building, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    public_name = models.CharField(_("公开名称"), max_length=60)  # 王某某家庭 / 幸福1号楼
    reason = models.TextField(_("推荐理由"), max_length=2000)
    source = models.CharField(_("推荐方式"), max_length=16, choices=Source.choices)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    nominated_at = models.DateTimeField(_("提名时间"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.NOMINATED)
    total = models.DecimalField(_("平均总分"), max_digits=7, decimal_places=2, null=True, blank=True)
    excluded_reason = models.CharField(_("未入选原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("提名")
        verbose_name_plural = _("提名")
        ordering = ["campaign", "-total", "nominated_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "household"], name="campaign_nominee_household"),
            models.UniqueConstraint(fields=["campaign", "building"], name="campaign_nominee_building"),
            models.CheckConstraint(
                condition=models.Q(household__isnull=True) ^ models.Q(building__isnull=True),
                name="nominee_one_of",
            ),
        ]

    def __str__(self) -> str:
        return self.public_name


class Score(models.Model):
    """One panel member's points for one criterion of one nomination (a member may correct them while reviewing)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    points = models.PositiveSmallIntegerField(_("得分"))
    scored_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "criterion", "member"], name="campaign_score_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.nomination} {self.criterion.name} {self.points}"


class Honour(models.Model):
    """An honour awarded when the campaign is announced; a star rating (星级文明户) lasts a year."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="honours")
    nomination = models.OneToOneField(Nomination, on_delete=models.CASCADE, related_name="honour")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="honours"
    )
    building = models.ForeignKey(
        Building, null=True, blank=True, on_delete=models.PROTECT, related_name="honours"
    )
    title = models.CharField(_("荣誉"), max_length=60)
    stars = models.PositiveSmallIntegerField(_("星级"), null=True, blank=True)
    awarded_on = models.DateField(_("授予日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["-awarded_on", "-stars", "id"]

    def __str__(self) -> str:
        return f"{self.nomination.public_name} {self.title}"


class CampaignEvent(StepEvent):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
