"""The demo district's routing rules (分拨规则), as a real district keeps them.

A district sets who handles each kind of appeal: each department its own leaves (城管局 市政设施 and 违章建筑, 住建局
物业管理 and 加装电梯 …), the utilities theirs, and a department for each level 1 as the catch-all; a subdistrict
sends neighbours' disputes to its police station and community services to its social-work station; a community
sends property matters to the property manager that looks after it. ``load_demo_triage`` sets them through the
service (with the demo administrator as the author, so each has its audit row); ``demo_unit_key`` says which unit
the rules pick, for a demo history that follows them.
"""

from __future__ import annotations

from typing import Any, TextIO

from django.contrib.auth import get_user_model

from access.models import Role
from areas.models import Area
from categories.models import Category
from triage.models import RoutingRule
from triage.services import routing_rule_set
from units.models import Unit

# level 1 → the department that takes what no leaf rule covers
ROOT_RULES = {
    "CXJS": "ZJJ",
    "HJBH": "STJ",
    "JTYS": "JTJ",
    "WSJS": "WJJ",
    "LDSB": "RSJ",
    "JYWT": "JYJ",
    "SMLY": "SJJ",
}
# leaf → district department or utility
DISTRICT_RULES = {
    "CXJS-WZJZ": "CGJ",
    "CXJS-SZSS": "CGJ",
    "HJBH-LJQY": "CGJ",
    "HJBH-YLLH": "CGJ",
    "SMLY-ZDJY": "CGJ",
    "CXJS-LJXQ": "ZJJ",
    "CXJS-DTJZ": "ZJJ",
    "WSJS-YLFW": "WJJ",
    "WSJS-GGWS": "WJJ",
    "WSJS-RKJS": "WJJ",
    "CXJS-AQYH": "YJJ",
    "JTYS-TCGL": "JJDD",
    "JTYS-JTZX": "JJDD",
    "JTYS-GJCX": "JTJ",
    "JTYS-DLYH": "JTJ",
    "HJBH-ZYRM": "STJ",
    "HJBH-DQWR": "STJ",
    "HJBH-SWR": "STJ",
    "LDSB-YLFW": "MZJ",
    "LDSB-SHJZ": "MZJ",
    "LDSB-SHBX": "RSJ",
    "LDSB-JYPX": "RSJ",
    "LDSB-QXGZ": "RSJ",
    "JYWT-XXJY": "JYJ",
    "JYWT-XWTG": "JYJ",
    "JYWT-WTHD": "JYJ",
    "JYWT-GGWH": "WLJ",
    "SMLY-LYFW": "WLJ",
    "SMLY-SCJG": "SJJ",
    "SMLY-XFWQ": "SJJ",
    "WSJS-SPYP": "SJJ",
    "CXJS-GS": "GS",
    "CXJS-GD": "GD",
    "CXJS-RQ": "RQ",
}
# leaf → the subdistrict's own unit (key prefix + the subdistrict's number)
SUBDISTRICT_RULES = {"CXJS-LLJF": "PCS", "CXJS-SQFW": "SGZ"}
# leaf → the community's property manager
COMMUNITY_RULES = ("CXJS-WYGL",)


def _admin():
    User = get_user_model()
    return (
        User.objects.filter(role_assignments__role=Role.ADMIN).order_by("id").first()
        or User.objects.filter(is_superuser=True).order_by("id").first()
    )


def _units(district: Area) -> dict[str, Unit]:
    """The demo's units by key (code ``<district>-U-<key>``)."""
    prefix = f"{district.code}-U-"
    return {u.code.removeprefix(prefix): u for u in Unit.objects.filter(code__startswith=prefix)}


def demo_unit_key(code: str, community: Area) -> str | None:
    """The key of the unit the demo rules pick for a category code at a community (None: no rule)."""
    if code in COMMUNITY_RULES:
        manager = (
            Unit.objects.filter(kind=Unit.Kind.PROPERTY_MANAGER, areas_served=community)
            .order_by("code")
            .first()
        )
        return manager.code.rsplit("-U-", 1)[-1] if manager else None
    if code in SUBDISTRICT_RULES:
        parent = community.parent
        siblings = Area.objects.filter(
            kind=Area.Kind.SUBDISTRICT, parent_id=parent.parent_id if parent else None
        )
        subdistricts = list(siblings.order_by("path").values_list("pk", flat=True))
        number = subdistricts.index(community.parent_id) + 1 if community.parent_id in subdistricts else 1
        return f"{SUBDISTRICT_RULES[code]}{number}"
    return DISTRICT_RULES.get(code) or ROOT_RULES.get(code.split("-")[0])


def demo_rule_unit(category: Category, community: Area, units: list[Unit]) -> Unit | None:
    """The unit the demo rules pick for this category at this community, among ``units`` (those serving it), or
    None. For the demo history: its dispatchers follow their district's rules most of the time
    (``appeals.demo._pick_unit``)."""
    codes = [category.code] + ([category.parent.code] if category.parent_id and category.parent else [])
    by_key = {u.code.rsplit("-U-", 1)[-1]: u for u in units}
    for code in codes:
        key = demo_unit_key(code, community)
        if key in by_key:
            return by_key[key]
    return None


def load_demo_triage(demo: Any, stdout: TextIO | None = None) -> int:
    """Idempotent: sets the rules when the district has none. Returns how many were set."""
    district: Area = demo.district
    if RoutingRule.objects.filter(area__path__startswith=district.path).exists():
        return 0
    admin = _admin()
    units = _units(district)
    categories = {c.code: c for c in Category.objects.all()}
    made = 0

    def rule(code: str, area: Area, key: str) -> None:
        nonlocal made
        if code in categories and key in units:
            routing_rule_set(user=admin, category=categories[code], area=area, unit=units[key])
            made += 1

    for code, key in {**ROOT_RULES, **DISTRICT_RULES}.items():
        rule(code, district, key)
    subdistricts = Area.objects.filter(kind=Area.Kind.SUBDISTRICT, path__startswith=district.path).order_by(
        "path"
    )
    for number, subdistrict in enumerate(subdistricts, start=1):
        for code, prefix in SUBDISTRICT_RULES.items():
            rule(code, subdistrict, f"{prefix}{number}")
    for community in Area.objects.filter(kind=Area.Kind.COMMUNITY, path__startswith=district.path):
        for code in COMMUNITY_RULES:
            manager = demo_unit_key(code, community)
            if manager:
                rule(code, community, manager)
    if stdout:
        stdout.write(f"演示分拨规则：{made} 条\n")
    return made
