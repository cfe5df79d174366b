"""公示 (阳光居务): public notices of a community, each with a period, and the objections raised during it.

A notice may be about anything public (a topic, a result, a vote, a project ledger, a ranking); what it is
about is named by ``subject_type`` ("deliberation.topic") and ``subject_id``, so this app depends on none of
them. Notices are written only by ``notices.services``.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from people.models import Person


class Notice(models.Model):
    class Kind(models.TextChoices):
        TOPIC = "topic", _("议题公示")
        RESULT = "result", _("结果公示")
        VOTE = "vote", _("表决公示")
        LEDGER = "ledger", _("项目台账")
        RANKING = "ranking", _("评比排名")
        OTHER = "other", _("其他公示")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("公示中")
        WITHDRAWN = "withdrawn", _("已撤回")

    community = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="notices"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"), max_length=10000)
    subject_type = models.CharField(_("公示对象类型"), max_length=40, blank=True)
    subject_id = models.PositiveBigIntegerField(_("公示对象"), null=True, blank=True)
    starts_at = models.DateTimeField(_("公示开始"))
    ends_at = models.DateTimeField(_("公示截止"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, on_delete=models.SET_NULL
    )
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("发布时间"))

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "ends_at"], name="notice_board"),
            models.Index(fields=["subject_type", "subject_id"], name="notice_subject"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="notice_period"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_running(self, now: datetime) -> bool:
        return self.status == self.Status.PUBLISHED and self.starts_at <= now <= self.ends_at

    def is_over(self, now: datetime) -> bool:
        return self.status == self.Status.PUBLISHED and now > self.ends_at


class Objection(models.Model):
    """An objection raised during a notice's period, and the community's answer: open until it is answered."""

    OPEN, ANSWERED = "open", "answered"

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="objections")
    person = models.ForeignKey(
        Person, verbose_name=_("提出人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(_("提出人姓名"), max_length=50)
    body = models.TextField(_("异议内容"), max_length=2000)
    raised_at = models.DateTimeField(_("提出时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="objections_recorded",
    )
    answer = models.TextField(_("答复"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objections_answered",
    )

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["raised_at", "id"]

    def __str__(self) -> str:
        return f"{self.name}：{self.body[:20]}"

    @property
    def state(self) -> str:
        """Its place in its loop (``notices.workflow``): open, or answered once an answer is recorded."""
        return self.OPEN if self.answered_at is None else self.ANSWERED

    @property
    def public_name(self) -> str:
        return self.name[0] + "*" * max(1, len(self.name) - 1) if self.name else "居民"
