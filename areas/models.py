"""The area tree: district → subdistrict → community → (zone) → grid, and the buildings and households in a grid.

Every area keeps a materialised ``path`` of its ancestors' ids ("/1/4/17/"), so "everything under this node"
is one indexed prefix query. Paths are only written by the services in ``areas.services``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$", _("代码只能包含字母、数字、点、横线和下划线")
)


class Area(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("区")
        SUBDISTRICT = "subdistrict", _("街道")
        COMMUNITY = "community", _("社区")
        ZONE = "zone", _("片区")
        GRID = "grid", _("网格")

    # Which kinds may sit directly under which: a zone is optional between community and grid.
    ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
        Kind.DISTRICT: (None,),
        Kind.SUBDISTRICT: (Kind.DISTRICT,),
        Kind.COMMUNITY: (Kind.SUBDISTRICT,),
        Kind.ZONE: (Kind.COMMUNITY,),
        Kind.GRID: (Kind.COMMUNITY, Kind.ZONE),
    }

    kind = models.CharField(_("层级"), max_length=16, choices=Kind.choices)
    code = models.CharField(_("代码"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    population = models.PositiveIntegerField(_("常住人口"), null=True, blank=True)
    shape = models.JSONField(_("边界 (GeoJSON)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind", "path"], name="area_kind_path")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def is_within(self, other: Area) -> bool:
        return self.path.startswith(other.path)

    def ancestor_of_kind(self, kind: str) -> Area | None:
        if self.kind == kind:
            return self
        return Area.objects.filter(id__in=self.ancestor_ids(), kind=kind).first()


class Building(models.Model):
    grid = models.ForeignKey(Area, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="buildings")
    code = models.CharField(_("代码"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    floors = models.PositiveSmallIntegerField(_("层数"), null=True, blank=True)
    built_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)
    has_lift = models.BooleanField(_("有电梯"), default=False)
    compound = models.ForeignKey(
        "compounds.Compound",
        verbose_name=_("所属小区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buildings",
    )

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """A flat in a building and the household living in it; its floor area weighs owners' votes (民法典 278)."""

    building = models.ForeignKey(
        Building, verbose_name=_("楼栋"), on_delete=models.PROTECT, related_name="households"
    )
    number = models.CharField(_("房号"), max_length=40)
    floor_area = models.DecimalField(
        _("建筑面积 (m²)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        ordering = ["building__code", "number"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="household_unique_number")]

    def __str__(self) -> str:
        return f"{self.building.name} {self.number}"
