"""The structure import's 联席会议 (and its members), 街路 and 楼院三长 sheets: each row written through its
app's service."""

from __future__ import annotations

from typing import Any

from areas.models import Area
from categories.models import Category
from councils.models import Council
from councils.services import council_create, seat_add
from estates.models import Steward
from estates.services import steward_appoint
from spreadsheets.structure_layout import COUNCILS, SEATS, STEWARDS, STREETS
from spreadsheets.structure_rows import RowProblem, RowWriter
from streets.models import Street
from streets.services import street_bind, street_create, street_set_head


class LocalWriter(RowWriter):
    # ---- 联席会议 ---------------------------------------------------------------------------------------------
    def councils(self) -> None:
        def write(v: dict[str, Any]) -> bool:
            area = self.area("所在区域代码", v["area"], (Area.Kind.SUBDISTRICT, Area.Kind.COMMUNITY))
            convenor = self.person("召集人姓名", v["convenor_name"], v["convenor_phone"])
            existing = Council.objects.filter(area=area, name=v["name"]).first()
            if existing is not None:
                return self.unchanged(
                    (existing.kind, existing.convenor_id, existing.charter),
                    (v["kind"], convenor.pk if convenor else None, v["charter"]),
                    "名称",
                    "该区域已有同名联席会议，内容不同（导入只新增）",
                )
            council_create(
                user=self.actor,
                area=area,
                kind=v["kind"],
                name=v["name"],
                convenor=convenor,
                charter=v["charter"],
            )
            return True

        self.each(COUNCILS, write)

    def seats(self) -> None:
        def write(v: dict[str, Any]) -> bool:
            area = self.area("所在区域代码", v["area"])
            council = Council.objects.filter(area=area, name=v["council"]).first()
            if council is None:
                raise RowProblem("会议名称", f"{area.name}没有“{v['council']}”（请先在「联席会议」表中登记）")
            unit = self.unit("成员单位代码", v["unit"]) if v["unit"] else None
            person = self.person("成员姓名", v["person_name"], v["person_phone"])
            if (unit is None) == (person is None):
                raise RowProblem("成员单位代码", "成员单位和成员姓名须填且只填一个")
            existing = council.seats.filter(unit=unit, person=person).first()
            if existing is not None:
                return self.unchanged(
                    (existing.post,), (v["post"],), "职务", "已是成员，职务不同（导入只新增）"
                )
            seat_add(user=self.actor, council_id=council.pk, unit=unit, person=person, post=v["post"])
            return True

        self.each(SEATS, write)

    # ---- 街长制 -----------------------------------------------------------------------------------------------
    def streets(self) -> None:
        def write(v: dict[str, Any]) -> bool:
            community = self.area("社区代码", v["community"], (Area.Kind.COMMUNITY,))
            grids = [self.area("途经网格代码", c, (Area.Kind.GRID,)) for c in v["grids"]]
            head = self.person("街长姓名", v["head_name"], v["head_phone"])
            lead = self.unit("牵头部门代码", v["lead_unit"]) if v["lead_unit"] else None
            units = [self.unit("包保部门代码", c) for c in v["units"]]
            categories = list(Category.objects.filter(code__in=v["categories"], parent__isnull=True))
            missing = set(v["categories"]) - {c.code for c in categories}
            if missing:
                raise RowProblem("负责类别代码", f"一级类别代码“{'、'.join(sorted(missing))}”不存在")
            if (units or categories) and lead is None:
                raise RowProblem("牵头部门代码", "填了包保部门或负责类别时须填牵头部门")
            existing = Street.objects.filter(
                community=community, name=v["name"], section=v["section"]
            ).first()
            if existing is not None:
                return self.unchanged(
                    (
                        {g.pk for g in existing.grids.all()},
                        existing.head_id,
                        existing.lead_unit_id,
                        {u.pk for u in existing.units.all()},
                        {c.pk for c in existing.categories.all()},
                    ),
                    (
                        {g.pk for g in grids},
                        head.pk if head else None,
                        lead.pk if lead else None,
                        ({lead.pk} if lead else set()) | {u.pk for u in units},
                        {c.pk for c in categories},
                    ),
                    "街路名称",
                    "该社区已登记这条街路，内容不同（导入只新增）",
                )
            street = street_create(
                user=self.actor, community=community, name=v["name"], section=v["section"], grids=grids
            )
            if head is not None:
                street_set_head(user=self.actor, street_id=street.pk, person=head)
            if lead is not None:
                street_bind(
                    user=self.actor, street_id=street.pk, lead_unit=lead, categories=categories, units=units
                )
            return True

        self.each(STREETS, write)

    # ---- 楼院三长 ---------------------------------------------------------------------------------------------
    def stewards(self) -> None:
        def write(v: dict[str, Any]) -> bool:
            building = self.building("楼栋代码", v["building"])
            person = self.person("姓名", v["person_name"], v["person_phone"])
            assert person is not None
            numbers = v["households"]
            households = dict(building.households.filter(number__in=numbers).values_list("number", "pk"))
            unknown = [n for n in numbers if n not in households]
            if unknown:
                raise RowProblem("联系户房号", f"{building.name}没有房号“{'、'.join(unknown)}”")
            start, end = v["appointed_on"], v["term_ends_on"]
            years = end.year - start.year
            if not 1 <= years <= 5 or start.replace(year=end.year) != end:
                raise RowProblem("任期至", "任期须是聘任日期之后整 1 至 5 年的同一天")
            existing = Steward.objects.filter(letter_no=v["letter_no"]).first() if v["letter_no"] else None
            if existing is not None:
                mine = (
                    existing.building_id,
                    existing.post,
                    existing.entrance,
                    existing.person_id,
                    existing.appointed_on,
                    existing.term_ends_on,
                )
                covered = set(existing.households.values_list("pk", flat=True))
                wanted = (building.pk, v["post"], v["entrance"], person.pk, start, end)
                return self.unchanged((mine, covered), (wanted, set(households.values())), "聘书编号")
            steward_appoint(
                user=self.actor,
                person=person,
                building=building,
                post=v["post"],
                households=list(households.values()),
                entrance=v["entrance"],
                appointed_on=start,
                years=years,
                letter_no=v["letter_no"],
            )
            return True

        self.each(STEWARDS, write)
