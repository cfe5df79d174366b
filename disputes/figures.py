"""The mediation figures of an area for a period, by child area: cases, 化解率, 协议履行率, 就地化解率, referrals,
average days to agreement, repeat disputes. Every rate is a ``Rate`` printed with its fraction; each column's
definition is written out in ``DEFINITIONS``; each row links to its cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from areas.models import Area
from disputes.models import Agreement, Case, Level, Status, Term
from disputes.selectors import party_keys
from evaluation.ledgers import LedgerTable, Rate

COLUMNS = [
    "区域", "登记", "结案", "达成协议", "化解率", "就地化解率", "移交", "到期条款", "按期履行", "协议履行率",
    "平均达成协议天数", "重复纠纷",
]  # fmt: skip
DEFINITIONS = [
    "登记：本期登记的纠纷案件数。",
    "结案：本期办结的案件数（达成协议并全部履行后结案，或调解不成移交），按结案时间计；重新调解的案件按最近一次结案计。",
    "达成协议：结案中达成调解协议并履行完毕的案件数。化解率 = 达成协议 ÷ 结案。",
    "就地化解率 = 在网格（楼院）一级调解结案、未升级到社区或街道、未移交的案件 ÷ 结案（小事不出楼院）。",
    "移交：本期调解不成、移交司法所、诉讼、仲裁或职能部门的案件数（已计入结案）。",
    "到期条款：已签字协议中履行期限在本期内的条款数；按期履行：其中在期限当天或之前确认履行的条款数。"
    "协议履行率 = 按期履行 ÷ 到期条款。",
    "平均达成协议天数：本期签字的协议，从案件登记到协议签字的平均自然日数。",
    "重复纠纷：本期登记、且同一社区此前有过同样当事人（至少两方相同，按名册居民、电话或姓名识别）纠纷的案件数。",
]


@dataclass
class Counts:
    registered: int = 0
    concluded: int = 0
    agreed: int = 0
    local: int = 0
    referred: int = 0
    terms_due: int = 0
    terms_kept: int = 0
    agreement_days: list[float] = field(default_factory=list)
    repeats: int = 0

    def row(self, label: str) -> list:
        days = (
            float(
                (Decimal(str(sum(self.agreement_days))) / len(self.agreement_days)).quantize(
                    Decimal("0.1"), rounding=ROUND_HALF_UP
                )
            )
            if self.agreement_days
            else "—"
        )
        return [
            label, self.registered, self.concluded, self.agreed, Rate(self.agreed, self.concluded),
            Rate(self.local, self.concluded), self.referred, self.terms_due, self.terms_kept,
            Rate(self.terms_kept, self.terms_due), days, self.repeats,
        ]  # fmt: skip


def children(area: Area) -> list[Area]:
    kids = list(Area.objects.filter(parent=area).order_by("path"))
    if area.kind == Area.Kind.COMMUNITY:  # grids may sit under zones: list the grids themselves
        kids = list(Area.objects.filter(kind=Area.Kind.GRID, path__startswith=area.path).order_by("path"))
    return kids


def _in(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def count(area: Area, start: datetime, end: datetime) -> dict[str, Counts]:
    """Counts keyed by the path of each case's area (grid, or community when it has none)."""
    by_path: dict[str, Counts] = {}

    def at(path: str) -> Counts:
        return by_path.setdefault(path, Counts())

    cases = list(Case.objects.filter(area_path__startswith=area.path).prefetch_related("parties"))
    earlier_keys: dict[int, list[tuple[datetime, frozenset[str]]]] = {}
    for case in cases:
        earlier_keys.setdefault(case.community_id, []).append(
            (case.registered_at, party_keys(list(case.parties.all())))
        )
    for case in cases:
        c = at(case.area_path)
        if _in(case.registered_at, start, end):
            c.registered += 1
            keys = party_keys(list(case.parties.all()))
            if any(
                when < case.registered_at and len(keys & other) >= 2
                for when, other in earlier_keys[case.community_id]
            ):
                c.repeats += 1
        if case.status in (Status.CLOSED, Status.REFERRED) and _in(case.closed_at, start, end):
            c.concluded += 1
            if case.status == Status.CLOSED:
                c.agreed += 1
                if case.level == Level.GRID:
                    c.local += 1
            else:
                c.referred += 1
    start_day, end_day = timezone.localtime(start).date(), timezone.localtime(end).date()
    terms = Term.objects.filter(
        agreement__case__area_path__startswith=area.path,
        agreement__signed_at__isnull=False,
        due_on__gte=start_day,
        due_on__lt=end_day,
    ).select_related("agreement__case")
    for term in terms:
        c = at(term.agreement.case.area_path)
        c.terms_due += 1
        if term.kept_on_time:
            c.terms_kept += 1
    signed = Agreement.objects.filter(
        case__area_path__startswith=area.path, signed_at__gte=start, signed_at__lt=end
    ).select_related("case")
    for agreement in signed:
        assert agreement.signed_at is not None
        days = (agreement.signed_at - agreement.case.registered_at).total_seconds() / 86400
        at(agreement.case.area_path).agreement_days.append(days)
    return by_path


def _merge(parts: list[Counts]) -> Counts:
    total = Counts()
    for p in parts:
        for name in (
            "registered",
            "concluded",
            "agreed",
            "local",
            "referred",
            "terms_due",
            "terms_kept",
            "repeats",
        ):
            setattr(total, name, getattr(total, name) + getattr(p, name))
        total.agreement_days += p.agreement_days
    return total


def disputes_table(area: Area, start: datetime, end: datetime) -> LedgerTable | None:
    by_path = count(area, start, end)
    if area.kind not in (Area.Kind.DISTRICT, Area.Kind.SUBDISTRICT, Area.Kind.COMMUNITY, Area.Kind.GRID):
        return None
    rows, links = [], []
    kids = children(area) if area.kind != Area.Kind.GRID else []
    for kid in kids:
        counts = _merge([c for path, c in by_path.items() if path.startswith(kid.path)])
        rows.append(counts.row(kid.name))
        links.append(f"/disputes/?state=all&area={kid.pk}")
    if area.kind == Area.Kind.COMMUNITY:  # cases placed at the community itself (no grid)
        direct = by_path.get(area.path)
        if direct is not None:
            rows.append(direct.row(f"{area.name}（未分网格）"))
            links.append(f"/disputes/?state=all&area={area.pk}")
    rows.append(_merge(list(by_path.values())).row(f"{area.name} 合计"))
    links.append(f"/disputes/?state=all&area={area.pk}")
    return LedgerTable(
        key="disputes",
        title="矛盾纠纷调解",
        columns=COLUMNS,
        rows=rows,
        definitions=DEFINITIONS,
        links=links,
    )
