"""Topics (议题), their steps and timeline, decisions, implementation tasks, feedback and evaluations.

Statuses and steps change only in ``deliberation.services`` (and ``meetings`` / ``voting``), each writing a
``TopicEvent``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from appeals.models import Appeal
from areas.models import Area, Building
from deliberation.models.process import ProcessTemplate, StepDefinition
from people.models import Person
from units.models import Unit


class Topic(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待受理")
        ACTIVE = "active", _("进行中")
        DONE = "done", _("已完成")
        CLOSED = "closed", _("已终止")
        DECLINED = "declined", _("不予受理")

    class Source(models.TextChoices):
        RESIDENT = "resident", _("居民提议")
        APPEAL = "appeal", _("诉求转议题")
        PARTY = "party", _("党组织提议")

    community = models.ForeignKey(
        Area, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="topics"
    )
    building = models.ForeignKey(
        Building,
        verbose_name=_("涉及楼栋"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="topics",
    )
    title = models.CharField(_("议题"), max_length=120)
    body = models.TextField(_("议题说明"), max_length=5000)
    affected_parties = models.CharField(_("涉及的利益相关方（X）"), max_length=300, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    appeal = models.ForeignKey(
        Appeal,
        verbose_name=_("来源诉求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="topics",
    )
    proposed_by = models.ForeignKey(
        Person,
        verbose_name=_("提议人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topics",
    )
    template = models.ForeignKey(
        ProcessTemplate, verbose_name=_("议事流程"), null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    current_step = models.ForeignKey(
        StepDefinition, verbose_name=_("当前步骤"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("提出时间"))
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_reason = models.CharField(_("终止原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="topic_community_status")]

    def __str__(self) -> str:
        return self.title


class TopicStep(models.Model):
    """One step of one topic: when it started and when it was completed (never skipped)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="steps")
    definition = models.ForeignKey(StepDefinition, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("开始"))
    completed_at = models.DateTimeField(_("完成"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(_("说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("议题步骤")
        verbose_name_plural = _("议题步骤")
        ordering = ["topic", "definition__order"]
        constraints = [models.UniqueConstraint(fields=["topic", "definition"], name="topic_step_unique")]

    def __str__(self) -> str:
        return f"{self.topic} · {self.definition.name}"


class TopicEvent(models.Model):
    """The timeline: one row per change. Written only by the deliberation services."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(_("操作"), max_length=24)
    step = models.CharField(_("步骤"), max_length=40, blank=True)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("议题记录")
        verbose_name_plural = _("议题记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["topic", "at"], name="topic_event_time")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class Decision(models.Model):
    """决议: adopted at a meeting, or the outcome of a vote."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="decisions")
    step = models.ForeignKey(TopicStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    meeting = models.ForeignKey(
        "deliberation.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    vote = models.ForeignKey(
        "deliberation.Vote", null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    text = models.TextField(_("决议内容"), max_length=3000)
    adopted = models.BooleanField(_("通过"), default=True)
    decided_at = models.DateTimeField(_("决议时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("决议")
        verbose_name_plural = _("决议")
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class ImplementationTask(models.Model):
    """组织实施: a decided action as a task with an owner, or as an appeal dispatched through the appeal loop.

    Projects (the 项目库 / project ledger) will be a third kind once that ledger exists: add ``PROJECT`` to
    ``Kind``, a nullable ``project`` key, and its "finished" rule in ``is_finished``.
    """

    class Kind(models.TextChoices):
        TASK = "task", _("任务")
        APPEAL = "appeal", _("诉求派单")

    class Status(models.TextChoices):
        OPEN = "open", _("实施中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("方式"), max_length=16, choices=Kind.choices, default=Kind.TASK)
    title = models.CharField(_("任务"), max_length=200)
    owner = models.ForeignKey(
        Person, verbose_name=_("负责人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("负责单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal = models.ForeignKey(
        Appeal, verbose_name=_("诉求"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due = models.DateField(_("完成期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.OPEN)
    report = models.TextField(_("完成情况"), max_length=3000, blank=True)
    created_at = models.DateTimeField(_("安排时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("实施任务")
        verbose_name_plural = _("实施任务")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        if self.kind == self.Kind.APPEAL and self.appeal is not None:
            from appeals.models import OPEN_STATUSES

            return self.appeal.status not in OPEN_STATUSES
        return self.status != self.Status.OPEN


class Feedback(models.Model):
    """反馈情况: the community reports back to the residents."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="feedback")
    body = models.TextField(_("反馈内容"), max_length=5000)
    reported_at = models.DateTimeField(_("反馈时间"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("情况反馈")
        verbose_name_plural = _("情况反馈")
        ordering = ["reported_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Evaluation(models.Model):
    """群众评议: one evaluation per resident of the reported-back result."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="evaluations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    rating = models.CharField(_("评价"), max_length=24, choices=Satisfaction.choices)
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("群众评议")
        verbose_name_plural = _("群众评议")
        constraints = [models.UniqueConstraint(fields=["topic", "person"], name="evaluation_one_per_person")]

    def __str__(self) -> str:
        return f"{self.topic} · {self.get_rating_display()}"
