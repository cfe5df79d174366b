"""项目库: party-building, co-building and livelihood projects, kept in a ledger (台账), claimed by co-building
units (认领), tracked through milestones to completion. A project can grow out of appeals or a deliberation."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from units.models import Unit


class Project(models.Model):
    class Kind(models.TextChoices):
        PARTY_BUILDING = "party_building", _("党建项目")
        CO_BUILDING = "co_building", _("共建项目")
        LIVELIHOOD = "livelihood", _("民生项目")

    class Status(models.TextChoices):
        OPEN = "open", _("待认领")
        CLAIMED = "claimed", _("已认领")
        IN_PROGRESS = "in_progress", _("实施中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已撤销")

    community = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="projects"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("项目名称"), max_length=120)
    description = models.TextField(_("内容"), max_length=5000)
    budget_fen = models.PositiveBigIntegerField(_("预算（分）"), default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        on_delete=models.PROTECT,
        related_name="projects_owned",
    )
    claimed_by = models.ForeignKey(
        Unit,
        verbose_name=_("认领单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects_claimed",
    )
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    progress = models.PositiveSmallIntegerField(
        _("进度（%）"), default=0, validators=[MaxValueValidator(100)]
    )
    appeals = models.ManyToManyField(
        "appeals.Appeal", verbose_name=_("来源诉求"), related_name="projects", blank=True
    )
    topic = models.ForeignKey(
        "deliberation.Topic",
        verbose_name=_("来源议题"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    created_at = models.DateTimeField(_("立项时间"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目台账")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def budget_yuan(self) -> str:
        return f"{self.budget_fen // 100:,}.{self.budget_fen % 100:02d}"


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=120)
    due = models.DateField(_("计划完成"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(_("权重"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.title


class ProjectEvent(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=24)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.action}"
