"""The structure import's 党组织 and 共建 sheets (协议 and 承诺): each row written through its app's service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from areas.models import Area
from cobuilding.models import Agreement
from cobuilding.services import agreement_create, pledge_add
from spreadsheets.reader import RowError
from spreadsheets.structure_layout import AGREEMENTS, PARTY, PLEDGES
from spreadsheets.structure_rows import RowProblem, RowWriter
from spreadsheets.validate import EXISTS, OUT_OF_SCOPE
from units.models import PartyOrg
from units.services import party_org_create, party_org_update


class PartyWriter(RowWriter):
    # ---- 党组织 -----------------------------------------------------------------------------------------------
    def party(self) -> None:
        def write(v: dict[str, Any]) -> bool:
            existing = (
                PartyOrg.objects.select_related("parent", "area", "unit", "building")
                .filter(code=v["code"])
                .first()
            )
            if existing is not None:
                mine = (
                    existing.name,
                    existing.kind,
                    *(_code_of(existing, k) for k in ("parent", "area", "unit", "building")),
                )
                if existing.pk not in set(self.scope.party_orgs().values_list("pk", flat=True)):
                    raise RowProblem("代码", EXISTS)
                wanted = (v["name"], v["kind"], v["parent"], v["area"], v["unit"], v["building"])
                return self.unchanged(mine, wanted, "代码")
            parent = self.org("上级代码", v["parent"]) if v["parent"] else None
            area = self.area("所在区域代码", v["area"]) if v["area"] else None
            unit = self.unit("所在单位代码", v["unit"]) if v["unit"] else None
            building = self.building("所在楼栋代码", v["building"]) if v["building"] else None
            if area is None and building is not None:
                area = building.grid  # a 楼栋党小组 covers its building's grid
            if area is not None and not self.scope.can_create_under(area):
                raise RowProblem("所在区域代码", f"“{area.name}”{OUT_OF_SCOPE}")
            if area is None and unit is not None and not self.scope.can_change_unit(unit):
                raise RowProblem("所在单位代码", f"“{unit.name}”{OUT_OF_SCOPE}")
            party_org_create(
                actor=self.actor,
                kind=v["kind"],
                code=v["code"],
                name=v["name"],
                parent=parent,
                area=area,
                unit=unit,
                building=building,
            )
            self.orgs_made.add(v["code"])
            return True

        self.each(PARTY, write)

    def secretaries(self) -> None:
        """After the 人员 sheet: each organisation's secretary (new ones get theirs; an existing one must match)."""
        for number, v in self.parsed.rows.get(PARTY, []):
            try:
                with transaction.atomic():
                    org = PartyOrg.objects.filter(code=v["code"]).first()
                    if org is None:
                        continue  # the row already has its error
                    person = self.person("书记姓名", v["secretary_name"], v["secretary_phone"])
                    if v["code"] in self.orgs_made:
                        if person is not None:
                            party_org_update(actor=self.actor, org=org, secretary=person)
                    elif person != org.secretary:
                        raise RowProblem("书记姓名", EXISTS)
            except RowProblem as exc:
                self.out.errors.append(RowError(PARTY, number, exc.column, exc.message))
            except ValidationError as exc:
                self.out.errors.append(RowError(PARTY, number, "书记姓名", "；".join(exc.messages)))

    # ---- 共建 -------------------------------------------------------------------------------------------------
    def agreements(self) -> None:
        def write(v: dict[str, Any]) -> bool:
            unit = self.unit("共建单位代码", v["unit"])
            community = self.area("社区代码", v["community"], (Area.Kind.COMMUNITY,))
            org = self.org("单位党组织代码", v["party_org"]) if v["party_org"] else None
            existing = Agreement.objects.filter(unit=unit, community=community, title=v["title"]).first()
            if existing is not None:
                return self.unchanged(
                    (existing.starts_on, existing.ends_on, existing.party_org_id),
                    (v["starts_on"], v["ends_on"], org.pk if org else None),
                    "协议名称",
                    "该单位与社区已有同名协议，内容不同（导入只新增）",
                )
            if v["ends_on"] < v["starts_on"]:
                raise RowProblem("截止日期", "截止日期不能早于起始日期")
            agreement_create(
                user=self.actor,
                community=community,
                unit=unit,
                title=v["title"],
                starts_on=v["starts_on"],
                ends_on=v["ends_on"],
                party_org=org,
            )
            return True

        self.each(AGREEMENTS, write)

    def pledges(self) -> None:
        def write(v: dict[str, Any]) -> bool:
            unit = self.unit("共建单位代码", v["unit"])
            community = self.area("社区代码", v["community"], (Area.Kind.COMMUNITY,))
            agreement = Agreement.objects.filter(unit=unit, community=community, title=v["title"]).first()
            if agreement is None:
                raise RowProblem("协议名称", f"没有“{v['title']}”这份协议（请先在「共建协议」表中登记）")
            amounts = (v["amount"], v["people"], v["hours"])
            existing = agreement.pledges.filter(kind=v["kind"], description=v["description"]).first()
            if existing is not None:
                return self.unchanged(
                    (existing.amount_fen, existing.people, existing.hours_per_year),
                    amounts,
                    "内容",
                    "该协议已有同样内容的承诺，数量不同（导入只新增）",
                )
            pledge_add(
                user=self.actor,
                agreement_id=agreement.pk,
                kind=v["kind"],
                description=v["description"],
                amount_fen=v["amount"],
                people=v["people"],
                hours_per_year=v["hours"],
            )
            return True

        self.each(PLEDGES, write)


def _code_of(org: PartyOrg, attr: str) -> str:
    related = getattr(org, attr)
    return related.code if related is not None else ""
