"""Appeals (诉求) and their timeline. Statuses change only in ``appeals.services`` (see ``workflow.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area, Building
from categories.models import Category
from people.models import Person
from units.models import Unit


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待派单")
    DISPATCHED = "dispatched", _("已派单")
    ACCEPTED = "accepted", _("办理中")
    RETURNED = "returned", _("已退回")
    COMPLETED = "completed", _("待评价")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")
    MERGED = "merged", _("已合并")


OPEN_STATUSES = (Status.SUBMITTED, Status.DISPATCHED, Status.ACCEPTED, Status.RETURNED)


class Channel(models.TextChoices):
    APP = "app", _("居民手机")
    VISIT = "visit", _("网格员走访")
    HOTLINE = "hotline", _("热线电话")
    COUNTER = "counter", _("社区窗口")
    API = "api", _("接口")
    NEED = "need", _("需求清单")
    OPEN311 = "open311", _("Open311 接口")


class TriageKind(models.TextChoices):
    ANSWER = "answer", _("回复解释")
    TRANSFER = "transfer", _("转交办理")
    SELF_HANDLE = "self_handle", _("受理自办")


class Kind(models.TextChoices):
    APPEAL = "appeal", _("诉求")
    SERVICE_ORDER = "service_order", _("服务单")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Level(models.IntegerChoices):
    COMMUNITY = 0, _("社区")
    SUBDISTRICT = 1, _("街道")
    DISTRICT = 2, _("区")


class Appeal(models.Model):
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("内容"), max_length=5000)
    category = models.ForeignKey(
        Category,
        verbose_name=_("类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    community = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="community_appeals"
    )
    grid = models.ForeignKey(
        Area,
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grid_appeals",
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("楼栋"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    # 街长制: the street the appeal is about (one of its community's streets); its 街长 follows it.
    street = models.ForeignKey(
        "streets.Street",
        verbose_name=_("街路"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    # The most precise area's path (grid or community), for one indexed prefix filter per scope node.
    area_path = models.CharField(max_length=255, db_index=True, editable=False)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    raised_by = models.ForeignKey(
        Person, verbose_name=_("诉求人"), on_delete=models.PROTECT, related_name="appeals_raised"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals_recorded",
    )
    is_anonymous = models.BooleanField(_("对外匿名"), default=False)
    followers = models.ManyToManyField(Person, related_name="appeals_followed", blank=True)

    # A service order (服务单) is an appeal matched from a need to an offer: same loop, same events.
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.APPEAL)
    need = models.ForeignKey(
        "needs.Need",
        verbose_name=_("需求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    offer = models.ForeignKey(
        "needs.Offer",
        verbose_name=_("供给"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    # A party member on duty handles service orders in person; units handle through their staff.
    provider = models.ForeignKey(
        Person,
        verbose_name=_("服务党员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_orders",
    )
    service_minutes = models.PositiveIntegerField(_("服务时长（分钟）"), default=0)

    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    triage_kind = models.CharField(_("分类处置"), max_length=16, choices=TriageKind.choices, blank=True)
    level = models.PositiveSmallIntegerField(_("处理层级"), choices=Level.choices, default=Level.COMMUNITY)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("承办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并到"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )

    submitted_at = models.DateTimeField(_("提交时间"), db_index=True)
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    first_dispatched_at = models.DateTimeField(_("首次派单时间"), null=True, blank=True)
    contact_due = models.DateTimeField(_("联系时限"), null=True, blank=True)
    resolve_due = models.DateTimeField(_("办结时限"), null=True, blank=True, db_index=True)
    contacted_at = models.DateTimeField(_("首次联系时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    answer = models.TextField(_("答复"), blank=True)
    report = models.TextField(_("办理结果"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    return_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    contact_overdue = models.BooleanField(_("联系超时"), default=False)
    resolve_overdue = models.BooleanField(_("办结超时"), default=False)
    supervised_at = models.DateTimeField(_("督办时间"), null=True, blank=True)

    resolved = models.BooleanField(_("问题已解决"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=24, choices=Satisfaction.choices, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    rated_by_staff = models.BooleanField(_("回访代评"), default=False)

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # The worker queue (open appeals by deadline) and the supervision job. area_path and raised_by
            # let the queue's count be answered from the index alone (see bench/appeals_bench.py).
            models.Index(
                fields=["status", "resolve_due", "id", "area_path", "raised_by"],
                name="appeal_status_due_scope",
            ),
            models.Index(fields=["unit", "status"], name="appeal_unit_status"),
            models.Index(fields=["area_path", "status"], name="appeal_path_status"),
            models.Index(fields=["raised_by", "submitted_at"], name="appeal_raiser"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_overdue(self) -> bool:
        return self.contact_overdue or self.resolve_overdue

    @property
    def public_name(self) -> str:
        if self.is_anonymous:
            return "匿名居民"
        name = self.raised_by.name
        return name[0] + "*" * max(1, len(name) - 1)


class WhistlePart(models.Model):
    """吹哨报到: one summoned unit's part of an appeal."""

    class PartStatus(models.TextChoices):
        SUMMONED = "summoned", _("待报到")
        REPORTED = "reported", _("已报到")
        DONE = "done", _("已完成")
        RELEASED = "released", _("已解除")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="whistle_parts")
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="whistle_parts"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=PartStatus.choices, default=PartStatus.SUMMONED
    )
    task = models.CharField(_("任务"), max_length=300, blank=True)
    report_due = models.DateTimeField(_("报到时限"))
    reported_at = models.DateTimeField(_("报到时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    report = models.TextField(_("办理情况"), blank=True)
    overdue = models.BooleanField(_("报到超时"), default=False)

    class Meta:
        verbose_name = _("吹哨报到")
        verbose_name_plural = _("吹哨报到")
        constraints = [models.UniqueConstraint(fields=["appeal", "unit"], name="whistle_part_unique")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.PartStatus.DONE, self.PartStatus.RELEASED)


class AppealEvent(models.Model):
    """The timeline: one row per step. Written only by ``appeals.services``."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("操作"), max_length=24)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("诉求记录")
        verbose_name_plural = _("诉求记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["appeal", "at"], name="appeal_event_time")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


def photo_path(instance: AppealPhoto, filename: str) -> str:
    """Stored under the random name ``appeals.photos`` gave it; served only by ``appeals.photo_views``."""
    return f"appeals/{instance.appeal_id}/{instance.stage}/{filename}"


class AppealPhoto(models.Model):
    class Stage(models.TextChoices):
        INTAKE = "intake", _("诉求照片")
        COMPLETION = "completion", _("办结照片")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    image = models.FileField(upload_to=photo_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")

    def __str__(self) -> str:
        return self.image.name or ""
