"""三库联动: registrations (双报到), offers (供给清单), needs (需求清单), matching rounds, volunteer teams.

A matched pair becomes a service order: an ``appeals.Appeal`` of kind ``service_order``, so it is accepted,
delivered, completed and rated by the same services as any appeal.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Building
from categories.models import Category
from needs.service_types import ServiceType, labels
from people.models import Person
from units.models import Unit


class Registration(models.Model):
    """双报到: a unit or an in-service party member registers with a community."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("在册")
        ENDED = "ended", _("已退出")

    community = models.ForeignKey(
        Area, verbose_name=_("报到社区"), on_delete=models.PROTECT, related_name="registrations"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("党员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    registered_at = models.DateTimeField(_("报到时间"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("报到登记")
        verbose_name_plural = _("报到登记")
        ordering = ["-registered_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, person__isnull=True)
                | Q(unit__isnull=True, person__isnull=False),
                name="registration_one_registrant",
            ),
            models.UniqueConstraint(
                fields=["community", "unit"], condition=Q(status="active"), name="registration_unit_once"
            ),
            models.UniqueConstraint(
                fields=["community", "person"], condition=Q(status="active"), name="registration_person_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registrant_name} → {self.community.name}"

    @property
    def registrant_name(self) -> str:
        return self.unit.name if self.unit else self.person.name if self.person else ""

    @property
    def provider_key(self) -> str:
        return f"unit:{self.unit_id}" if self.unit_id else f"person:{self.person_id}"


class Offer(models.Model):
    """供给清单: what a registered unit or party member offers, how often and how far."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("报到登记"), on_delete=models.PROTECT, related_name="offers"
    )
    title = models.CharField(_("服务名称"), max_length=100)
    categories = models.ManyToManyField(Category, verbose_name=_("服务类别"), related_name="offers")
    service_types = models.JSONField(
        _("服务类型"), default=list, blank=True, help_text=_("能提供的服务，匹配时只派给服务类型相符的需求")
    )
    skills = models.CharField(_("特长与技能"), max_length=200, blank=True)
    capacity_per_month = models.PositiveSmallIntegerField(
        _("每月可接单数"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    when = models.CharField(_("服务时间"), max_length=100, blank=True)
    base = models.ForeignKey(
        Area, verbose_name=_("出发地（网格或社区）"), on_delete=models.PROTECT, related_name="+"
    )
    max_distance_km = models.DecimalField(
        _("服务半径（公里）"), max_digits=5, decimal_places=1, default=3, validators=[MinValueValidator(0)]
    )
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("供给")
        verbose_name_plural = _("供给清单")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.registration.registrant_name}：{self.title}"

    @property
    def service_type_names(self) -> str:
        return labels(self.service_types)


class Need(models.Model):
    """需求清单: from a self-handled appeal, or entered by staff; may be for a group of people."""

    class Status(models.TextChoices):
        OPEN = "open", _("待匹配")
        ORDERED = "ordered", _("已派服务单")
        SERVED = "served", _("已服务")
        CLOSED = "closed", _("已关闭")

    community = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="needs"
    )
    grid = models.ForeignKey(
        Area, verbose_name=_("网格"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("楼栋"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="needs"
    )
    service_type = models.CharField(
        _("服务类型"),
        max_length=20,
        choices=ServiceType.choices,
        blank=True,
        help_text=_("需要哪种服务；不填时只匹配登记了同一类别的供给"),
    )
    title = models.CharField(_("需求"), max_length=120)
    description = models.TextField(_("说明"), blank=True, max_length=2000)
    person = models.ForeignKey(
        Person,
        verbose_name=_("需求人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    group = models.CharField(_("需求群体"), max_length=100, blank=True, help_text=_("例如：3 号楼的独居老人"))
    priority = models.PositiveSmallIntegerField(_("优先级"), default=0, validators=[MaxValueValidator(3)])
    source_appeal = models.OneToOneField(
        "appeals.Appeal",
        verbose_name=_("来源诉求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_need",
    )
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("登记时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("需求")
        verbose_name_plural = _("需求清单")
        ordering = ["-priority", "created_at"]
        indexes = [models.Index(fields=["community", "status"], name="need_community_status")]

    def __str__(self) -> str:
        return self.title


class MatchRound(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待审核")
        DISPATCHED = "dispatched", _("已派单")
        DISCARDED = "discarded", _("已作废")

    community = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="match_rounds"
    )
    created_at = models.DateTimeField(_("匹配时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    method = models.CharField(_("方法"), max_length=20)
    total_cost = models.DecimalField(_("总成本"), max_digits=12, decimal_places=2, default=0)
    unmatched = models.JSONField(_("未匹配需求"), default=list)

    class Meta:
        verbose_name = _("匹配批次")
        verbose_name_plural = _("匹配批次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.community.name} {self.created_at:%Y-%m-%d %H:%M}"


class Proposal(models.Model):
    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="proposals")
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="proposals")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="proposals")
    cost = models.DecimalField(max_digits=10, decimal_places=2)
    distance_km = models.DecimalField(max_digits=6, decimal_places=2)
    adjusted = models.BooleanField(_("人工调整"), default=False)

    class Meta:
        verbose_name = _("匹配建议")
        verbose_name_plural = _("匹配建议")
        constraints = [models.UniqueConstraint(fields=["round", "need"], name="proposal_need_once")]

    def __str__(self) -> str:
        return f"{self.need} ← {self.offer}"


class VolunteerTeam(models.Model):
    class Kind(models.TextChoices):
        VOLUNTEERS = "volunteers", _("志愿服务队")
        PARTY_COMMANDO = "party_commando", _("党员突击队")

    community = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("队名"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    leader = models.ForeignKey(
        Person, verbose_name=_("队长"), on_delete=models.PROTECT, related_name="teams_led"
    )
    members = models.ManyToManyField(Person, verbose_name=_("队员"), related_name="teams", blank=True)
    created_at = models.DateTimeField(_("成立时间"))

    class Meta:
        verbose_name = _("志愿队")
        verbose_name_plural = _("志愿队")
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="team_name_unique")]

    def __str__(self) -> str:
        return self.name
