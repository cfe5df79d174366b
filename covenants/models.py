"""居民公约: a covenant per community or 小区, and its versions. A version is drafted, deliberated as a topic through
the six steps (``deliberation``), adopted by the residents' vote on that topic, published (then in force, the
version before it superseded), and revised as a new version.

The version's loop (``covenants.services``): 草案 → 协商中 → 已通过 → 施行中 → 已废止, or 协商中 → 未通过.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from linli.steps import StepEvent


class Covenant(models.Model):
    community = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="covenants"
    )
    compound = models.CharField(_("小区"), max_length=60, blank=True, help_text=_("留空：全社区适用"))
    title = models.CharField(_("名称"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("居民公约")
        verbose_name_plural = _("居民公约")
        ordering = ["community", "compound", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "compound"], name="covenant_one_per_place")
        ]

    def __str__(self) -> str:
        return self.title


class Version(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草案")
        DELIBERATING = "deliberating", _("协商中")
        ADOPTED = "adopted", _("已表决通过")
        IN_FORCE = "in_force", _("施行中")
        SUPERSEDED = "superseded", _("已废止")
        REJECTED = "rejected", _("未通过")

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    text = models.TextField(_("公约全文"), max_length=20000)
    changes = models.CharField(_("修订说明"), max_length=500, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    topic = models.ForeignKey(
        "deliberation.Topic",
        verbose_name=_("议题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.ForeignKey(
        "deliberation.Decision",
        verbose_name=_("表决决议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notice = models.ForeignKey(
        "notices.Notice",
        verbose_name=_("公布"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_at = models.DateTimeField(_("表决通过时间"), null=True, blank=True)
    in_force_from = models.DateTimeField(_("施行时间"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("废止时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"))

    class Meta:
        verbose_name = _("公约版本")
        verbose_name_plural = _("公约版本")
        ordering = ["covenant", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "number"], name="covenant_version_number"),
            models.UniqueConstraint(
                fields=["covenant"], condition=models.Q(status="in_force"), name="covenant_one_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.covenant.title}（第 {self.number} 版）"


class VersionEvent(StepEvent):
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="events")
