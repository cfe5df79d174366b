"""Units that can be dispatched to, party organisations, and the co-building links between them and communities."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Building, code_validator


class Unit(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("职能部门")
        ENTERPRISE = "enterprise", _("企事业单位")
        PROPERTY_MANAGER = "property_manager", _("物业服务企业")
        SOCIAL_ORG = "social_org", _("社会组织")
        POLICE = "police", _("派出所")
        UTILITY = "utility", _("公用事业单位")
        COMMUNITY = "community", _("社区（自办）")

    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    code = models.CharField(_("代码"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)
    # The level the unit belongs to (a district department sits at the district, a property manager in a community).
    home_area = models.ForeignKey(
        Area, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="home_units"
    )
    areas_served = models.ManyToManyField(
        Area, verbose_name=_("服务区域"), related_name="units_serving", blank=True
    )
    categories = models.ManyToManyField(
        "categories.Category", verbose_name=_("承接类别"), related_name="units", blank=True
    )
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PartyOrg(models.Model):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("党委")
        GENERAL_BRANCH = "general_branch", _("党总支")
        BRANCH = "branch", _("党支部")
        GROUP = "group", _("党小组")

    ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
        Kind.COMMITTEE: (None, Kind.COMMITTEE),
        Kind.GENERAL_BRANCH: (None, Kind.COMMITTEE),
        Kind.BRANCH: (None, Kind.COMMITTEE, Kind.GENERAL_BRANCH),
        Kind.GROUP: (Kind.BRANCH,),
    }

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("代码"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # A party org belongs either to an area (a community's party committee, a grid's branch) or to a unit.
    area = models.ForeignKey(
        Area,
        verbose_name=_("所在区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_orgs",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_orgs",
    )
    # 楼栋党小组: the building a party group covers (its area is then the building's grid).
    building = models.ForeignKey(
        Building,
        verbose_name=_("所在楼栋"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_groups",
    )
    secretary = models.ForeignKey(
        "people.Person",
        verbose_name=_("书记（组长）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_orgs_led",
    )

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(area__isnull=False) | models.Q(unit__isnull=False),
                name="partyorg_has_area_or_unit",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CoBuildingLink(models.Model):
    """联建: a unit's party org co-builds with a community (双报到 registers here too)."""

    party_org = models.ForeignKey(
        PartyOrg, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="co_building_links"
    )
    community = models.ForeignKey(
        Area,
        verbose_name=_("共建社区"),
        on_delete=models.PROTECT,
        related_name="co_building_links",
        limit_choices_to={"kind": Area.Kind.COMMUNITY},
    )
    since = models.DateField(_("共建起始日期"))
    note = models.CharField(_("共建内容"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("共建关系")
        verbose_name_plural = _("共建关系")
        constraints = [models.UniqueConstraint(fields=["party_org", "community"], name="cobuilding_unique")]

    def __str__(self) -> str:
        return f"{self.party_org} ↔ {self.community.name}"
