"""Roles held at a node of the area tree, a building or a unit. ``access.scope`` turns them into what a user sees."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Building
from units.models import Unit


class Role(models.TextChoices):
    RESIDENT = "resident", _("居民")
    GRID_WORKER = "grid_worker", _("网格员")
    GRID_LEADER = "grid_leader", _("网格长")
    BUILDING_HEAD = "building_head", _("楼长")
    COMMUNITY_STAFF = "community_staff", _("社区工作者")
    SUBDISTRICT_STAFF = "subdistrict_staff", _("街道工作人员")
    UNIT_STAFF = "unit_staff", _("单位工作人员")
    PARTY_MEMBER = "party_member", _("在职党员")
    DISTRICT_LEADER = "district_leader", _("区领导")
    ADMIN = "admin", _("系统管理员")
    # The community's named people the seeds list beside its staff (一社区一法律顾问、一社区一民警, 人民调解员,
    # 楼院三长, 两代表一委员): held for a community or a grid (or a building), reached and dispatched by name.
    LEGAL_ADVISER = "legal_adviser", _("法律顾问")
    COMMUNITY_POLICE = "community_police", _("社区民警")
    MEDIATOR = "mediator", _("人民调解员")
    UNIT_HEAD = "unit_head", _("单元长")
    HOUSEHOLD_HEAD = "household_head", _("中心户长")
    STREET_HEAD = "street_head", _("街长")
    DEPUTY = "deputy", _("人大代表")
    CPPCC_MEMBER = "cppcc_member", _("政协委员")


# Where each role is held: the area kind it sits at, a building, a unit, or nowhere (global).
ROLE_HOLDER: dict[str, tuple[str, tuple[str, ...]]] = {
    Role.RESIDENT: ("area", (Area.Kind.COMMUNITY,)),
    Role.GRID_WORKER: ("area", (Area.Kind.GRID,)),
    Role.GRID_LEADER: ("area", (Area.Kind.GRID, Area.Kind.ZONE)),
    Role.BUILDING_HEAD: ("building", ()),
    Role.COMMUNITY_STAFF: ("area", (Area.Kind.COMMUNITY,)),
    Role.SUBDISTRICT_STAFF: ("area", (Area.Kind.SUBDISTRICT,)),
    Role.UNIT_STAFF: ("unit", ()),
    Role.PARTY_MEMBER: ("area", (Area.Kind.COMMUNITY,)),
    Role.DISTRICT_LEADER: ("area", (Area.Kind.DISTRICT,)),
    Role.ADMIN: ("global", ()),
    Role.LEGAL_ADVISER: ("area", (Area.Kind.COMMUNITY, Area.Kind.GRID)),
    Role.COMMUNITY_POLICE: ("area", (Area.Kind.COMMUNITY, Area.Kind.GRID)),
    Role.MEDIATOR: ("area", (Area.Kind.COMMUNITY, Area.Kind.GRID)),
    Role.UNIT_HEAD: ("building", ()),
    Role.HOUSEHOLD_HEAD: ("building", ()),
    Role.STREET_HEAD: ("area", (Area.Kind.COMMUNITY, Area.Kind.SUBDISTRICT)),
    Role.DEPUTY: ("area", (Area.Kind.COMMUNITY, Area.Kind.SUBDISTRICT)),
    Role.CPPCC_MEMBER: ("area", (Area.Kind.COMMUNITY, Area.Kind.SUBDISTRICT)),
}


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    area = models.ForeignKey(
        Area,
        verbose_name=_("区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("楼栋"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "area", "building", "unit"],
                name="role_assignment_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} @ {self.holder_label}"

    @property
    def holder_label(self) -> str:
        holder = self.area or self.building or self.unit
        return str(holder.name) if holder is not None else str(_("全区"))

    def clean(self) -> None:
        kind, area_kinds = ROLE_HOLDER[self.role]
        present = {
            "area": self.area_id is not None,
            "building": self.building_id is not None,
            "unit": self.unit_id is not None,
        }
        wanted = {name: name == kind for name in present}
        if present != wanted:
            needs = {"area": _("区域"), "building": _("楼栋"), "unit": _("单位"), "global": _("无（全局）")}[
                kind
            ]
            raise ValidationError(
                {
                    "role": _("角色“%(role)s”须设在：%(holder)s")
                    % {"role": self.get_role_display(), "holder": needs}
                }
            )
        if kind == "area" and self.area is not None and self.area.kind not in area_kinds:
            raise ValidationError(
                {
                    "area": _("角色“%(role)s”不能设在%(kind)s一级")
                    % {"role": self.get_role_display(), "kind": self.area.get_kind_display()}
                }
            )


class ApiToken(models.Model):
    """An API token. Only its SHA-256 is stored: the key is shown once, when it is issued (``access.tokens``).

    It stops working when it expires, when its owner revokes it or logs out, when a role of its owner is removed,
    and when its owner's password changes (``password_mark`` no longer matches)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=60, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    password_mark = models.CharField(max_length=16)
    created_at = models.DateTimeField(_("签发时间"))
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_why = models.CharField(_("撤销原因"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"


from access.twofactor_models import RecoveryCode, TwoFactorDevice  # noqa: E402,F401  (two-factor sign-in)
