"""矛盾纠纷排查化解台账: the month's ledger as a street office files it, one row a case (those registered in the
month, those carried over still open, and those concluded in it), written with ``spreadsheets.safe``."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from access.scope import Scope
from areas.models import Area
from disputes.models import Case, Member, Referral, Status, Term
from disputes.scope import MEDIATION_ROLES, visible_cases, works_on_disputes
from disputes.selectors import current_agreement
from linli import clock
from linli.errors import PermissionDenied
from linli.inputs import positive_id
from spreadsheets import safe
from spreadsheets.lists import DATETIME, XLSX, first_sheet, local, sheet_name, write_table

HEADERS = [
    "序号", "案件编号", "登记时间", "纠纷类型", "纠纷简要情况", "当事人", "发生地点", "来源", "风险等级",
    "可能激化", "包案人", "调解团队", "调解次数", "调处层级", "化解情况", "协议履行", "结案时间", "重新调解次数",
]  # fmt: skip
FORMATS = [None, None, DATETIME] + [None] * 13 + [DATETIME, None]


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[first day, first day of next month) of ``YYYY-MM`` in local time; this month when it is not one."""
    tz = timezone.get_current_timezone()
    try:
        year, mon = (int(x) for x in month.split("-"))
        start = datetime(year, mon, 1, tzinfo=tz)
    except (ValueError, TypeError):
        now = timezone.localtime(clock.now())
        start = datetime(now.year, now.month, 1, tzinfo=tz)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def ledger_cases(scope: Scope, area: Area | None, start: datetime, end: datetime):
    qs = visible_cases(scope).filter(registered_at__lt=end).exclude(closed_at__lt=start)
    if area is not None:
        qs = qs.filter(area_path__startswith=area.path)
    return qs.select_related("kind", "community", "grid", "building", "owner").order_by("registered_at", "id")


def _outcome(case: Case) -> str:
    if case.status == Status.REFERRED:
        return f"调解不成，移交{Referral(case.referral).label}" if case.referral else "调解不成，已移交"
    if case.status == Status.CLOSED:
        return "达成协议，已结案"
    if case.status == Status.FOLLOWING:
        return "达成协议，履行中"
    return str(case.get_status_display())


def _terms(case: Case) -> str:
    agreement = current_agreement(case)
    if agreement is None or agreement.signed_at is None:
        return ""
    terms = list(agreement.terms.all())
    kept = sum(1 for t in terms if t.state == Term.State.KEPT)
    return f"{kept}/{len(terms)} 条已履行"


def rows(scope: Scope, cases) -> list[list]:
    nodes = scope.nodes(MEDIATION_ROLES)
    out = []
    for i, case in enumerate(cases, start=1):
        private = scope.is_admin or any(case.area_path.startswith(n.path) for n in nodes)
        parties = "、".join(p.name for p in case.parties.all()) if private else "（不公开）"
        team = "、".join(
            f"{m.person.name}（{Member.Duty(m.duty).label}）" for m in case.members.select_related("person")
        )
        place = " ".join(
            x for x in [case.community.name, case.grid.name if case.grid else "", case.place] if x
        )
        out.append(
            [
                i, case.number, local(case.registered_at), case.kind.name, case.title, parties, place,
                case.get_source_display(), case.get_risk_display(), "是" if case.may_escalate else "",
                case.owner.name if case.owner else "", team, case.sessions.count(), case.get_level_display(),
                _outcome(case), _terms(case), local(case.closed_at), case.reopen_count,
            ]
        )  # fmt: skip
    return out


@login_required
def ledger_export(request):
    scope = Scope.of(request.user)
    if not works_on_disputes(scope):
        raise PermissionDenied("只有调解工作人员可以导出纠纷台账")
    start, end = month_bounds(request.GET.get("month", ""))
    area_id = positive_id(request.GET.get("area"))
    area = scope.areas().filter(pk=area_id).first() if area_id else None
    cases = ledger_cases(scope, area, start, end)
    book = Workbook()
    ws = first_sheet(book)
    ws.title = sheet_name(book, "矛盾纠纷排查化解台账")
    ws["A1"] = "矛盾纠纷排查化解台账"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"填报范围：{area.name if area else '我负责的全部区域'}；统计月份：{start:%Y年%m月}；"
        f"导出时间 {timezone.localtime(clock.now()):%Y-%m-%d %H:%M}"
    )
    data = rows(scope, cases.prefetch_related("parties"))
    write_table(ws, "T_disputes", HEADERS, data, FORMATS, start_row=4)
    buffer = BytesIO()
    safe.save(book, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="disputes-{start:%Y-%m}.xlsx"'
    return response
