"""矛盾纠纷调解: a dispute case, its parties, its 4+A team, its mediation sessions, its agreements with their
terms, the follow-up visits on each term (跟踪化解), and its event rows.

Only ``disputes.services`` writes a case's status (one function per step of ``disputes.workflow``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Building, Household
from linli.steps import StepEvent
from people.fields import EncryptedCharField
from people.models import Person


class DisputeKind(models.Model):
    """The configurable list of kinds (邻里、婚姻家庭、物业、劳资、土地房屋、其他 …), each with its time limit."""

    code = models.SlugField(_("代码"), max_length=24, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    working_days = models.PositiveSmallIntegerField(
        _("调解时限（工作日）"), default=15, help_text=_("从受理起算，节假日不计")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("纠纷类型")
        verbose_name_plural = _("纠纷类型")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    REGISTERED = "registered", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    MEDIATING = "mediating", _("调解中")
    AGREED = "agreed", _("协议待签")
    FOLLOWING = "following", _("履行跟踪")
    CLOSED = "closed", _("已结案")
    REFERRED = "referred", _("已移交")
    WITHDRAWN = "withdrawn", _("已撤销")


OPEN_STATUSES = (Status.REGISTERED, Status.ACCEPTED, Status.MEDIATING, Status.AGREED, Status.FOLLOWING)
# The mediation's time limit runs from acceptance to a signed agreement (or a referral).
TIMED_STATUSES = (Status.ACCEPTED, Status.MEDIATING, Status.AGREED)
CONCLUDED_STATUSES = (Status.CLOSED, Status.REFERRED)


class Source(models.TextChoices):
    RESIDENT = "resident", _("居民申请")
    VISIT = "visit", _("网格员走访")
    HOTLINE = "hotline", _("热线")
    APPEAL = "appeal", _("诉求转入")
    REFERRAL = "referral", _("上级交办")


class Risk(models.TextChoices):
    LOW = "low", _("一般")
    MEDIUM = "medium", _("较大")
    HIGH = "high", _("重大")


class Level(models.IntegerChoices):
    """Where the case is mediated: 小事不出楼院（网格）、大事不出社区、难事不出街道."""

    GRID = 0, _("网格（楼院）")
    COMMUNITY = 1, _("社区调委会")
    SUBDISTRICT = 2, _("街道调处室")


class Referral(models.TextChoices):
    JUDICIAL_OFFICE = "judicial_office", _("司法所")
    LAWSUIT = "lawsuit", _("诉讼")
    ARBITRATION = "arbitration", _("仲裁")
    DEPARTMENT = "department", _("职能部门")


class Satisfaction(models.TextChoices):  # as residents rate appeals
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Case(models.Model):
    kind = models.ForeignKey(DisputeKind, verbose_name=_("纠纷类型"), on_delete=models.PROTECT)
    title = models.CharField(_("纠纷简题"), max_length=120)
    summary = models.TextField(_("纠纷概况"))
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    appeal = models.OneToOneField(
        "appeals.Appeal",
        verbose_name=_("转入的诉求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispute_case",
    )
    referred_by = models.CharField(_("交办单位"), max_length=100, blank=True)

    community = models.ForeignKey(Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    grid = models.ForeignKey(
        Area, verbose_name=_("网格"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    building = models.ForeignKey(
        Building, verbose_name=_("楼栋"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("地点（小区、楼院）"), max_length=120, blank=True)
    area_path = models.CharField(max_length=255, db_index=True, editable=False)

    risk = models.CharField(_("风险等级"), max_length=8, choices=Risk.choices, default=Risk.LOW)
    may_escalate = models.BooleanField(_("可能激化"), default=False)
    level = models.PositiveSmallIntegerField(_("调处层级"), choices=Level.choices, default=Level.GRID)

    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    registered_at = models.DateTimeField(_("登记时间"), db_index=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        Person,
        verbose_name=_("包案人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_dispute_cases",
    )
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("调解时限"), null=True, blank=True, db_index=True)
    overdue = models.BooleanField(_("超时"), default=False)
    agreed_at = models.DateTimeField(_("协议签订时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True, db_index=True)
    referral = models.CharField(_("移交去向"), max_length=16, choices=Referral.choices, blank=True)
    referral_note = models.TextField(_("移交说明"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重新调解次数"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("纠纷案件")
        verbose_name_plural = _("纠纷案件")
        ordering = ["-registered_at", "-id"]
        indexes = [
            models.Index(fields=["area_path", "status"], name="dispute_path_status"),
            models.Index(fields=["status", "due_at"], name="dispute_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        """The case's file number as the committee writes it: 调字第 N 号 of its year."""
        return f"（{self.registered_at:%Y}）调字第{self.pk}号"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Party(models.Model):
    class Side(models.TextChoices):
        APPLICANT = "applicant", _("申请方")
        RESPONDENT = "respondent", _("被申请方")
        OTHER = "other", _("其他当事人")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("身份"), max_length=12, choices=Side.choices, default=Side.APPLICANT)
    person = models.ForeignKey(
        Person,
        verbose_name=_("登记居民"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispute_parties",
    )
    name = models.CharField(_("姓名或名称"), max_length=80)
    phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True)  # encrypted at rest (people.crypto)
    household = models.ForeignKey(
        Household, verbose_name=_("住户"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("住址"), max_length=160, blank=True)
    statement = models.TextField(_("陈述与诉求"), blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=24, choices=Satisfaction.choices, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    rated_by_staff = models.BooleanField(_("回访代评"), default=False)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """One person of the case's team (4+A: grid worker, mediator, legal adviser, police, and others)."""

    class Duty(models.TextChoices):
        GRID_WORKER = "grid_worker", _("网格员")
        MEDIATOR = "mediator", _("人民调解员")
        LEGAL_ADVISER = "legal_adviser", _("法律顾问")
        POLICE = "police", _("社区民警")
        COMMUNITY = "community", _("社区干部")
        OTHER = "other", _("其他（志愿者、楼长、乡贤等）")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dispute_memberships")
    duty = models.CharField(_("职责"), max_length=16, choices=Duty.choices)

    class Meta:
        verbose_name = _("调解团队成员")
        verbose_name_plural = _("调解团队成员")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="dispute_member_unique")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_duty_display()}"


class Session(models.Model):
    """One mediation session: when, where, who attended, what was said."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("调解时间"))
    place = models.CharField(_("调解地点"), max_length=120)
    members = models.ManyToManyField(Member, verbose_name=_("到场团队成员"), blank=True, related_name="+")
    parties = models.ManyToManyField(Party, verbose_name=_("到场当事人"), blank=True, related_name="+")
    others = models.CharField(_("其他到场人员"), max_length=200, blank=True)
    notes = models.TextField(_("调解记录"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.held_at:%Y-%m-%d} {self.place}"


class Agreement(models.Model):
    """调解协议. A case has one at a time; a broken agreement stays on record and a new one may follow."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agreements")
    text = models.TextField(_("协议内容"))
    made_at = models.DateTimeField(_("拟定时间"))
    signed_at = models.DateTimeField(_("签字时间"), null=True, blank=True)
    scan = models.FileField(_("签字扫描件"), upload_to="disputes/agreements/", blank=True)
    paper_signed = models.BooleanField(_("纸质签字已确认"), default=False)
    broken_at = models.DateTimeField(_("未履行（重新调解）时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")
        ordering = ["made_at", "id"]

    def __str__(self) -> str:
        return f"调解协议 {self.made_at:%Y-%m-%d}"


class Term(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("待履行")
        KEPT = "kept", _("已履行")
        BROKEN = "broken", _("未履行")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="terms")
    text = models.CharField(_("条款"), max_length=300)
    due_on = models.DateField(_("履行期限"))
    state = models.CharField(_("履行情况"), max_length=8, choices=State.choices, default=State.PENDING)
    kept_on = models.DateField(_("履行日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("协议条款")
        verbose_name_plural = _("协议条款")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def kept_on_time(self) -> bool:
        return self.state == self.State.KEPT and self.kept_on is not None and self.kept_on <= self.due_on


class FollowUp(models.Model):
    """跟踪化解: a visit checking one term of the agreement."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="follow_ups")
    at = models.DateTimeField(_("回访时间"))
    result = models.CharField(_("结果"), max_length=8, choices=Term.State.choices)
    note = models.TextField(_("情况"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("跟踪回访")
        verbose_name_plural = _("跟踪回访")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.get_result_display()}"


class CaseEvent(StepEvent):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")

    class Meta(StepEvent.Meta):
        verbose_name = _("案件记录")
        verbose_name_plural = _("案件记录")
