"""党群服务阵地: sites, their rooms and opening hours, bookings (a loop) and the 代办/预约 service ledger."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from linli.steps import StepEvent
from people.models import Person


class ServiceSite(models.Model):
    class Kind(models.TextChoices):
        CENTER = "center", _("党群服务中心")
        STATION = "station", _("党群服务站")
        PRACTICE = "practice", _("新时代文明实践站")
        TALK_POINT = "talk_point", _("居民说事点")
        MEDIATION = "mediation", _("调处室")

    community = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="service_sites"
    )
    grid = models.ForeignKey(
        Area, verbose_name=_("网格"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(_("服务电话"), max_length=30, blank=True)
    services = models.JSONField(_("服务项目"), default=list, blank=True)  # ["社保代办", "老年证办理", …]
    on_duty = models.ManyToManyField(
        Person, verbose_name=_("值班人员"), blank=True, related_name="duty_sites"
    )
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("服务阵地")
        verbose_name_plural = _("服务阵地")
        ordering = ["community_id", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="site_name_unique")]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """One opening period of a site on a weekday (0 = Monday); ``extended`` marks 延时 evenings and weekends."""

    site = models.ForeignKey(ServiceSite, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("星期"), validators=[MaxValueValidator(6)])
    opens = models.TimeField(_("开始"))
    closes = models.TimeField(_("结束"))
    extended = models.BooleanField(_("延时服务"), default=False)

    class Meta:
        verbose_name = _("开放时间")
        verbose_name_plural = _("开放时间")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes__gt=models.F("opens")), name="hours_order")
        ]

    WEEKDAYS = "一二三四五六日"

    def __str__(self) -> str:
        return f"{self.weekday_label} {self.opens:%H:%M}–{self.closes:%H:%M}"

    @property
    def weekday_label(self) -> str:
        return f"周{self.WEEKDAYS[self.weekday]}"


class Room(models.Model):
    site = models.ForeignKey(ServiceSite, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("名称"), max_length=60)
    capacity = models.PositiveIntegerField(_("容纳人数"), validators=[MinValueValidator(1)])
    active = models.BooleanField(_("可预约"), default=True)

    class Meta:
        verbose_name = _("活动室")
        verbose_name_plural = _("活动室")
        ordering = ["site_id", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="room_name_unique")]

    def __str__(self) -> str:
        return f"{self.site.name} · {self.name}"


class Booking(models.Model):
    """A resident's booking of a room, or an appointment (预约) for a service at a site."""

    class Kind(models.TextChoices):
        ROOM = "room", _("场地预约")
        APPOINTMENT = "appointment", _("服务预约")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("未同意")
        ATTENDED = "attended", _("已到场")
        NO_SHOW = "no_show", _("未到场")
        CANCELLED = "cancelled", _("已取消")

    HOLDING = (Status.REQUESTED, Status.CONFIRMED)  # a room is taken by these

    site = models.ForeignKey(
        ServiceSite, verbose_name=_("阵地"), on_delete=models.PROTECT, related_name="bookings"
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("活动室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    service = models.CharField(_("服务项目"), max_length=60, blank=True)
    person = models.ForeignKey(
        Person, verbose_name=_("预约人"), null=True, on_delete=models.PROTECT, related_name="site_bookings"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    purpose = models.CharField(_("用途"), max_length=200)
    attendees = models.PositiveIntegerField(_("人数"), default=1, validators=[MinValueValidator(1)])
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["room", "starts_at"], name="booking_room_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.site.name} {self.starts_at:%m-%d %H:%M} {self.purpose}"


class BookingEvent(StepEvent):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")

    class Meta(StepEvent.Meta):
        verbose_name = _("预约记录")
        verbose_name_plural = _("预约记录")


class ServiceRecord(models.Model):
    """One 代办 (done on a resident's behalf) or 预约 service at a site: the ledger the community reports from."""

    class Kind(models.TextChoices):
        ERRAND = "errand", _("代办")
        APPOINTMENT = "appointment", _("预约服务")
        WALK_IN = "walk_in", _("窗口服务")

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        DONE = "done", _("已办结")
        CANCELLED = "cancelled", _("已撤销")

    site = models.ForeignKey(
        ServiceSite, verbose_name=_("阵地"), on_delete=models.PROTECT, related_name="records"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    service = models.CharField(_("服务项目"), max_length=60)
    person = models.ForeignKey(
        Person, verbose_name=_("服务对象"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="service_record"
    )
    served_at = models.DateTimeField(_("受理时间"), db_index=True)
    extended = models.BooleanField(
        _("延时服务"), default=False
    )  # in a 延时 period or outside the regular hours
    minutes = models.PositiveIntegerField(
        _("用时（分钟）"), default=0, validators=[MaxValueValidator(24 * 60)]
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("代办预约台账")
        verbose_name_plural = _("代办预约台账")
        ordering = ["-served_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.service}"


class ServiceRecordEvent(StepEvent):
    record = models.ForeignKey(ServiceRecord, on_delete=models.CASCADE, related_name="events")

    class Meta(StepEvent.Meta):
        verbose_name = _("台账记录")
        verbose_name_plural = _("台账记录")
