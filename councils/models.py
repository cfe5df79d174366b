"""联席会议与党建联盟: standing bodies of a subdistrict or a community and the units and people sitting on them.

A council meets on its own (``Meeting``: planned → held). It keeps an issue list (``Issue``); a held meeting
works through issues and takes decisions (``Decision``), each with an owner and a deadline, becoming a project,
an appeal or a plain task. The next meeting follows each open decision up (``FollowUp``) until it is done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from areas.models import Area
from linli.steps import StepEvent
from people.models import Person
from units.models import Unit


class Council(models.Model):
    class Kind(models.TextChoices):
        JOINT_MEETING = "joint_meeting", _("联席会议")
        ALLIANCE = "alliance", _("党建联盟")
        BIG_COMMITTEE = "big_committee", _("大党委")

    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    area = models.ForeignKey(
        Area, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="councils"
    )
    convenor = models.ForeignKey(
        Person,
        verbose_name=_("召集人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="councils_convened",
    )
    charter = models.TextField(_("议事规则"), blank=True, max_length=4000)
    created_at = models.DateTimeField(_("成立时间"))

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["area__path", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="council_name_unique")]

    def __str__(self) -> str:
        return self.name


class Seat(models.Model):
    """A member of the council: a unit (represented by whoever it sends) or a person."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="seats")
    unit = models.ForeignKey(
        Unit, verbose_name=_("成员单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("成员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    post = models.CharField(_("职务"), max_length=40, blank=True)
    joined_on = models.DateField(_("加入日期"))

    class Meta:
        verbose_name = _("成员")
        verbose_name_plural = _("成员")
        ordering = ["council", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False) | models.Q(person__isnull=False),
                name="seat_has_holder",
            )
        ]

    def __str__(self) -> str:
        return self.unit.name if self.unit else self.person.name if self.person else ""


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("已安排")
        HELD = "held", _("已召开")
        CANCELLED = "cancelled", _("已取消")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("会议"), max_length=120)
    scheduled_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    held_at = models.DateTimeField(_("召开时间"), null=True, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True, max_length=8000)
    attendees = models.ManyToManyField(Seat, verbose_name=_("出席"), related_name="meetings", blank=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["council", "-scheduled_at"]

    def __str__(self) -> str:
        return self.title


class MeetingEvent(StepEvent):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")


class Issue(models.Model):
    """An item on the council's list: raised by a member, worked through at a meeting."""

    class Status(models.TextChoices):
        OPEN = "open", _("待议")
        DECIDED = "decided", _("已决议")
        DROPPED = "dropped", _("不予议定")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="issues")
    title = models.CharField(_("议题"), max_length=120)
    description = models.TextField(_("说明"), blank=True, max_length=4000)
    # The community the issue concerns (a project or an appeal decided on it is that community's).
    community = models.ForeignKey(
        Area,
        verbose_name=_("涉及社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Area.Kind.COMMUNITY},
    )
    raised_by = models.ForeignKey(
        Seat, verbose_name=_("提出成员"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(_("提出时间"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("议定会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issues",
    )

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["council", "status", "raised_at"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    """决议: what a meeting decided on an issue, who owns it and by when, and what it became."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("立项")
        APPEAL = "appeal", _("转为诉求")
        TASK = "task", _("任务")

    class Status(models.TextChoices):
        OPEN = "open", _("落实中")
        DONE = "done", _("已落实")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("落实方式"), max_length=8, choices=Kind.choices)
    text = models.CharField(_("决议内容"), max_length=300)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_person = models.ForeignKey(
        Person, verbose_name=_("责任人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(_("落实时间"), null=True, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("诉求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("决议")
        verbose_name_plural = _("决议")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def on_time(self) -> bool:
        return self.done_at is not None and self.done_at.date() <= self.due


class DecisionEvent(StepEvent):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="events")


class FollowUp(models.Model):
    """A later meeting hears how an open decision stands (跟踪问效)."""

    class Verdict(models.TextChoices):
        ON_TRACK = "on_track", _("按计划推进")
        BEHIND = "behind", _("进度滞后")
        DONE = "done", _("已落实")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="follow_ups")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    verdict = models.CharField(_("进展"), max_length=8, choices=Verdict.choices)
    note = models.CharField(_("情况"), max_length=300)

    class Meta:
        verbose_name = _("跟踪")
        verbose_name_plural = _("跟踪")
        ordering = ["meeting__scheduled_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "meeting"], name="followup_once_per_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()}：{self.note}"


class Liaison(models.Model):
    """两代表一委员 分片联系: a deputy to the people's congress or a CPPCC member assigned to a community, with
    the day each month they meet residents there; they sit on the community's 评单 review panel."""

    class Kind(models.TextChoices):
        DEPUTY = "deputy", _("人大代表")
        CPPCC_MEMBER = "cppcc_member", _("政协委员")

    person = models.ForeignKey(
        Person, verbose_name=_("姓名"), on_delete=models.PROTECT, related_name="liaisons"
    )
    kind = models.CharField(_("身份"), max_length=16, choices=Kind.choices)
    community = models.ForeignKey(
        Area,
        verbose_name=_("联系社区"),
        on_delete=models.PROTECT,
        related_name="liaisons",
        limit_choices_to={"kind": Area.Kind.COMMUNITY},
    )
    contact_day = models.CharField(_("接待日"), max_length=60)
    since = models.DateField(_("联系起始"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("两代表一委员")
        verbose_name_plural = _("两代表一委员")
        ordering = ["community__path", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person.name} · {self.community.name}"
