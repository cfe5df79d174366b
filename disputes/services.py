"""One service function per step of the mediation loop, up to the outcome; nothing else changes a case's status.

Each stands on ``linli.steps`` through ``disputes.steps``: one transaction, the row locked, the status checked
against ``workflow.TRANSITIONS`` (409), the actor against ``scope.may`` (403), bad input a ``ValidationError``
with field names (400), the row saved with ``update_fields``, a ``CaseEvent`` written, notifications sent.
The agreement, its follow-ups, closing and rating are in ``disputes.outcome``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction

from access.scope import Scope
from appeals.models import Appeal
from appeals.selectors import visible_appeals
from areas.models import Area, Building
from categories.deadlines import add_working_days
from disputes import recipients
from disputes.models import Case, DisputeKind, Level, Member, Party, Referral, Risk, Session, Source, Status
from disputes.parties import clean_parties
from disputes.scope import may_register
from disputes.selectors import team_candidates
from disputes.steps import CASES, begin, record, url
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from linli.steps import after_commit
from linli.text import required_text
from notifications.services import notify
from people.models import Person


def _alert_risk(case: Case, note: str) -> None:
    after_commit(
        notify,
        users=recipients.risk_alerted(case),
        title=f"【可能激化】{case.community.name}：{case.title}",
        body=note or "该纠纷被标记为可能激化，请社区和民警立即介入。",
        url=url(case),
    )


def _place(community: Area | None, grid: Area | None, building: Building | None) -> tuple[Area, Area | None]:
    if building is not None:
        if grid is not None and building.grid_id != grid.pk:
            raise ValidationError({"building": "楼栋不在所选网格内"})
        grid = building.grid
    if grid is not None:
        if grid.kind != Area.Kind.GRID:
            raise ValidationError({"grid": "请选择网格"})
        found = grid.ancestor_of_kind(Area.Kind.COMMUNITY)
        if community is not None and found is not None and found.pk != community.pk:
            raise ValidationError({"grid": "网格不在所选社区内"})
        community = found
    if community is None or community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "请选择纠纷发生的社区或网格"})
    return community, grid


# ---- 登记 --------------------------------------------------------------------------------------------------
@transaction.atomic
def case_register(
    *,
    user,
    kind: DisputeKind,
    title: str,
    summary: str,
    parties: Sequence[dict],
    source: str = Source.VISIT,
    community: Area | None = None,
    grid: Area | None = None,
    building: Building | None = None,
    place: str = "",
    risk: str = Risk.LOW,
    may_escalate: bool = False,
    referred_by: str = "",
    appeal: Appeal | None = None,
) -> Case:
    """登记 a dispute: by the community's mediation staff (a grid worker on a visit, the hotline, a case handed
    down), or by a resident bringing their own dispute (then they are its applicant)."""
    scope = Scope.of(user)
    community, grid = _place(community, grid, building)
    if kind is None or not kind.active:
        raise ValidationError({"kind": "请选择纠纷类型"})
    if source not in Source.values:
        raise ValidationError({"source": "请选择案件来源"})
    if risk not in Risk.values:
        raise ValidationError({"risk": "请选择风险等级"})
    staff = may_register(scope, community, grid)
    person = scope.person
    if not staff:
        if person is None or person.community_id != community.pk:
            raise PermissionDenied("您没有权限登记这个社区的纠纷")
        source = Source.RESIDENT
    if source == Source.APPEAL and appeal is None:
        raise ValidationError({"source": "诉求转入的案件须由诉求页面“转为纠纷案件”登记"})
    if source == Source.REFERRAL:
        referred_by = required_text(referred_by, "referred_by", "交办单位", 100)
    rows = clean_parties(scope, parties, community=community, own=None if staff else person)
    now = clock.now()
    case = Case.objects.create(
        kind=kind,
        title=required_text(title, "title", "纠纷简题", 120),
        summary=required_text(summary, "summary", "纠纷概况"),
        source=source,
        appeal=appeal,
        referred_by=referred_by.strip(),
        community=community,
        grid=grid,
        building=building,
        place=(place or "").strip()[:120],
        area_path=(grid or community).path,
        risk=risk,
        may_escalate=may_escalate,
        level=Level.GRID if grid is not None else Level.COMMUNITY,
        registered_at=now,
        registered_by=user if getattr(user, "is_authenticated", False) else None,
    )
    for row in rows:
        Party.objects.create(case=case, **row)
    record(case, user=user, action="register", from_status="", note=str(Source(source).label))
    after_commit(
        notify,
        users=recipients.community_staff(case),
        title=f"新纠纷待受理：{case.title}",
        body=f"{case.kind.name} · {Source(source).label}",
        url=url(case),
    )
    if may_escalate:
        _alert_risk(case, f"登记时标记为可能激化：{case.summary[:200]}")
    return case


@transaction.atomic
def case_convert_appeal(
    *, user, appeal_id: int, kind: DisputeKind, respondent: dict, summary: str = "", risk: str = Risk.LOW
) -> Case:
    """诉求转为纠纷案件: the appeal's raiser is the applicant and its text the statement; the appeal keeps its own
    timeline and status, and both link to each other (``Case.appeal``)."""
    scope = Scope.of(user)
    appeal = (
        visible_appeals(scope)
        .select_for_update(of=("self",))
        .select_related("community", "grid", "building", "raised_by")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None:
        raise ValidationError({"appeal": "诉求不存在"})
    if Case.objects.filter(appeal=appeal).exists():
        raise TransitionError("这件诉求已转为纠纷案件")
    if not may_register(scope, appeal.community, appeal.grid):
        raise PermissionDenied("您没有权限把这件诉求转为纠纷案件")
    raiser = appeal.raised_by
    applicant = {
        "side": Party.Side.APPLICANT,
        "person": raiser,
        "name": raiser.name,
        "phone": raiser.phone,
        "statement": appeal.body,
    }
    return case_register(
        user=user,
        kind=kind,
        title=appeal.title,
        summary=summary or appeal.body,
        parties=[applicant, {"side": Party.Side.RESPONDENT, **respondent}],
        source=Source.APPEAL,
        community=appeal.community,
        grid=appeal.grid,
        building=appeal.building,
        place=appeal.address,
        risk=risk,
        appeal=appeal,
    )


# ---- 受理、包案、团队 -------------------------------------------------------------------------------------------
def _set_team(case: Case, owner: Person | None, members: Iterable[tuple[Person, str]]) -> list[Member]:
    allowed = set(team_candidates(case).values_list("pk", flat=True))
    if owner is None:
        raise ValidationError({"owner": "请选择包案人"})
    if owner.pk not in allowed:
        raise ValidationError({"owner": f"{owner.name} 不是本社区的调解力量，不能包案"})
    wanted: dict[int, tuple[Person, str]] = {}
    for person, duty in members:
        if duty not in Member.Duty.values:
            raise ValidationError({"members": "请选择团队成员的职责"})
        if person.pk not in allowed and duty != Member.Duty.OTHER:
            raise ValidationError(
                {"members": f"{person.name} 不在本社区的调解力量名单中（可作为“其他”成员加入）"}
            )
        wanted[person.pk] = (person, duty)
    if not wanted:
        raise ValidationError({"members": "请至少选择一名团队成员"})
    case.members.exclude(person_id__in=wanted).delete()
    kept = {m.person_id: m for m in case.members.all()}
    out = []
    for pk, (person, duty) in wanted.items():
        member = kept.get(pk)
        if member is None:
            member = Member.objects.create(case=case, person=person, duty=duty)
        elif member.duty != duty:
            member.duty = duty
            member.save(update_fields=["duty"])
        out.append(member)
    return out


def _team_note(owner: Person, members: list[Member]) -> str:
    names = "、".join(f"{m.person.name}（{m.get_duty_display()}）" for m in members)
    return f"包案人：{owner.name}；团队：{names}"


def _due(case: Case, now: datetime) -> datetime:
    return add_working_days(now, case.kind.working_days)


@transaction.atomic
def case_accept(
    *, user, case_id: int, owner: Person | None, members: Iterable[tuple[Person, str]], note: str = ""
) -> Case:
    case, _ = begin(user, case_id, "accept")
    before, now = case.status, clock.now()
    team = _set_team(case, owner, members)
    assert owner is not None  # _set_team refused a missing owner
    case.status, case.owner, case.accepted_at = Status.ACCEPTED, owner, now
    case.due_at, case.overdue = _due(case, now), False
    CASES.save(case, "status", "owner", "accepted_at", "due_at", "overdue", "updated_at")
    text = _team_note(owner, team) + (f"；{note.strip()}" if note.strip() else "")
    record(case, user=user, action="accept", from_status=before, note=text)
    after_commit(
        notify,
        users=recipients.team(case),
        title=f"您已加入纠纷调解团队：{case.title}",
        body=f"{text}；调解时限 {case.due_at:%Y-%m-%d}",
        url=url(case),
    )
    return case


@transaction.atomic
def case_assign(
    *, user, case_id: int, owner: Person | None, members: Iterable[tuple[Person, str]], note: str = ""
) -> Case:
    case, _ = begin(user, case_id, "assign")
    team = _set_team(case, owner, members)
    assert owner is not None  # _set_team refused a missing owner
    case.owner = owner
    CASES.save(case, "owner", "updated_at")
    text = _team_note(owner, team)
    record(case, user=user, action="assign", from_status=case.status, note=text)
    after_commit(
        notify, users=recipients.team(case), title=f"调解团队已调整：{case.title}", body=text, url=url(case)
    )
    return case


# ---- 调解 -------------------------------------------------------------------------------------------------
@transaction.atomic
def case_session(
    *,
    user,
    case_id: int,
    held_at: datetime,
    place: str,
    notes: str,
    member_ids: Iterable[int] = (),
    party_ids: Iterable[int] = (),
    others: str = "",
) -> Session:
    case, _ = begin(user, case_id, "session")
    now = clock.now()
    if held_at is None or held_at > now:
        raise ValidationError({"held_at": "调解时间不能晚于现在"})
    if held_at < case.registered_at.replace(second=0, microsecond=0):  # a form gives minutes
        raise ValidationError({"held_at": "调解时间不能早于案件登记时间"})
    members = list(case.members.filter(pk__in=list(member_ids)))
    present = list(case.parties.filter(pk__in=list(party_ids)))
    if not members:
        raise ValidationError({"members": "请勾选到场的调解团队成员"})
    session = Session.objects.create(
        case=case,
        held_at=held_at,
        place=required_text(place, "place", "调解地点", 120),
        notes=required_text(notes, "notes", "调解记录"),
        others=(others or "").strip()[:200],
        recorded_by=user,
    )
    session.members.set(members)
    session.parties.set(present)
    before = case.status
    case.status = Status.MEDIATING
    CASES.save(case, "status", "updated_at")
    who = "、".join([m.person.name for m in members] + [p.name for p in present])
    record(
        case,
        user=user,
        action="session",
        from_status=before,
        note=f"{held_at:%m-%d %H:%M} {session.place}：{who}",
    )
    return session


@transaction.atomic
def case_escalate(*, user, case_id: int, reason: str) -> Case:
    case, _ = begin(user, case_id, "escalate")
    if case.level >= Level.SUBDISTRICT:
        raise ValidationError({"level": "已在街道调处，不能再升级；调解不成请移交"})
    reason = required_text(reason, "reason", "升级原因")
    case.level += 1
    CASES.save(case, "level", "updated_at")
    label = Level(case.level).label
    record(case, user=user, action="escalate", from_status=case.status, note=f"升级至{label}：{reason}")
    users = (
        recipients.subdistrict_staff(case)
        if case.level == Level.SUBDISTRICT
        else recipients.community_staff(case)
    )
    after_commit(
        notify,
        users=list(users) + recipients.team(case),
        title=f"纠纷升级至{label}：{case.title}",
        body=reason,
        url=url(case),
    )
    return case


@transaction.atomic
def case_flag_risk(*, user, case_id: int, risk: str, may_escalate: bool, note: str = "") -> Case:
    case, _ = begin(user, case_id, "flag_risk")
    if risk not in Risk.values:
        raise ValidationError({"risk": "请选择风险等级"})
    newly = may_escalate and not case.may_escalate
    case.risk, case.may_escalate = risk, may_escalate
    CASES.save(case, "risk", "may_escalate", "updated_at")
    text = f"风险等级：{Risk(risk).label}{'，可能激化' if may_escalate else ''}" + (
        f"；{note.strip()}" if note.strip() else ""
    )
    record(case, user=user, action="flag_risk", from_status=case.status, note=text)
    if newly:
        _alert_risk(case, text)
    return case


# ---- 调解不成、撤销 -------------------------------------------------------------------------------------------
@transaction.atomic
def case_refer(*, user, case_id: int, to: str, note: str) -> Case:
    case, _ = begin(user, case_id, "refer")
    if to not in Referral.values:
        raise ValidationError({"to": "请选择移交去向：司法所、诉讼、仲裁或职能部门"})
    note = required_text(note, "note", "调解不成的原因和移交情况")
    before = case.status
    case.status, case.referral, case.referral_note, case.closed_at = Status.REFERRED, to, note, clock.now()
    CASES.save(case, "status", "referral", "referral_note", "closed_at", "updated_at")
    record(case, user=user, action="refer", from_status=before, note=f"移交{Referral(to).label}：{note}")
    after_commit(
        notify,
        users=recipients.parties(case) + recipients.team(case),
        title=f"纠纷调解未达成协议，已移交{Referral(to).label}：{case.title}",
        body=note,
        url=url(case),
    )
    return case


@transaction.atomic
def case_withdraw(*, user, case_id: int, reason: str) -> Case:
    case, _ = begin(user, case_id, "withdraw")
    reason = required_text(reason, "reason", "撤销原因（当事人撤回、不属于调解范围等）")
    before = case.status
    case.status, case.closed_at = Status.WITHDRAWN, clock.now()
    CASES.save(case, "status", "closed_at", "updated_at")
    record(case, user=user, action="withdraw", from_status=before, note=reason)
    return case
