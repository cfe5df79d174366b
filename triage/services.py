"""Writes of smart triage: routing rules, labelled history, training the model. One function per change, each in a
transaction with an audit row (the labelled history rides on the appeal step's own event row)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from django.db import transaction

from access.scope import Scope
from appeals.errors import PermissionDenied, ValidationError
from areas.models import Area
from audit.models import record
from categories.models import Category
from triage import classifier
from triage.models import LabelledExample, RoutingRule
from units.models import Unit

ROUTING_AREA_KINDS = (Area.Kind.DISTRICT, Area.Kind.SUBDISTRICT, Area.Kind.COMMUNITY)


# ---- routing rules -----------------------------------------------------------------------------------------
def can_manage_routing(scope: Scope, area: Area) -> bool:
    """Community and subdistrict staff keep the rules of their own area and below; the administrator all."""
    if scope.is_admin:
        return True
    return any(area.path.startswith(n.path) for n in scope.nodes({"community_staff", "subdistrict_staff"}))


def routing_rule_check(*, scope: Scope, category: Category, area: Area, unit: Unit) -> None:
    """Raises what is wrong with setting this rule (ValidationError by field, PermissionDenied for the area).
    The service runs it; forms (the admin's) run it first to show the error on the form."""
    if area.kind not in ROUTING_AREA_KINDS:
        raise ValidationError({"area": "分拨规则只能设在社区、街道或区"})
    if not can_manage_routing(scope, area):
        raise PermissionDenied(f"您不能维护“{area.name}”的分拨规则")
    if not category.is_active:
        raise ValidationError({"category": "该类别已停用"})
    if not unit.is_active:
        raise ValidationError({"unit": "该单位已停用"})
    if not (scope.is_admin or scope.units().filter(pk=unit.pk).exists()):
        raise ValidationError({"unit": "该单位不在您的范围内"})


@transaction.atomic
def routing_rule_set(*, user, category: Category, area: Area, unit: Unit) -> RoutingRule:
    routing_rule_check(scope=Scope.of(user), category=category, area=area, unit=unit)
    rule = RoutingRule.objects.select_for_update().filter(category=category, area=area).first()
    before = rule.unit.name if rule else ""
    if rule is None:
        rule = RoutingRule.objects.create(category=category, area=area, unit=unit, updated_by=user)
        action = "create"
    else:
        rule.unit, rule.updated_by = unit, user
        rule.save(update_fields=["unit", "updated_by", "updated_at"])
        action = "update"
    record(
        actor=user,
        action=action,
        obj=rule,
        summary=f"分拨规则：{area.name} · {category.name} → {unit.name}",
        before=before,
        unit=unit.name,
    )
    return rule


@transaction.atomic
def routing_rule_delete(*, user, rule_id: int) -> None:
    rule = (
        RoutingRule.objects.select_for_update()
        .select_related("area", "category", "unit")
        .filter(pk=rule_id)
        .first()
    )
    if rule is None:
        raise ValidationError({"rule": "分拨规则不存在"})
    if not can_manage_routing(Scope.of(user), rule.area):
        raise PermissionDenied(f"您不能维护“{rule.area.name}”的分拨规则")
    record(actor=user, action="delete", obj=rule, summary=f"删除分拨规则：{rule}")
    rule.delete()


# ---- labelled history --------------------------------------------------------------------------------------
def labelled_example_record(*, appeal, user, at: datetime, dispatched: bool = False) -> LabelledExample:
    """Called inside the appeal step's transaction (its event row is the record of who confirmed what).

    The first confirmation also records what was suggested for the appeal's text (the level-1 label and the whole
    path staff saw on the page; empty when no model is stored), so the history tells how often suggestions are
    accepted. A later confirmation changes the label, not the suggestion it is measured against. A dispatch to a
    unit (``dispatched``) records the unit suggested for it (as the dispatch form preselected it: the rule, or
    the history before this dispatch) beside the unit chosen: staff kept it or changed it."""
    from triage.suggest import suggestion_for

    label = appeal.category.root.name
    confirmed_by = user if getattr(user, "is_authenticated", False) else None
    example = LabelledExample.objects.select_for_update().filter(appeal=appeal).first()
    fresh = example is None or not example.suggested
    suggestion = suggestion_for(appeal, now=at, with_units=dispatched) if fresh or dispatched else None
    if example is None:
        example = LabelledExample(appeal=appeal, confirmed_at=at)
    example.label, example.category = label, appeal.category
    example.confirmed_by, example.confirmed_at = confirmed_by, at
    if fresh and suggestion is not None and suggestion.label:
        example.suggested, example.confidence = suggestion.label, suggestion.confidence
        example.suggested_category = suggestion.leaf.category if suggestion.leaf else None
    if dispatched:
        example.unit, example.dispatched_at = appeal.unit, at
        guess = suggestion.units[0] if suggestion is not None and suggestion.units else None
        example.suggested_unit = guess.unit if guess else None
        example.unit_reason = guess.reason[:200] if guess else ""
    example.save()
    return example


def history_examples() -> classifier.Examples:
    """The confirmed history as training examples (title and body prepared like raw text)."""
    from triage import text

    examples = classifier.Examples(sources=["labelled history"])
    rows = LabelledExample.objects.values_list("label", "appeal__title", "appeal__body").iterator(
        chunk_size=2000
    )
    for label, title, body in rows:
        examples.add(text.document(title, body), label)
    return examples


# ---- the model ---------------------------------------------------------------------------------------------
def model_train(*, user=None, csv_paths: Sequence[str | Path], with_history: bool = False) -> dict:
    """Read every input first, fit, then swap the stored model in one rename. Any error leaves it as it was."""
    examples = classifier.read_csvs(csv_paths) if csv_paths else classifier.Examples()
    if with_history:
        examples.extend(history_examples())
    if not examples.documents:
        raise classifier.DataError("没有训练数据：请用 --csv 指定文件，或加 --with-history 使用已确认的历史")
    model = classifier.fit(examples)
    path = classifier.store(model)
    record(
        actor=user,
        action="train",
        summary=f"训练分类模型：{len(examples.documents)} 条，{len(model['labels'])} 类",
        path=str(path),
        sources=[str(s) for s in examples.sources],
        counts=model["counts"],
    )
    return model


def leaf_train(*, user=None) -> dict:
    """Train the leaf model on the labelled history and the category names (and the taxonomy's, when the shared
    data is present); store it in one rename. Raises classifier.DataError when there is nothing to learn from."""
    from triage import leaf

    try:
        model = leaf.train()
    except ValueError as exc:
        raise classifier.DataError(str(exc)) from exc
    path = leaf.store(model)
    record(
        actor=user,
        action="train",
        summary=f"训练末级类别模型：历史 {model['history']} 条，{len(model['classes'])} 个类别",
        path=str(path),
        counts=model["counts"],
    )
    return model


def retrain_on_history() -> list[str]:
    """The scheduled retraining on the district's own history (``triage.tasks.retrain_task``): the leaf model
    always; the level-1 model when it was learnt from history alone (a deployment without the shared data) or
    none is stored and history exists. A level-1 model trained on the shared data is left as it is (its data does
    not change). Returns what was done, in words."""
    done: list[str] = []
    stored = classifier.load()
    from_history = stored is not None and stored.get("sources") == ["labelled history"]
    if (stored is None or from_history) and LabelledExample.objects.exists():
        try:
            model = model_train(csv_paths=[], with_history=True)
        except classifier.DataError as exc:
            done.append(f"一级类别模型未训练：{exc}")
        else:
            done.append(f"一级类别模型：历史 {sum(model['counts'].values())} 条")
    try:
        model = leaf_train()
    except classifier.DataError as exc:
        done.append(f"末级类别模型未训练：{exc}")
    else:
        done.append(f"末级类别模型：历史 {model['history']} 条，{len(model['classes'])} 个类别")
    return done
