"""Edits of the process templates: the administrator may rename a template or a step, reword its guidance, or
switch a template off for new topics. Order, codes and requirements stay as seeded (topics in progress rely on
them). Each edit: one transaction, the row locked, saved with ``update_fields``, an audit row."""

from __future__ import annotations

from django.db import transaction

from access.scope import Scope
from audit.models import record
from deliberation.models import ProcessTemplate, StepDefinition
from linli.errors import PermissionDenied, ValidationError
from linli.text import required_text


def _require_admin(user) -> None:
    if not Scope.of(user).is_admin:
        raise PermissionDenied("只有系统管理员可以修改议事流程")


@transaction.atomic
def process_template_update(
    *, user, template_id: int, name: str, description: str, is_active: bool
) -> ProcessTemplate:
    _require_admin(user)
    try:
        template = ProcessTemplate.objects.select_for_update().get(pk=template_id)
    except ProcessTemplate.DoesNotExist as exc:
        raise ValidationError({"template": "议事流程不存在"}) from exc
    template.name = required_text(name, "name", "名称", 60)
    template.description = (description or "").strip()[:300]
    template.is_active = is_active
    template.save(update_fields=["name", "description", "is_active"])
    record(
        actor=user,
        action="process_template_update",
        obj=template,
        summary=f"修改议事流程：{template.name}{'' if is_active else '（停用）'}",
    )
    return template


@transaction.atomic
def step_definition_update(*, user, step_id: int, name: str, guidance: str) -> StepDefinition:
    _require_admin(user)
    try:
        step = StepDefinition.objects.select_for_update().select_related("template").get(pk=step_id)
    except StepDefinition.DoesNotExist as exc:
        raise ValidationError({"step": "流程步骤不存在"}) from exc
    step.name = required_text(name, "name", "步骤名称", 40)
    step.guidance = (guidance or "").strip()[:300]
    step.save(update_fields=["name", "guidance"])
    record(
        actor=user,
        action="step_definition_update",
        obj=step,
        summary=f"修改流程步骤：{step.template.name} 第 {step.order} 步 {step.name}",
    )
    return step
