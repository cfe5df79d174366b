"""A case's parties as they are entered: residents from the register (by choice or by name and phone) or others
(a tenant, a firm, someone from elsewhere), each with contact, household and what they say."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError

from access.scope import Scope
from areas.models import Area, Household
from disputes.models import Party
from linli.errors import ValidationError
from people.models import Person, phone_validator

MAX_PARTIES = 10


def _person(scope: Scope, value: Any) -> Person | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Person) else value
    found = scope.persons().filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise ValidationError({"parties": "所选居民不在名册中或不在您的范围内"})
    return found


def _household(scope: Scope, value: Any, person: Person | None) -> Household | None:
    if value not in (None, ""):
        pk = value.pk if isinstance(value, Household) else value
        found = scope.households().filter(pk=pk).first() if str(pk).isdigit() else None
        if found is None:
            raise ValidationError({"parties": "所选住户不在您的范围内"})
        return found
    if person is not None:
        membership = person.memberships.select_related("household__building").first()
        return membership.household if membership else None
    return None


def clean_parties(
    scope: Scope, parties: Sequence[dict], *, community: Area, own: Person | None = None
) -> list[dict]:
    """The rows to create. ``own``: a resident bringing their own dispute (they are the applicant, and they
    cannot pick others from the register)."""
    rows: list[dict] = []
    for i, raw in enumerate(parties, start=1):
        name = (raw.get("name") or "").strip()
        phone = (raw.get("phone") or "").strip()
        side = raw.get("side") or Party.Side.APPLICANT
        if side not in Party.Side.values:
            raise ValidationError({"parties": f"第 {i} 位当事人的身份无效"})
        person = None if own is not None else _person(scope, raw.get("person"))
        if person is None and own is None and phone and name:
            person = scope.persons().filter(phone=phone, name=name).first()  # matched on the register
        if person is not None:
            name, phone = name or person.name, phone or person.phone
        if not name:
            if not phone and not (raw.get("statement") or "").strip():
                continue  # an empty row of the form
            raise ValidationError({"parties": f"请填写第 {i} 位当事人的姓名"})
        if phone:
            try:
                phone_validator(phone)
            except DjangoValidationError:
                raise ValidationError(
                    {"parties": f"{name} 的电话格式不对（11 位手机号或带区号的固定电话）"}
                ) from None
        household = None if own is not None else _household(scope, raw.get("household"), person)
        address = (raw.get("address") or "").strip() or (str(household) if household else "")
        rows.append(
            {
                "side": side,
                "person": person,
                "name": name[:80],
                "phone": phone,
                "household": household,
                "address": address[:160],
                "statement": (raw.get("statement") or "").strip()[:5000],
            }
        )
    if own is not None and not any(r["name"] == own.name and r["side"] == Party.Side.APPLICANT for r in rows):
        rows.insert(0, {"side": Party.Side.APPLICANT, "name": own.name, "phone": own.phone, "statement": ""})
    if own is not None:
        mine = next(r for r in rows if r["name"] == own.name and r["side"] == Party.Side.APPLICANT)
        membership = own.memberships.select_related("household__building").first()
        mine.update(
            person=own,
            phone=mine["phone"] or own.phone,
            household=membership.household if membership else None,
        )
        mine["address"] = mine.get("address") or (str(mine["household"]) if mine["household"] else "")
    if len(rows) < 2:
        raise ValidationError({"parties": "纠纷至少有两方当事人：请填写双方的姓名"})
    if len(rows) > MAX_PARTIES:
        raise ValidationError({"parties": f"当事人最多 {MAX_PARTIES} 位"})
    return rows
