"""小区 in the unit suggestion: an appeal filed on a building of a 小区 goes by default to the firm serving that
小区 when its category is a property matter, i.e. one the firm declared (``Unit.categories``: 物业管理, 垃圾清运,
停车管理 … or their parent).

``compound_votes`` is a source of ``triage.routing`` (registered by ``compounds.apps``): it votes ``COMPOUND`` for
the firm, more than a routing rule (``triage.routing.RULE``), since the 小区 is a narrower place than the community a
rule is set for. Reason: "小区：丽景湾 → 青山安居物业服务有限公司". One query, and only for an appeal with a building.
"""

from __future__ import annotations

from collections.abc import Iterable

from compounds.models import Body
from triage.routing import RULE, Need, Vote

COMPOUND = RULE * 1.5


def compound_votes(need: Need) -> Iterable[Vote]:
    building_id = getattr(need.appeal, "building_id", None)
    if not building_id:
        return
    body = (
        Body.objects.filter(
            compound__buildings__id=building_id,
            kind=Body.Kind.PROPERTY,
            status=Body.Status.ACTIVE,
            firm__isnull=False,
        )
        .select_related("compound", "firm")
        .first()
    )
    if body is None or body.firm_id not in need.allowed:
        return
    declared = any(body.firm_id in need.tables.duty.get(c.pk, ()) for c in need.chain)
    if declared and body.firm is not None:
        yield Vote(body.firm_id, "compound", COMPOUND, f"小区：{body.compound.name} → {body.firm.name}")
