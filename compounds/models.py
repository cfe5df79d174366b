"""小区 (residential compounds) as places, their bodies (自管会, 业委会, 物业), 业委会 elections and 红色物业 ratings.

- ``Compound``: a 小区 of a community. Its buildings point to it (``areas.Building.compound``); they may lie in
  several grids of the community, as a real 小区 does.
- ``Body``: one term (届) of a body of the compound: 自管会, 业委会, or the 物业 (a property firm, ``units.Unit`` of
  kind property manager, serving it under a contract from ``starts_on`` to ``ends_on``). A firm with its own party
  branch (``party_org``) is a 红色物业. ``Member``: the people of a body, each with a post and a term.
- ``Election``: a 业委会 election. It runs as a deliberation topic (候选人公示) and an owners' vote of the compound's
  buildings whose options are the candidates (``deliberation.Vote``); closing it counts the vote and, when valid,
  publishes the elected members as a new 业委会 term.
- ``Rating``: a quarter's stars (1–5) for the compound's firm on five criteria, by a resident of the compound (one
  per person and quarter) or by the community (one per compound and quarter; its mean gives the 四色 grade).
- ``CompoundEvent``: one row per change (``linli.steps.StepEvent``).

Rows change only in ``compounds.services`` and ``compounds.elections``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area, code_validator
from linli.steps import StepEvent
from people.models import Person
from units.models import PartyOrg, Unit

# The criteria of a rating: (field, name on the page).
CRITERIA: list[tuple[str, str]] = [
    ("sanitation", "环境卫生"),
    ("repairs", "设施维修"),
    ("security", "安全秩序"),
    ("attitude", "服务态度"),
    ("party", "党建引领"),
]


class Compound(models.Model):
    class Kind(models.TextChoices):
        OLD = "old", _("老旧小区")
        COMMERCIAL = "commercial", _("商品房小区")
        WORK_UNIT = "work_unit", _("单位宿舍（家属院）")
        RESETTLEMENT = "resettlement", _("安置房小区")
        OTHER = "other", _("其他")

    community = models.ForeignKey(
        Area,
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="compounds",
        limit_choices_to={"kind": Area.Kind.COMMUNITY},
    )
    code = models.CharField(_("代码"), max_length=40, unique=True, validators=[code_validator])
    name = models.CharField(_("小区名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        ordering = ["community__path", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="compound_unique_name")]

    def __str__(self) -> str:
        return self.name


class Body(models.Model):
    class Kind(models.TextChoices):
        SELF_MANAGEMENT = "self_management", _("自管会")
        OWNERS_COMMITTEE = "owners_committee", _("业委会")
        PROPERTY = "property", _("物业")

    class Status(models.TextChoices):
        ACTIVE = "active", _("在任")
        ENDED = "ended", _("已卸任")

    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.CASCADE, related_name="bodies"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    term_no = models.PositiveSmallIntegerField(_("届次"))
    firm = models.ForeignKey(
        Unit,
        verbose_name=_("物业服务企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="compound_terms",
        limit_choices_to={"kind": Unit.Kind.PROPERTY_MANAGER},
    )
    party_org = models.ForeignKey(
        PartyOrg,
        verbose_name=_("物业党组织（红色物业）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="compound_terms",
    )
    starts_on = models.DateField(_("任期（合同）开始"))
    ends_on = models.DateField(_("任期（合同）届满"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    ended_at = models.DateTimeField(_("卸任时间"), null=True, blank=True)
    end_reason = models.CharField(_("卸任原因"), max_length=200, blank=True)
    election = models.OneToOneField(
        "compounds.Election",
        verbose_name=_("选举"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="body",
    )
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("小区组织")
        verbose_name_plural = _("小区组织")
        ordering = ["compound", "kind", "-term_no"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "kind", "term_no"], name="compound_body_term"),
            models.UniqueConstraint(
                fields=["compound", "kind"],
                condition=models.Q(status="active"),
                name="compound_body_one_active",
            ),
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="body_term"),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.PROPERTY and self.firm_id:
            return f"{self.compound.name} 物业：{self.firm}"
        return f"{self.compound.name} 第{self.term_no}届{self.get_kind_display()}"

    @property
    def is_red(self) -> bool:
        """红色物业: a firm serving with its own party organisation."""
        return self.kind == self.Kind.PROPERTY and self.party_org_id is not None


class Member(models.Model):
    class Post(models.TextChoices):
        DIRECTOR = "director", _("主任")
        DEPUTY = "deputy", _("副主任")
        MEMBER = "member", _("委员")
        SECRETARY = "secretary", _("秘书")
        MANAGER = "manager", _("项目经理")
        HOUSEKEEPER = "housekeeper", _("物业管家")
        STAFF = "staff", _("工作人员")

    body = models.ForeignKey(Body, verbose_name=_("组织"), on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, verbose_name=_("姓名"), on_delete=models.PROTECT, related_name="compound_posts"
    )
    post = models.CharField(_("职务"), max_length=16, choices=Post.choices)
    starts_on = models.DateField(_("任职开始"))
    ends_on = models.DateField(_("任期届满"))
    left_at = models.DateTimeField(_("离任时间"), null=True, blank=True)
    votes = models.PositiveIntegerField(_("得票（户）"), null=True, blank=True)

    class Meta:
        verbose_name = _("小区组织成员")
        verbose_name_plural = _("小区组织成员")
        ordering = ["body", "left_at", "post", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "person"], condition=models.Q(left_at__isnull=True), name="member_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_post_display()}）"


class Election(models.Model):
    class Status(models.TextChoices):
        NOMINATED = "nominated", _("候选人公示")
        VOTING = "voting", _("投票中")
        ELECTED = "elected", _("已产生")
        FAILED = "failed", _("未产生")
        CANCELLED = "cancelled", _("已取消")

    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.CASCADE, related_name="elections"
    )
    term_no = models.PositiveSmallIntegerField(_("届次"))
    seats = models.PositiveSmallIntegerField(_("应选人数"), validators=[MinValueValidator(1)])
    term_years = models.PositiveSmallIntegerField(_("任期（年）"), default=5)
    topic = models.ForeignKey(
        "deliberation.Topic", verbose_name=_("议题"), on_delete=models.PROTECT, related_name="+"
    )
    vote = models.OneToOneField(
        "deliberation.Vote",
        verbose_name=_("业主表决"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="election",
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.NOMINATED)
    result_note = models.CharField(_("选举结果"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("业委会选举")
        verbose_name_plural = _("业委会选举")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.compound.name}第{self.term_no}届业主委员会选举"


class Candidate(models.Model):
    election = models.ForeignKey(
        Election, verbose_name=_("选举"), on_delete=models.CASCADE, related_name="candidates"
    )
    person = models.ForeignKey(Person, verbose_name=_("候选人"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("序号"))
    option = models.OneToOneField(
        "deliberation.VoteOption", null=True, blank=True, on_delete=models.SET_NULL, related_name="candidate"
    )
    votes = models.PositiveIntegerField(_("得票（户）"), null=True, blank=True)
    elected = models.BooleanField(_("当选"), default=False)

    class Meta:
        verbose_name = _("候选人")
        verbose_name_plural = _("候选人")
        ordering = ["election", "order"]
        constraints = [
            models.UniqueConstraint(fields=["election", "person"], name="candidate_once"),
            models.UniqueConstraint(fields=["election", "order"], name="candidate_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}号 {self.person.name}"

    @property
    def label(self) -> str:
        """The candidate's option on the ballot (numbered: two candidates may share a name)."""
        return f"{self.order}号 {self.person.name}"[:60]


def _stars(name: Any) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(name, validators=[MinValueValidator(1), MaxValueValidator(5)])


class Rating(models.Model):
    class Rater(models.TextChoices):
        RESIDENT = "resident", _("居民评价")
        COMMUNITY = "community", _("社区测评")

    compound = models.ForeignKey(
        Compound, verbose_name=_("小区"), on_delete=models.CASCADE, related_name="ratings"
    )
    firm = models.ForeignKey(
        Unit, verbose_name=_("物业服务企业"), on_delete=models.PROTECT, related_name="compound_ratings"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(
        _("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    rater = models.CharField(_("评价方"), max_length=16, choices=Rater.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("评价人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sanitation = _stars(_("环境卫生"))
    repairs = _stars(_("设施维修"))
    security = _stars(_("安全秩序"))
    attitude = _stars(_("服务态度"))
    party = _stars(_("党建引领"))
    comment = models.CharField(_("意见建议"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"))
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("物业评价")
        verbose_name_plural = _("物业评价")
        ordering = ["-year", "-quarter", "compound", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["compound", "firm", "year", "quarter", "person"],
                condition=models.Q(rater="resident"),
                name="rating_resident_once",
            ),
            models.UniqueConstraint(
                fields=["compound", "firm", "year", "quarter"],
                condition=models.Q(rater="community"),
                name="rating_community_once",
            ),
        ]
        indexes = [models.Index(fields=["firm", "year", "quarter"], name="rating_firm_quarter")]

    def __str__(self) -> str:
        return f"{self.compound.name} {self.year}年第{self.quarter}季度 {self.get_rater_display()}"

    @property
    def total(self) -> int:
        return sum(getattr(self, f) for f, _ in CRITERIA)


class CompoundEvent(StepEvent):
    """One row per change of a compound, its bodies, members, elections and ratings."""

    compound = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="events")
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    election = models.ForeignKey(
        Election, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(StepEvent.Meta):
        verbose_name = _("小区记录")
        verbose_name_plural = _("小区记录")


# How each CompoundEvent.action reads on the compound page.
EVENT_LABELS = {
    "create": "登记",
    "update": "修改小区",
    "buildings": "调整楼栋",
    "appoint": "选聘物业",
    "end": "卸任",
    "add_member": "增补成员",
    "remove_member": "成员离任",
    "elected": "选举产生",
    "open": "开始投票",
    "close": "计票公布",
    "cancel": "取消选举",
    "rate": "居民评价",
    "assess": "社区测评",
}
