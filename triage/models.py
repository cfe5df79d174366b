"""Smart triage (智治): routing rules staff keep, labelled history staff confirm, early warnings raised."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from categories.models import Category
from units.models import Unit


class RoutingRule(models.Model):
    """分拨规则: appeals of this category (a leaf, or a level-1 category for all of its leaves) in this area (or
    below it) go to this unit.

    The most specific category wins (a rule for 城乡建设/市政设施 beats one for 城乡建设), then the most specific
    area (a rule at a community beats one at its subdistrict, which beats the district's).
    """

    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("区域"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("承办单位"), on_delete=models.CASCADE, related_name="routing_rules"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("维护人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("分拨规则")
        verbose_name_plural = _("分拨规则")
        ordering = ["area__path", "category__code"]
        constraints = [models.UniqueConstraint(fields=["category", "area"], name="routing_rule_unique")]

    def __str__(self) -> str:
        return f"{self.area.name} · {self.category.name} → {self.unit.name}"


class LabelledExample(models.Model):
    """One appeal's confirmed first-level category: the deployment's own labelled history for training."""

    appeal = models.OneToOneField(
        "appeals.Appeal", verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="labelled_example"
    )
    label = models.CharField(_("类别"), max_length=100)
    suggested = models.CharField(_("建议类别"), max_length=100, blank=True)
    confidence = models.FloatField(_("建议置信度"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    confirmed_at = models.DateTimeField(_("确认时间"))
    # The whole path: the category confirmed (at whatever level) and the one suggested for the appeal's text.
    category = models.ForeignKey(
        Category,
        verbose_name=_("确认类别"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggested_category = models.ForeignKey(
        Category,
        verbose_name=_("建议类别（末级）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # 派单: the unit suggested when it was dispatched (and why), the unit staff chose.
    unit = models.ForeignKey(
        Unit, verbose_name=_("派往单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggested_unit = models.ForeignKey(
        Unit, verbose_name=_("建议单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit_reason = models.CharField(_("建议依据"), max_length=200, blank=True)
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("已标注诉求")
        verbose_name_plural = _("已标注诉求")
        ordering = ["-confirmed_at"]

    def __str__(self) -> str:
        return f"#{self.appeal_id} {self.label}"


class EarlyWarning(models.Model):
    """预警: a grid, or a category in a community, whose count this week is far above its own baseline."""

    class Kind(models.TextChoices):
        GRID = "grid", _("网格")
        CATEGORY = "category", _("类别")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("区域"), on_delete=models.CASCADE, related_name="early_warnings"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    week_start = models.DateField(_("周起始"))
    count = models.PositiveIntegerField(_("本周件数"))
    baseline = models.FloatField(_("前 8 周周均"))
    score = models.FloatField(_("偏离度 z"))
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    created_at = models.DateTimeField(_("预警时间"))

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-week_start", "-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "area", "category", "week_start"],
                name="early_warning_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        what = self.category.name if self.category else self.area.name
        return f"{self.week_start} {what} {self.count} 件（常态 {self.baseline:.1f}）"
