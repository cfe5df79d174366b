"""活动: one model for every kind of community activity, its attendance (sign-up, check-in, hours) and photos."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from linli.steps import StepEvent
from people.models import Person
from units.models import Unit


class Activity(models.Model):
    class Kind(models.TextChoices):
        MORAL_LECTURE = "moral", _("道德讲堂")
        PARTY_LESSON = "party_lesson", _("微党课")
        LAW = "law", _("三官一律进社区 / 法治讲堂")
        FESTIVAL = "festival", _("我们的节日")
        VOLUNTEER = "volunteer", _("志愿服务")
        HEALTH = "health", _("健康讲座")
        LEGAL_TALK = "legal_talk", _("法律讲座")
        OTHER = "other", _("其他活动")

    class Status(models.TextChoices):
        PLANNED = "planned", _("筹备中")
        PUBLISHED = "published", _("报名中")
        HELD = "held", _("已举办")
        CANCELLED = "cancelled", _("已取消")

    community = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="activities"
    )
    area = models.ForeignKey(  # published to the residents of this area (the community or one of its grids)
        Area, verbose_name=_("面向"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=120)
    starts_at = models.DateTimeField(_("开始"), db_index=True)
    ends_at = models.DateTimeField(_("结束"))
    site = models.ForeignKey(
        "sites.ServiceSite",
        verbose_name=_("阵地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    place = models.CharField(_("地点"), max_length=120, blank=True)
    organiser = models.CharField(_("组织者 / 主讲"), max_length=60, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("共建单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    team = models.ForeignKey(
        "needs.VolunteerTeam",
        verbose_name=_("志愿队"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    cap = models.PositiveIntegerField(_("名额"), null=True, blank=True, validators=[MinValueValidator(1)])
    description = models.TextField(_("简介"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    report = models.TextField(_("活动小结"), blank=True)
    checkin_key = models.CharField(max_length=32, editable=False)  # signs the day's check-in link (QR code)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["community", "starts_at"], name="activity_community_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="activity_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Attendance(models.Model):
    """A person's place at an activity: signed up (or walked in), checked in, and the minutes credited."""

    class Via(models.TextChoices):
        SIGNUP = "signup", _("报名")
        WALK_IN = "walk_in", _("现场")
        RECORD = "record", _("补录")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        Person, verbose_name=_("居民"), on_delete=models.PROTECT, related_name="attendances"
    )
    via = models.CharField(_("方式"), max_length=8, choices=Via.choices, default=Via.SIGNUP)
    signed_up_at = models.DateTimeField(_("报名时间"))
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes = models.PositiveIntegerField(  # credited when the activity is closed (or recorded)
        _("计入时长（分钟）"), default=0, validators=[MaxValueValidator(24 * 60)]
    )

    class Meta:
        verbose_name = _("参加记录")
        verbose_name_plural = _("参加记录")
        ordering = ["signed_up_at", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.activity} · {self.person}"


def photo_path(instance: ActivityPhoto, filename: str) -> str:
    """Stored under the random name ``appeals.photos`` gave it; served only by ``activities.views.photo``."""
    return f"activities/{instance.activity_id}/{filename}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=photo_path)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.image.name or ""


class ActivityEvent(StepEvent):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="events")

    class Meta(StepEvent.Meta):
        verbose_name = _("活动记录")
        verbose_name_plural = _("活动记录")
