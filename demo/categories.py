"""A starting category tree for community appeals, with the deadlines each category sets (限时办结).

The seven top levels are exactly the first-level labels of the real message data (``data/tipdm2020``), so a
triage model trained on that data maps onto them; the second levels are what a community hears about.
``ensure_categories()`` is idempotent and is meant for real deployments as well as for the demo district.
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import transaction

from audit.models import record
from categories.models import Category


class Spec(NamedTuple):
    code: str
    name: str
    contact_hours: int
    resolve_working_days: int


# top level, then its second levels; codes are stable identifiers other modules (units, appeals) refer to.
CATEGORY_TREE: list[tuple[Spec, list[Spec]]] = [
    (
        Spec("CXJS", "城乡建设", 24, 10),
        [
            Spec("CXJS-WYGL", "物业管理", 24, 5),
            Spec("CXJS-GS", "自来水供应", 4, 2),
            Spec("CXJS-GD", "电力供应", 4, 2),
            Spec("CXJS-RQ", "燃气供应", 2, 2),
            Spec("CXJS-LJXQ", "老旧小区改造", 48, 30),
            Spec("CXJS-DTJZ", "加装电梯", 48, 30),
            Spec("CXJS-WZJZ", "违章建筑", 24, 15),
            Spec("CXJS-SZSS", "市政设施", 24, 7),
            Spec("CXJS-AQYH", "安全隐患", 4, 3),
            Spec("CXJS-SQFW", "社区服务", 24, 5),
            Spec("CXJS-LLJF", "邻里纠纷", 24, 10),
        ],
    ),
    (
        Spec("HJBH", "环境保护", 24, 7),
        [
            Spec("HJBH-ZYRM", "噪音扰民", 12, 3),
            Spec("HJBH-LJQY", "垃圾清运", 12, 2),
            Spec("HJBH-DQWR", "油烟扬尘", 24, 7),
            Spec("HJBH-SWR", "水体污染", 24, 10),
            Spec("HJBH-YLLH", "园林绿化", 24, 7),
        ],
    ),
    (
        Spec("JTYS", "交通运输", 24, 7),
        [
            Spec("JTYS-TCGL", "停车管理", 24, 5),
            Spec("JTYS-JTZX", "交通秩序", 12, 3),
            Spec("JTYS-GJCX", "公交出行", 24, 10),
            Spec("JTYS-DLYH", "道路养护", 24, 10),
        ],
    ),
    (
        Spec("WSJS", "卫生计生", 24, 7),
        [
            Spec("WSJS-YLFW", "医疗服务", 24, 5),
            Spec("WSJS-GGWS", "公共卫生", 12, 5),
            Spec("WSJS-RKJS", "人口计生", 24, 10),
            Spec("WSJS-SPYP", "食品药品安全", 12, 5),
        ],
    ),
    (
        Spec("LDSB", "劳动和社会保障", 24, 10),
        [
            Spec("LDSB-YLFW", "养老服务", 24, 5),
            Spec("LDSB-SHBX", "社会保险", 24, 10),
            Spec("LDSB-JYPX", "就业培训", 24, 10),
            Spec("LDSB-QXGZ", "拖欠工资", 24, 10),
            Spec("LDSB-SHJZ", "社会救助", 24, 7),
        ],
    ),
    (
        Spec("JYWT", "教育文体", 24, 10),
        [
            Spec("JYWT-XXJY", "学校教育", 24, 10),
            Spec("JYWT-XWTG", "托育和校外服务", 24, 10),
            Spec("JYWT-WTHD", "文体活动", 24, 7),
            Spec("JYWT-GGWH", "公共文化设施", 24, 10),
        ],
    ),
    (
        Spec("SMLY", "商贸旅游", 24, 7),
        [
            Spec("SMLY-SCJG", "市场监管", 24, 7),
            Spec("SMLY-ZDJY", "占道经营", 12, 3),
            Spec("SMLY-XFWQ", "消费维权", 24, 7),
            Spec("SMLY-LYFW", "旅游服务", 24, 10),
        ],
    ),
]

TOP_LEVEL_NAMES = [top.name for top, _ in CATEGORY_TREE]


def _ensure(spec: Spec, parent: Category | None) -> Category:
    existing = Category.objects.filter(code=spec.code).first()
    if existing is not None:
        return existing
    category = Category(
        code=spec.code,
        name=spec.name,
        parent=parent,
        contact_hours=spec.contact_hours,
        resolve_working_days=spec.resolve_working_days,
    )
    category.full_clean()
    category.save()
    record(actor=None, action="create", obj=category, summary=f"新建诉求类别 {category}", code=spec.code)
    return category


@transaction.atomic
def ensure_categories() -> dict[str, Category]:
    """Create whatever of the starting tree is missing (matched by code; existing rows are left as they are).

    Returns every category of the tree by code.
    """
    by_code: dict[str, Category] = {}
    for top_spec, children in CATEGORY_TREE:
        top = _ensure(top_spec, None)
        by_code[top.code] = top
        for child_spec in children:
            by_code[child_spec.code] = _ensure(child_spec, top)
    return by_code
