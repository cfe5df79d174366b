"""Writes of 共建: agreements and their pledges, kept by the community's staff on the product's pages."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from access.scope import Scope
from areas.models import Area
from audit.models import record
from cobuilding.models import Agreement, Pledge
from cobuilding.scope import agreements, keeps_agreement, keeps_structure
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from units.models import CoBuildingLink, PartyOrg, Unit
from units.services import co_building_link_create


@transaction.atomic
def agreement_create(
    *,
    user,
    community: Area,
    unit: Unit,
    title: str,
    starts_on: date,
    ends_on: date,
    party_org: PartyOrg | None = None,
) -> Agreement:
    scope = Scope.of(user)
    if community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "共建对象必须是社区"})
    if not keeps_structure(scope, community):
        raise PermissionDenied(f"只有{community.name}的工作人员可以登记共建协议")
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写协议名称"
    if ends_on < starts_on:
        errors["ends_on"] = "截止日期不能早于起始日期"
    if not unit.is_active:
        errors["unit"] = f"{unit.name} 已停用"
    if party_org is not None and party_org.unit_id != unit.pk:
        errors["party_org"] = f"{party_org.name} 不是 {unit.name} 的党组织"
    overlapping = Agreement.objects.filter(
        unit=unit, community=community, ended_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if not errors and overlapping.exists():
        errors["starts_on"] = f"{unit.name} 与{community.name}已有期限重叠的共建协议"
    if errors:
        raise ValidationError(errors)
    if party_org is None:
        party_org = unit.party_orgs.order_by("code").first()
    agreement = Agreement.objects.create(
        unit=unit,
        party_org=party_org,
        community=community,
        title=title.strip()[:120],
        starts_on=starts_on,
        ends_on=ends_on,
        signed_by=user,
        created_at=clock.now(),
    )
    # The party org's co-building link (联建) is what lets the unit claim the community's projects.
    if (
        party_org is not None
        and not CoBuildingLink.objects.filter(party_org=party_org, community=community).exists()
    ):
        co_building_link_create(
            actor=user, party_org=party_org, community=community, since=starts_on, note=title
        )
    record(actor=user, action="create", obj=agreement, summary=f"共建协议 {unit.name} ↔ {community.name}")
    return agreement


def _kept(user, agreement_id: int) -> Agreement:
    scope = Scope.of(user)
    agreement = agreements(scope).select_for_update(of=("self",)).filter(pk=agreement_id).first()
    if agreement is None:
        raise ValidationError({"agreement": "共建协议不存在"})
    if not keeps_agreement(scope, agreement):
        raise PermissionDenied(f"只有{agreement.community.name}的工作人员可以修改共建协议")
    return agreement


@transaction.atomic
def pledge_add(
    *,
    user,
    agreement_id: int,
    kind: str,
    description: str,
    amount_fen: int = 0,
    people: int = 0,
    hours_per_year: int = 0,
) -> Pledge:
    agreement = _kept(user, agreement_id)
    if agreement.ended_at is not None:
        raise TransitionError("该共建协议已终止，不能再添加承诺（可能已被他人处理，请刷新）")
    errors: dict[str, str] = {}
    if kind not in Pledge.Kind.values:
        errors["kind"] = "请选择承诺类型"
    if not description.strip():
        errors["description"] = "请填写承诺内容"
    if min(amount_fen, people, hours_per_year) < 0:
        errors["amount_fen"] = "数量不能为负"
    if kind == Pledge.Kind.MONEY and amount_fen <= 0:
        errors["amount_fen"] = "资金承诺须填写金额"
    if errors:
        raise ValidationError(errors)
    pledge = Pledge.objects.create(
        agreement=agreement,
        kind=kind,
        description=description.strip()[:200],
        amount_fen=amount_fen,
        people=people,
        hours_per_year=hours_per_year,
    )
    record(actor=user, action="create", obj=pledge, summary=f"共建承诺 {agreement.unit.name}：{pledge}")
    return pledge


@transaction.atomic
def agreement_end(*, user, agreement_id: int, reason: str) -> Agreement:
    agreement = _kept(user, agreement_id)
    if agreement.ended_at is not None:
        raise TransitionError("该共建协议已终止（可能已被他人处理，请刷新）")
    if not reason.strip():
        raise ValidationError({"reason": "请填写终止原因"})
    agreement.ended_at, agreement.end_reason = clock.now(), reason.strip()[:200]
    agreement.save(update_fields=["ended_at", "end_reason"])
    record(actor=user, action="update", obj=agreement, summary=f"终止共建协议 {agreement}", reason=reason)
    return agreement
