"""小区 in the unit suggestion: an appeal filed on a building of a 小区 goes by default to the firm serving that
小区 when its category is a property matter, i.e. one the firm declared (``Unit.categories``: 物业管理, 垃圾清运,
停车管理 … or their parent).

``compound_votes`` is a source of ``triage.routing`` (registered by ``compounds.apps``): it votes ``COMPOUND`` for
the firm, more than a routing rule (``triage.routing.RULE``), since the 小区 is a narrower place than the community a
rule is set for. Reason: "小区：丽景湾 → 青山安居物业服务有限公司". No query per call: the firms by building are
derived once per copy of ``triage.tables`` (``firms_by_building``), and a change to a 小区, its bodies or a
building's 小区 moves the tables' stamp (``follow_compounds``).
"""

from __future__ import annotations

from collections.abc import Iterable

from compounds.models import Body
from triage.routing import RULE, Need, Vote
from triage.tables import Tables

COMPOUND = RULE * 1.5


def firms_by_building() -> dict[int, tuple[int, str]]:
    """Building → (its 小区's serving firm, the 小区's name), for the active property bodies with a firm."""
    from areas.models import Building

    firms: dict[int, tuple[int, str]] = {}
    bodies = Body.objects.filter(
        kind=Body.Kind.PROPERTY, status=Body.Status.ACTIVE, firm__isnull=False
    ).values_list("compound_id", "compound__name", "firm_id")
    by_compound = {compound_id: (firm_id, name) for compound_id, name, firm_id in bodies}  # one active each
    for building_id, compound_id in Building.objects.filter(compound_id__in=list(by_compound)).values_list(
        "pk", "compound_id"
    ):
        firms[building_id] = by_compound[compound_id]
    return firms


def _firms(tables: Tables) -> dict[int, tuple[int, str]]:
    return tables.derived("compounds.firms_by_building", firms_by_building)


def compound_votes(need: Need) -> Iterable[Vote]:
    building_id = getattr(need.appeal, "building_id", None)
    if not building_id:
        return
    found = _firms(need.tables).get(building_id)
    if found is None or found[0] not in need.allowed:
        return
    firm_id, compound_name = found
    if any(firm_id in need.tables.duty.get(c.pk, ()) for c in need.chain):
        firm = need.allowed[firm_id]
        yield Vote(firm_id, "compound", COMPOUND, f"小区：{compound_name} → {firm.name}")


def follow_compounds() -> None:
    from areas.models import Building
    from compounds.models import Compound
    from triage.receivers import follow

    follow(Compound, Body, Building)
