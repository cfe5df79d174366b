"""The structure import's 小区 sheets: the compounds (with their buildings), their bodies in office (自管会, 业委会,
物业) and the bodies' members in office, each row written through ``compounds.services``."""

from __future__ import annotations

from typing import Any

from areas.models import Area
from compounds.models import Body, Compound
from compounds.services import body_create, compound_create, firm_appoint, member_add
from spreadsheets.structure_layout import BODIES, COMPOUNDS, MEMBERS
from spreadsheets.structure_rows import RowProblem, RowWriter


class CompoundWriter(RowWriter):
    def compound(self, column: str, code: str) -> Compound:
        found = Compound.objects.select_related("community").filter(code=code).first()
        if found is None:
            raise RowProblem(column, f"小区代码“{code}”不存在（请先在「小区」表中登记）")
        return found

    def current_body(self, compound: Compound, kind: str) -> Body | None:
        return Body.objects.filter(compound=compound, kind=kind, status=Body.Status.ACTIVE).first()

    def compounds(self) -> None:
        def write(v: dict[str, Any]) -> bool:
            community = self.area("社区代码", v["community"], (Area.Kind.COMMUNITY,))
            buildings = [self.building("楼栋代码", c) for c in v["buildings"]]
            existing = Compound.objects.filter(code=v["code"]).first()
            if existing is not None:
                return self.unchanged(
                    (
                        existing.community_id,
                        existing.name,
                        existing.kind,
                        existing.address,
                        set(existing.buildings.values_list("pk", flat=True)),
                    ),
                    (community.pk, v["name"], v["kind"], v["address"], {b.pk for b in buildings}),
                    "代码",
                )
            compound_create(
                user=self.actor,
                community=community,
                code=v["code"],
                name=v["name"],
                kind=v["kind"],
                address=v["address"],
                buildings=buildings,
            )
            return True

        self.each(COMPOUNDS, write)

    def bodies(self) -> None:
        def write(v: dict[str, Any]) -> bool:
            compound = self.compound("小区代码", v["compound"])
            firm = self.unit("物业服务企业代码", v["firm"]) if v["firm"] else None
            org = self.org("物业党组织代码", v["party_org"]) if v["party_org"] else None
            if (v["kind"] == Body.Kind.PROPERTY) != (firm is not None):
                raise RowProblem("物业服务企业代码", "物业须填物业服务企业代码，自管会和业委会不填")
            if org is not None and firm is None:
                raise RowProblem("物业党组织代码", "只有物业可填党组织")
            existing = self.current_body(compound, v["kind"])
            if existing is not None:
                return self.unchanged(
                    (
                        existing.firm_id,
                        existing.starts_on,
                        existing.ends_on,
                        existing.party_org_id if org is not None else None,  # a blank one keeps what it has
                    ),
                    (firm.pk if firm else None, v["starts_on"], v["ends_on"], org.pk if org else None),
                    "类型",
                    f"{compound.name}已有在任的{existing.get_kind_display()}，内容不同（导入只新增）",
                )
            if firm is not None:
                firm_appoint(
                    user=self.actor,
                    compound_id=compound.pk,
                    firm=firm,
                    starts_on=v["starts_on"],
                    ends_on=v["ends_on"],
                    party_org=org,
                )
            else:
                body_create(
                    user=self.actor,
                    compound_id=compound.pk,
                    kind=v["kind"],
                    starts_on=v["starts_on"],
                    ends_on=v["ends_on"],
                )
            return True

        self.each(BODIES, write)

    def members(self) -> None:
        def write(v: dict[str, Any]) -> bool:
            compound = self.compound("小区代码", v["compound"])
            body = self.current_body(compound, v["kind"])
            if body is None:
                label = Body.Kind(v["kind"]).label
                raise RowProblem(
                    "组织类型", f"{compound.name}没有在任的{label}（请先在「小区组织」表中登记）"
                )
            person = self.person("姓名", v["person_name"], v["person_phone"])
            assert person is not None
            existing = body.members.filter(person=person, left_at__isnull=True).first()
            if existing is not None:
                return self.unchanged(
                    (existing.post, existing.starts_on, existing.ends_on),
                    (v["post"], v["starts_on"] or existing.starts_on, v["ends_on"] or existing.ends_on),
                    "职务",
                    "已是成员，职务或任期不同（导入只新增）",
                )
            member_add(
                user=self.actor,
                body_id=body.pk,
                person=person,
                post=v["post"],
                starts_on=v["starts_on"],
                ends_on=v["ends_on"],
            )
            return True

        self.each(MEMBERS, write)
