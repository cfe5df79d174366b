"""Writes of 小区: the compound and its buildings, its bodies (自管会, 业委会, 物业) and their members.

Each service runs in one transaction, locks the row it changes (a body through ``BODIES``, ``linli.steps.Loop``:
a wrong state first, 409; then the right, 403; then the input, 400), saves with ``update_fields`` and writes a
``CompoundEvent`` (and an audit row for the register). Elections are in ``compounds.elections``, ratings in
``compounds.ratings``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from access.scope import Scope
from appeals.selectors import units_serving
from areas.models import Area, Building, code_validator
from audit.models import record
from compounds.models import Body, Compound, CompoundEvent, Member
from compounds.scope import keeps
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from linli.steps import Loop
from linli.text import required_text
from people.models import HouseholdMember, Person
from units.models import PartyOrg, Unit

B = Body.Status
BODIES: Loop[Body] = Loop(
    model=Body,
    noun="小区组织",
    transitions={"add_member": [B.ACTIVE], "end": [B.ACTIVE]},
    labels={"add_member": "增补成员", "end": "办理卸任"},
    event_model=CompoundEvent,
    event_fk="body",
    related=("compound__community", "firm"),
    key="body",
)
COMMITTEE_POSTS = (Member.Post.DIRECTOR, Member.Post.DEPUTY, Member.Post.MEMBER, Member.Post.SECRETARY)
PROPERTY_POSTS = (Member.Post.MANAGER, Member.Post.HOUSEKEEPER, Member.Post.STAFF)
MAX_TERM_YEARS = {Body.Kind.OWNERS_COMMITTEE: 5, Body.Kind.SELF_MANAGEMENT: 5, Body.Kind.PROPERTY: 10}


def event(compound: Compound, *, user, action: str, note: str = "", **links) -> CompoundEvent:
    """The event row of a change that has no state of its own (the compound, a member, a rating)."""
    return CompoundEvent.objects.create(
        compound=compound,
        at=clock.now(),
        actor=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        note=note,
        **links,
    )


def lock_compound(compound_id: int) -> Compound:
    try:
        return (
            Compound.objects.select_for_update(of=("self",)).select_related("community").get(pk=compound_id)
        )
    except (Compound.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationError({"compound": "小区不存在"}) from exc


def require_keeper(user, compound: Compound, doing: str) -> Scope:
    scope = Scope.of(user)
    if not keeps(scope, compound):
        raise PermissionDenied(f"只有{compound.community.name}的社区工作者可以{doing}")
    return scope


def _check_buildings(compound: Compound | None, community: Area, buildings: list[Building]) -> list[str]:
    errors = []
    outside = [b.name for b in buildings if not b.grid.path.startswith(community.path)]
    if outside:
        errors.append(f"{'、'.join(outside)}不在{community.name}")
    taken = [
        f"{b.name}（已属{b.compound.name}）"
        for b in buildings
        if b.compound is not None and (compound is None or b.compound_id != compound.pk)
    ]
    if taken:
        errors.append(f"{'、'.join(taken)}，请先从原小区移出")
    return errors


def _buildings(ids: Iterable[Building | int]) -> list[Building]:
    pks = [b.pk if isinstance(b, Building) else b for b in ids]
    found = list(Building.objects.filter(pk__in=pks).select_related("grid", "compound").order_by("code"))
    if len(found) != len(set(pks)):
        raise ValidationError({"buildings": "所选楼栋不存在"})
    return found


@transaction.atomic
def compound_create(
    *,
    user,
    community: Area,
    code: str,
    name: str,
    kind: str,
    address: str = "",
    buildings: Iterable[Building | int] = (),
) -> Compound:
    """登记小区: a compound of the community with the buildings it contains (in one or several grids)."""
    if community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "小区须属于一个社区"})
    scope = Scope.of(user)
    if not keeps(scope, Compound(community=community)):
        raise PermissionDenied(f"只有{community.name}的社区工作者可以登记小区")
    errors: dict[str, str] = {}
    code = (code or "").strip()
    try:
        code_validator(code)
    except ValidationError:
        errors["code"] = "代码只能包含字母、数字、点、横线和下划线（不超过 40 位）"
    if not code:
        errors["code"] = "请填写小区代码"
    elif Compound.objects.filter(code=code).exists():
        errors["code"] = f"代码 {code} 已被使用"
    name = (name or "").strip()[:100]
    if not name:
        errors["name"] = "请填写小区名称"
    elif Compound.objects.filter(community=community, name=name).exists():
        errors["name"] = f"{community.name}已登记{name}"
    if kind not in Compound.Kind.values:
        errors["kind"] = "请选择小区类型"
    chosen = _buildings(buildings)
    problems = _check_buildings(None, community, chosen)
    if problems:
        errors["buildings"] = "；".join(problems)
    if errors:
        raise ValidationError(errors)
    compound = Compound.objects.create(
        community=community,
        code=code,
        name=name,
        kind=kind,
        address=(address or "").strip()[:200],
        created_at=clock.now(),
    )
    Building.objects.filter(pk__in=[b.pk for b in chosen]).update(compound=compound)
    event(compound, user=user, action="create", note=f"登记小区，楼栋 {len(chosen)} 栋")
    record(actor=user, action="create", obj=compound, summary=f"登记小区 {name}", buildings=len(chosen))
    return compound


@transaction.atomic
def compound_update(*, user, compound_id: int, name: str, kind: str, address: str = "") -> Compound:
    compound = lock_compound(compound_id)
    require_keeper(user, compound, "修改小区")
    errors: dict[str, str] = {}
    name = (name or "").strip()[:100]
    if not name:
        errors["name"] = "请填写小区名称"
    elif Compound.objects.filter(community=compound.community, name=name).exclude(pk=compound.pk).exists():
        errors["name"] = f"{compound.community.name}已登记{name}"
    if kind not in Compound.Kind.values:
        errors["kind"] = "请选择小区类型"
    if errors:
        raise ValidationError(errors)
    compound.name, compound.kind, compound.address = name, kind, (address or "").strip()[:200]
    compound.save(update_fields=["name", "kind", "address"])
    event(compound, user=user, action="update", note=f"{name}（{compound.get_kind_display()}）")
    record(actor=user, action="update", obj=compound, summary=f"修改小区 {name}")
    return compound


@transaction.atomic
def compound_set_buildings(*, user, compound_id: int, buildings: Iterable[Building | int]) -> Compound:
    """The buildings the compound contains (any grids of its community); buildings left out leave it."""
    compound = lock_compound(compound_id)
    require_keeper(user, compound, "调整小区楼栋")
    chosen = _buildings(buildings)
    problems = _check_buildings(compound, compound.community, chosen)
    if problems:
        raise ValidationError({"buildings": "；".join(problems)})
    keep = [b.pk for b in chosen]
    Building.objects.filter(compound=compound).exclude(pk__in=keep).update(compound=None)
    Building.objects.filter(pk__in=keep).update(compound=compound)
    names = "、".join(b.name for b in chosen) or "（无）"
    event(compound, user=user, action="buildings", note=f"楼栋：{names}"[:2000])
    record(actor=user, action="update", obj=compound, summary=f"{compound.name} 楼栋 {len(chosen)} 栋")
    return compound


# ---- bodies -------------------------------------------------------------------------------------------------
def _term(kind: str, starts_on: date | None, ends_on: date | None) -> tuple[date, date]:
    if starts_on is None:
        raise ValidationError({"starts_on": "请填写任期（合同）开始日期"})
    if ends_on is None:
        raise ValidationError({"ends_on": "请填写任期（合同）届满日期"})
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "届满日期须晚于开始日期"})
    years = MAX_TERM_YEARS[Body.Kind(kind)]
    if (ends_on - starts_on).days > 366 * years:
        raise ValidationError({"ends_on": f"{Body.Kind(kind).label}任期不超过 {years} 年"})
    return starts_on, ends_on


def _next_term(compound: Compound, kind: str) -> int:
    last = Body.objects.filter(compound=compound, kind=kind).order_by("-term_no").first()
    return (last.term_no if last else 0) + 1


def end_body(body: Body, *, user, reason: str) -> None:
    now = clock.now()
    before = body.status
    body.status, body.ended_at, body.end_reason = B.ENDED, now, reason[:200]
    BODIES.save(body, "status", "ended_at", "end_reason")
    body.members.filter(left_at__isnull=True).update(left_at=now)
    BODIES.record(body, user=user, action="end", from_state=before, note=reason, compound=body.compound)


@transaction.atomic
def body_create(*, user, compound_id: int, kind: str, starts_on: date | None, ends_on: date | None) -> Body:
    """登记自管会或业委会 (one already in office when the compound comes onto the platform; later 业委会 terms
    come from elections)."""
    compound = lock_compound(compound_id)
    require_keeper(user, compound, "登记小区组织")
    if kind not in (Body.Kind.SELF_MANAGEMENT, Body.Kind.OWNERS_COMMITTEE):
        raise ValidationError({"kind": "请选择自管会或业委会（物业请选聘物业服务企业）"})
    current = Body.objects.filter(compound=compound, kind=kind, status=B.ACTIVE).first()
    if current is not None:
        raise TransitionError(f"{compound.name}已有在任的{current.get_kind_display()}，请先办理卸任或换届")
    starts_on, ends_on = _term(kind, starts_on, ends_on)
    body = Body.objects.create(
        compound=compound,
        kind=kind,
        term_no=_next_term(compound, kind),
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=clock.now(),
    )
    BODIES.record(body, user=user, action="create", from_state="", note=str(body), compound=compound)
    record(actor=user, action="create", obj=body, summary=f"登记 {body}")
    return body


def default_party_org(firm: Unit) -> PartyOrg | None:
    """The firm's own party organisation (its branch first), which makes it a 红色物业."""
    orgs = list(PartyOrg.objects.filter(unit=firm))
    order = {PartyOrg.Kind.BRANCH: 0, PartyOrg.Kind.GENERAL_BRANCH: 1, PartyOrg.Kind.COMMITTEE: 2}
    return min(orgs, key=lambda o: (order.get(PartyOrg.Kind(o.kind), 3), o.pk), default=None)


@transaction.atomic
def firm_appoint(
    *,
    user,
    compound_id: int,
    firm: Unit,
    starts_on: date | None,
    ends_on: date | None,
    party_org: PartyOrg | None = None,
) -> Body:
    """选聘物业: the firm serves the compound under a contract; the firm serving it before is ended (换聘)."""
    compound = lock_compound(compound_id)
    require_keeper(user, compound, "选聘物业服务企业")
    errors: dict[str, str] = {}
    if firm.kind != Unit.Kind.PROPERTY_MANAGER:
        errors["firm"] = f"{firm.name}不是物业服务企业"
    elif not units_serving(compound.community).filter(pk=firm.pk).exists():
        errors["firm"] = f"{firm.name}未登记服务{compound.community.name}（请先在单位信息中添加服务区域）"
    if party_org is None and "firm" not in errors:
        party_org = default_party_org(firm)
    elif party_org is not None and party_org.unit_id != firm.pk:
        errors["party_org"] = f"{party_org.name}不是{firm.name}的党组织"
    if errors:
        raise ValidationError(errors)
    starts_on, ends_on = _term(Body.Kind.PROPERTY, starts_on, ends_on)
    current = (
        Body.objects.select_for_update(of=("self",))
        .filter(compound=compound, kind=Body.Kind.PROPERTY, status=B.ACTIVE)
        .select_related("firm", "compound")
        .first()
    )
    if current is not None:
        if current.firm_id == firm.pk:
            raise TransitionError(f"{firm.name}已在服务{compound.name}")
        end_body(current, user=user, reason=f"物业更换为{firm.name}")
    body = Body.objects.create(
        compound=compound,
        kind=Body.Kind.PROPERTY,
        term_no=_next_term(compound, Body.Kind.PROPERTY),
        firm=firm,
        party_org=party_org,
        starts_on=starts_on,
        ends_on=ends_on,
        created_at=clock.now(),
    )
    red = f"，红色物业（{party_org.name}）" if party_org else ""
    BODIES.record(
        body, user=user, action="appoint", from_state="", note=f"{firm.name}{red}", compound=compound
    )
    record(actor=user, action="create", obj=body, summary=f"{compound.name} 选聘物业 {firm.name}")
    return body


@transaction.atomic
def body_end(*, user, body_id: int, reason: str) -> Body:
    """卸任 / 解聘: the body's term ends now, with its members."""
    body = BODIES.begin(body_id, "end", allowed=lambda b: keeps(Scope.of(user), b.compound))
    end_body(body, user=user, reason=required_text(reason, "reason", "卸任（解聘）原因", 200))
    record(actor=user, action="update", obj=body, summary=f"{body} 卸任", reason=body.end_reason)
    return body


def _owner_or_resident(person: Person, compound: Compound, *, owner: bool) -> bool:
    members = HouseholdMember.objects.filter(person=person, household__building__compound=compound)
    return (members.filter(is_owner=True) if owner else members).exists()


@transaction.atomic
def member_add(
    *,
    user,
    body_id: int,
    person: Person,
    post: str,
    starts_on: date | None = None,
    ends_on: date | None = None,
    votes: int | None = None,
) -> Member:
    body = BODIES.begin(body_id, "add_member", allowed=lambda b: keeps(Scope.of(user), b.compound))
    compound = body.compound
    errors: dict[str, str] = {}
    posts = PROPERTY_POSTS if body.kind == Body.Kind.PROPERTY else COMMITTEE_POSTS
    if post not in posts:
        errors["post"] = "请选择职务：" + "、".join(str(Member.Post(p).label) for p in posts)
    elif post == Member.Post.DIRECTOR and body.members.filter(post=post, left_at__isnull=True).exists():
        errors["post"] = f"{body}已有主任"
    if body.kind == Body.Kind.OWNERS_COMMITTEE and not _owner_or_resident(person, compound, owner=True):
        errors["person"] = f"{person.name}不是{compound.name}的业主，不能担任业委会成员"
    elif body.kind == Body.Kind.SELF_MANAGEMENT and not _owner_or_resident(person, compound, owner=False):
        errors["person"] = f"{person.name}不住在{compound.name}，不能担任自管会成员"
    if body.members.filter(person=person, left_at__isnull=True).exists():
        errors["person"] = f"{person.name}已是{body}成员"
    start = starts_on or max(clock.now().date(), body.starts_on)
    end = ends_on or body.ends_on
    if end <= start:
        errors["ends_on"] = "任期届满日期须晚于开始日期"
    elif end > body.ends_on:
        errors["ends_on"] = f"成员任期不能超过本届届满日期 {body.ends_on:%Y-%m-%d}"
    if errors:
        raise ValidationError(errors)
    member = Member.objects.create(
        body=body, person=person, post=post, starts_on=start, ends_on=end, votes=votes
    )
    BODIES.record(
        body,
        user=user,
        action="add_member",
        from_state=body.status,
        note=f"{person.name}（{member.get_post_display()}）",
        compound=compound,
    )
    return member


@transaction.atomic
def member_remove(*, user, member_id: int, reason: str) -> Member:
    """离任: the member leaves the body before the term ends (resigned, moved away …)."""
    try:
        member = (
            Member.objects.select_for_update(of=("self",))
            .select_related("body__compound__community", "person")
            .get(pk=member_id)
        )
    except (Member.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationError({"member": "成员不存在"}) from exc
    if member.left_at is not None:
        raise TransitionError(
            f"{member.person.name}已于 {member.left_at:%Y-%m-%d} 离任（可能已被他人处理，请刷新）"
        )
    require_keeper(user, member.body.compound, "办理成员离任")
    why = required_text(reason, "reason", "离任原因", 200)
    member.left_at = clock.now()
    member.save(update_fields=["left_at"])
    event(
        member.body.compound,
        user=user,
        action="remove_member",
        note=f"{member.person.name}（{member.get_post_display()}）离任：{why}",
        body=member.body,
    )
    return member
