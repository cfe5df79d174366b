"""Who is ranked, and who is listed apart with the reason, in every ranking (dashboards, rankings, the report,
the public page).

Only real units, subdistricts, communities and grids are ranked, and only with at least ``MIN_COUNTED``
counted appeals in the period and a composite score. The rest are listed after the ranking, each group under
its reason: appeals with no single handling unit (answered, whistled to several units, not yet dispatched) are
not a unit; appeals taken at the community and not placed in a grid are not a grid; a unit or an area with
fewer than ``MIN_COUNTED`` appeals is not ranked on so few; one without any rate yet has no score to rank by.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from appeals.models import Kind
from evaluation import selectors as sel

MIN_COUNTED = sel.MIN_COUNTED_TO_RANK  # 5 件

RULE = (
    f"按综合得分从高到低排名，得分相同名次相同；受理不足 {MIN_COUNTED} 件的不参与排名，"
    "与不属于任何一个单位或区域的诉求一起列在表后。"
)
FEW = f"件数不足 {MIN_COUNTED} 件，不参与排名"
NO_SCORE = "尚无综合得分（没有联系、评价等可计算的数），不参与排名"
NOT_A_UNIT = "不是承办单位（直接答复、吹哨给多个单位或尚未派单的诉求），不参与排名"
BY_PARTY_MEMBER = "在职党员个人承接的服务单，不是承办单位，不参与排名"
NOT_A_GRID = "直接在社区受理、未落到网格的诉求，不参与排名"


@dataclass
class Apart:
    """Rows listed after a ranking, not ranked, and why."""

    reason: str
    rows: list = field(default_factory=list)


def not_ranked_reason(row: sel.Row, by: str, kind: str = Kind.APPEAL) -> str:
    """Why a row takes no rank ("" when it is ranked)."""
    if not row.key and by == "unit":
        return BY_PARTY_MEMBER if kind == Kind.SERVICE_ORDER else NOT_A_UNIT
    if not row.key and by == "grid":
        return NOT_A_GRID
    if row.totals["counted"] < MIN_COUNTED:
        return FEW
    if row.totals.value("composite") is None:
        return NO_SCORE
    return ""


def split(rows: list[sel.Row], by: str, kind: str = Kind.APPEAL) -> tuple[list[sel.Row], list[Apart]]:
    """The rows that are ranked (ordered, with ranks 1, 2, 2, 4 …) and the others in groups by reason."""
    ranked: list[sel.Row] = []
    groups: dict[str, Apart] = {}
    for row in rows:
        reason = not_ranked_reason(row, by, kind)
        if reason:
            row.rank = None
            groups.setdefault(reason, Apart(reason)).rows.append(row)
        else:
            ranked.append(row)
    order = [NOT_A_UNIT, BY_PARTY_MEMBER, NOT_A_GRID, FEW, NO_SCORE]
    apart = sorted(groups.values(), key=lambda g: order.index(g.reason))
    for group in apart:
        group.rows.sort(key=lambda r: (-r.totals["counted"], r.label))
    return sel.ranked(ranked, "composite"), apart
