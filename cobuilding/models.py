"""共建: a co-building agreement between a unit and a community, and what each side pledges.

What a unit actually did is not typed in here: it is counted from the platform's own records (projects claimed,
service orders and appeals it completed, service time) by ``cobuilding.selectors.work_of``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from units.models import PartyOrg, Unit


class Agreement(models.Model):
    """共建协议: a unit co-builds with a community for a term, pledging money, places, people and services."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("共建单位"), on_delete=models.PROTECT, related_name="cobuilding_agreements"
    )
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("单位党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cobuilding_agreements",
    )
    community = models.ForeignKey(
        Area,
        verbose_name=_("共建社区"),
        on_delete=models.PROTECT,
        related_name="cobuilding_agreements",
        limit_choices_to={"kind": Area.Kind.COMMUNITY},
    )
    title = models.CharField(_("协议名称"), max_length=120)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"))
    ended_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("共建协议")
        verbose_name_plural = _("共建协议")
        ordering = ["community__path", "unit__code", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="agreement_term"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} ↔ {self.community.name}：{self.title}"

    def is_in_force(self, day) -> bool:
        return self.ended_at is None and self.starts_on <= day <= self.ends_on


class Pledge(models.Model):
    """What the unit pledges under the agreement: money (in fen), a place, people or a service."""

    class Kind(models.TextChoices):
        MONEY = "money", _("资金")
        PLACE = "place", _("场地")
        PEOPLE = "people", _("人员")
        SERVICE = "service", _("服务")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="pledges")
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    description = models.CharField(_("内容"), max_length=200)
    amount_fen = models.PositiveBigIntegerField(_("金额（分）"), default=0)
    people = models.PositiveSmallIntegerField(_("人数"), default=0)
    hours_per_year = models.PositiveIntegerField(_("每年服务时长（小时）"), default=0)

    class Meta:
        verbose_name = _("共建承诺")
        verbose_name_plural = _("共建承诺")
        ordering = ["agreement", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.description}"

    @property
    def amount_yuan(self) -> str:
        return f"{self.amount_fen / 100:.2f}"
