"""The configurable category tree of appeals and services, with the deadlines each category sets."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # 限时办结: time to first contact in hours, time to resolve in working days.
    contact_hours = models.PositiveSmallIntegerField(
        _("首次联系时限（小时）"), default=24, validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    resolve_working_days = models.PositiveSmallIntegerField(
        _("办结时限（工作日）"), default=5, validators=[MinValueValidator(1), MaxValueValidator(180)]
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name if self.parent is None else f"{self.parent.name} / {self.name}"

    @property
    def root(self) -> Category:
        node = self
        while node.parent_id is not None:
            node = node.parent  # type: ignore[assignment]
        return node


class CalendarDay(models.Model):
    """Exceptions to Monday–Friday: public holidays, and weekend days made working days (调休).

    Official days are synced from the State Council's schedule (``manage.py sync_calendar``); a day the
    administrator sets in the admin is a local override, which the sync never touches."""

    class Source(models.TextChoices):
        OFFICIAL = "official", _("国家法定安排")
        LOCAL = "local", _("本地调整")

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    name = models.CharField(_("说明"), max_length=50, blank=True)
    source = models.CharField(
        _("来源"),
        max_length=10,
        choices=Source.choices,
        default=Source.LOCAL,
        help_text=_("在这里保存的日子都算本地调整：同步国家放假安排时不会改动，以本地设置为准。"),
    )

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '放假'} {self.name}"
