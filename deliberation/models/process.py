"""Process templates are data: a template is an ordered list of steps, each naming what it requires before the
next step may start. ``deliberation.processes.ensure_templates()`` seeds the 146 six steps and the 五议 variant."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Requirement(models.TextChoices):
    """What a step may require before the topic moves on; each is checked in ``deliberation.requirements``."""

    TOPIC_NOTICE = "topic_notice", _("议题公示期满")
    MEETING_MINUTES = "meeting_minutes", _("本步骤的会议纪要")
    DECISION = "decision", _("通过的决议")
    TASKS_DONE = "tasks_done", _("实施任务全部完成")
    RESULT_NOTICE = "result_notice", _("结果公示")
    FEEDBACK = "feedback", _("情况反馈")


class ProcessTemplate(models.Model):
    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("议事流程")
        verbose_name_plural = _("议事流程")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class StepDefinition(models.Model):
    template = models.ForeignKey(ProcessTemplate, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("顺序"))
    code = models.CharField(_("代码"), max_length=20)
    name = models.CharField(_("名称"), max_length=40)
    guidance = models.CharField(_("本步骤做什么"), max_length=300, blank=True)
    requires = models.JSONField(_("进入下一步前须具备"), default=list, blank=True)

    class Meta:
        verbose_name = _("流程步骤")
        verbose_name_plural = _("流程步骤")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="step_unique_order"),
            models.UniqueConstraint(fields=["template", "code"], name="step_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    @property
    def requirement_labels(self) -> list[str]:
        return [str(Requirement(r).label) for r in self.requires]
