"""Services and their definitions (GET services, GET services/{code}) from the category tree, and the check of
a request's attributes against its service's definition.

A service is an active category without active children (a leaf of the tree, every ancestor active), its
``service_code`` the category's code. ``group`` is the name of its first-level category, ``keywords`` the names
on its path; ``metadata`` is true when the service asks questions of its own (``ServiceAttribute``). Every
service is ``realtime``: a POST files the appeal at once and answers with its id.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from categories.models import Category
from linli.errors import ValidationError
from open311 import w3c
from open311.models import ServiceAttribute

MAX_STRING = 200
MAX_TEXT = 2000


def _tree() -> tuple[dict[int, Category], dict[int, list[Category]]]:
    by_id = {c.pk: c for c in Category.objects.all()}
    children: dict[int, list[Category]] = {}
    for c in by_id.values():
        if c.parent_id is not None:
            children.setdefault(c.parent_id, []).append(c)
    return by_id, children


def _path(category: Category, by_id: dict[int, Category]) -> list[Category]:
    path = [category]
    while path[0].parent_id is not None and path[0].parent_id in by_id:
        path.insert(0, by_id[path[0].parent_id])
    return path


def service_categories() -> list[tuple[Category, list[Category]]]:
    """(leaf, its path from the root) for every service, in code order."""
    by_id, children = _tree()
    found = []
    for c in sorted(by_id.values(), key=lambda c: c.code):
        if any(k.is_active for k in children.get(c.pk, [])):
            continue
        path = _path(c, by_id)
        if all(p.is_active for p in path):
            found.append((c, path))
    return found


def service_by_code(code: str) -> Category | None:
    return next((c for c, _ in service_categories() if c.code == code), None)


def notice(category: Category | None) -> str:
    """service_notice: what the category's deadlines promise (限时办结)."""
    if category is None:
        return ""
    return f"社区将在 {category.contact_hours} 小时内联系您，派单后 {category.resolve_working_days} 个工作日内办结"


def services() -> list[dict[str, Any]]:
    with_metadata = set(ServiceAttribute.objects.values_list("category_id", flat=True))
    return [
        {
            "service_code": c.code,
            "service_name": c.name,
            "description": " / ".join(p.name for p in path),
            "metadata": c.pk in with_metadata,
            "type": "realtime",
            "keywords": ",".join(p.name for p in path),
            "group": path[0].name,
        }
        for c, path in service_categories()
    ]


def attribute_doc(a: ServiceAttribute) -> dict[str, Any]:
    listed = a.datatype in (a.Datatype.SINGLEVALUELIST, a.Datatype.MULTIVALUELIST)
    return {
        "variable": a.variable,
        "code": a.code,
        "datatype": a.datatype,
        "required": a.required,
        "datatype_description": a.datatype_description,
        "order": a.order,
        "description": a.description,
        "values": [{"key": str(v["key"]), "name": str(v["name"])} for v in a.values] if listed else [],
    }


def definition(category: Category) -> dict[str, Any]:
    attributes = ServiceAttribute.objects.filter(category=category).order_by("order", "id")
    return {"service_code": category.code, "attributes": [attribute_doc(a) for a in attributes]}


def _one(a: ServiceAttribute, raw: str) -> Any:
    name = f"attribute[{a.code}]"
    D = ServiceAttribute.Datatype
    if a.datatype == D.NUMBER:
        try:
            number = Decimal(raw.strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise ValidationError({name: f"{name} 应为数字"})
        return str(number)
    if a.datatype == D.DATETIME:
        if w3c.parse(raw) is None:
            raise ValidationError({name: f"{name} 应为 W3C 日期时间，如 2026-12-02T09:30:00+08:00"})
        return raw.strip()
    if a.datatype in (D.SINGLEVALUELIST, D.MULTIVALUELIST):
        keys = {str(v["key"]) for v in a.values}
        if raw not in keys:
            raise ValidationError({name: f"{name} 的值“{raw[:40]}”不在选项中（{'、'.join(sorted(keys))}）"})
        return raw
    limit = MAX_TEXT if a.datatype == D.TEXT else MAX_STRING
    if len(raw) > limit:
        raise ValidationError({name: f"{name} 不能超过 {limit} 个字"})
    return raw.strip()


def check_attributes(category: Category, given: dict[str, list[str]]) -> dict[str, Any]:
    """The attributes, checked against the service's definition: code → value (a list for multivaluelist).

    Refused with every field's message: an attribute the service does not define, a value given for a
    non-variable attribute, a required attribute missing, a value of the wrong datatype or not in the list,
    several values where one is expected."""
    defined = {a.code: a for a in ServiceAttribute.objects.filter(category=category)}
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for code, values in given.items():
        a = defined.get(code)
        values = [v for v in values if v != ""]
        if a is None:
            errors[f"attribute[{code[:40]}]"] = f"服务 {category.code} 没有属性 {code[:40]}"
        elif not a.variable and values:
            errors[f"attribute[{code}]"] = f"attribute[{code}] 是说明，不接受取值"
        elif values and a.datatype != a.Datatype.MULTIVALUELIST and len(values) > 1:
            errors[f"attribute[{code}]"] = f"attribute[{code}] 只能有一个值"
        elif values:
            try:
                checked = [_one(a, v) for v in values]
            except ValidationError as exc:
                errors.update({k: v[0] for k, v in exc.message_dict.items()})
                continue
            if a.datatype == a.Datatype.MULTIVALUELIST:
                cleaned[code] = list(dict.fromkeys(checked))
            else:
                cleaned[code] = checked[0]
    for code, a in defined.items():
        if a.variable and a.required and code not in cleaned and f"attribute[{code}]" not in errors:
            errors[f"attribute[{code}]"] = f"缺少必填属性 attribute[{code}]（{a.description}）"
    if errors:
        raise ValidationError(errors)
    return cleaned


def _readable(a: ServiceAttribute, value: str) -> str:
    """A datetime as staff read one (local time, to the minute), not the client's W3C text."""
    moment = w3c.parse(value) if a.datatype == ServiceAttribute.Datatype.DATETIME else None
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment is not None else value


def answers_text(category: Category, cleaned: dict[str, Any]) -> list[str]:
    """One line per answered attribute, in the service's order, for the appeal's body: 问题：回答."""
    lines = []
    for a in ServiceAttribute.objects.filter(category=category).order_by("order", "id"):
        if a.code not in cleaned:
            continue
        names: dict[str, str] = {str(v["key"]): str(v["name"]) for v in a.values}
        value = cleaned[a.code]
        picked = value if isinstance(value, list) else [value]
        shown = "、".join(names.get(str(v), _readable(a, str(v))) for v in picked)
        lines.append(f"{a.description.rstrip('?？:：')}：{shown}")
    return lines
