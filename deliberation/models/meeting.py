"""Meetings (议事会) of the forms the seeds name, with participants by the 1+6+X rule and their attendance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deliberation.models.topic import Topic, TopicStep
from people.models import Person
from units.models import Unit


class Party(models.TextChoices):
    """1 convenor + 6 fixed parties + X affected parties (上街区 "1+6+X 议事模式")."""

    CONVENOR = "convenor", _("牵头人（党组织书记）")
    TWO_COMMITTEES = "two_committees", _("社区两委")
    SUPERVISORY = "supervisory", _("监委会")
    PROPERTY = "property", _("物业")
    LEGAL = "legal", _("法律顾问")
    CO_BUILDING = "co_building", _("共建单位")
    RESIDENT_REP = "resident_rep", _("居民代表")
    AFFECTED = "affected", _("利益相关方（X）")


SIX_FIXED = (
    Party.TWO_COMMITTEES,
    Party.SUPERVISORY,
    Party.PROPERTY,
    Party.LEGAL,
    Party.CO_BUILDING,
    Party.RESIDENT_REP,
)


class Meeting(models.Model):
    class Form(models.TextChoices):
        BENCH_TALK = "bench_talk", _("小板凳恳谈会")
        RESIDENTS_COUNCIL = "residents_council", _("居民议事会")
        HAOSHANGLIANG = "haoshangliang", _("有事好商量协商议事会")
        NPC_STATION = "npc_station", _("人大代表联络站")
        TWO_COMMITTEES = "two_committees", _("两委会议")

    # Forms held by the 1+6+X rule; a 两委会议 (五议's 两委商议) only needs the convenor and the 两委.
    FULL_FORMS = (Form.BENCH_TALK, Form.RESIDENTS_COUNCIL, Form.HAOSHANGLIANG, Form.NPC_STATION)

    class Status(models.TextChoices):
        PLANNED = "planned", _("待召开")
        HELD = "held", _("已召开")
        CANCELLED = "cancelled", _("已取消")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="meetings")
    step = models.ForeignKey(
        TopicStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    form = models.CharField(_("形式"), max_length=20, choices=Form.choices)
    title = models.CharField(_("会议名称"), max_length=120)
    place = models.CharField(_("地点"), max_length=200)
    starts_at = models.DateTimeField(_("时间"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    minutes = models.TextField(_("会议纪要"), max_length=10000, blank=True)
    minutes_at = models.DateTimeField(_("纪要时间"), null=True, blank=True)
    attendance_at = models.DateTimeField(_("签到记录时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("议事会议")
        verbose_name_plural = _("议事会议")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    party = models.CharField(_("参会方"), max_length=20, choices=Party.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT)
    name = models.CharField(_("姓名"), max_length=60)
    invited_at = models.DateTimeField(_("邀请时间"))
    attended = models.BooleanField(_("到会"), null=True, blank=True)

    class Meta:
        verbose_name = _("参会人")
        verbose_name_plural = _("参会人")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=models.Q(person__isnull=False),
                name="participant_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_party_display()} · {self.name}"
