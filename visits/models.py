"""走访: visit rounds, household visits, the special-group tags that set how often a household is visited, and what a
visit led to (an appeal or a need).

A visit carries the idempotency key its form was rendered with (unique): a form sent twice (a weak signal, a
double tap, the page's own resend when the network returns) finds the first visit instead of making a second.
The same holds for what a visit leads to (``VisitReferral.key``).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Household
from linli.steps import StepEvent


class CareTag(models.TextChoices):
    """The special groups a household may be tagged with, each visited at its own frequency."""

    ELDERLY_ALONE = "elderly_alone", _("独居老人")
    HARDSHIP = "hardship", _("困难家庭")
    DISABLED = "disabled", _("残疾人")


# How often a tagged household is visited (days between two visits in which someone was met).
FREQUENCY_DAYS: dict[str, int] = {
    CareTag.ELDERLY_ALONE: 7,  # 每周一次
    CareTag.HARDSHIP: 15,  # 每半月一次
    CareTag.DISABLED: 30,  # 每月一次
}
FREQUENCY_LABELS: dict[str, str] = {
    CareTag.ELDERLY_ALONE: "每周走访",
    CareTag.HARDSHIP: "每半月走访",
    CareTag.DISABLED: "每月走访",
}


class HouseholdTag(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="care_tags")
    tag = models.CharField(_("重点人群"), max_length=20, choices=CareTag.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    since = models.DateField(_("登记日期"))
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("重点走访户")
        verbose_name_plural = _("重点走访户")
        ordering = ["household", "tag"]
        constraints = [models.UniqueConstraint(fields=["household", "tag"], name="visit_tag_unique")]

    def __str__(self) -> str:
        return f"{self.household} {self.get_tag_display()}"

    @property
    def every(self) -> timedelta:
        return timedelta(days=FREQUENCY_DAYS[self.tag])


class Round(models.Model):
    """A visit round over an area (a community or a grid): every household in it visited between two dates."""

    class Kind(models.TextChoices):
        HALF_MONTH = "half_month", _("每半月进小区")
        HUNDRED_DAYS = "hundred_days", _("百日大走访")
        SPECIAL = "special", _("专项走访")

    area = models.ForeignKey(
        Area, verbose_name=_("范围"), on_delete=models.PROTECT, related_name="visit_rounds"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=120)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("完成期限"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("走访轮次")
        verbose_name_plural = _("走访轮次")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="visit_round_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title


class RoundGrid(models.Model):
    """Which grid worker covers a grid's households in a round, by when."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="grids")
    grid = models.ForeignKey(Area, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责网格员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visit_round_grids",
    )
    due_on = models.DateField(_("完成期限"))

    class Meta:
        ordering = ["round", "grid__path"]
        constraints = [models.UniqueConstraint(fields=["round", "grid"], name="visit_round_grid_unique")]

    def __str__(self) -> str:
        return f"{self.round} · {self.grid.name}"


class Finding(models.TextChoices):
    NORMAL = "normal", _("一切正常")
    APPEAL = "appeal", _("有诉求")
    NEED = "need", _("有困难需帮扶")
    DISPUTE = "dispute", _("有矛盾纠纷")
    SAFETY = "safety", _("安全隐患")


class Visit(models.Model):
    household = models.ForeignKey(
        Household, verbose_name=_("户"), on_delete=models.PROTECT, related_name="visits"
    )
    grid = models.ForeignKey(Area, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(
        Round,
        verbose_name=_("走访轮次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("走访人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visited_at = models.DateTimeField(_("走访时间"), db_index=True)
    met = models.BooleanField(_("见到住户"), default=True)
    seen = models.ManyToManyField("people.Person", verbose_name=_("见到的人"), blank=True, related_name="+")
    finding = models.CharField(_("发现情况"), max_length=16, choices=Finding.choices, default=Finding.NORMAL)
    note = models.TextField(_("情况记录"), max_length=2000, blank=True)
    key = models.UUIDField(_("提交编号"), unique=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_at", "-id"]
        indexes = [models.Index(fields=["household", "visited_at"], name="visit_household_at")]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_at:%Y-%m-%d}"


class VisitReferral(models.Model):
    """What a visit led to: an appeal (点单 on the household's behalf) or a need (需求清单)."""

    class Kind(models.TextChoices):
        APPEAL = "appeal", _("诉求")
        NEED = "need", _("需求")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    key = models.UUIDField(_("提交编号"), unique=True)
    appeal = models.ForeignKey(
        "appeals.Appeal", null=True, blank=True, on_delete=models.PROTECT, related_name="visit_referrals"
    )
    need = models.ForeignKey("needs.Need", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.appeal_id or self.need_id}"


class VisitEvent(StepEvent):
    """The visit's log: recorded, referred to an appeal or a need."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="events")
