"""Importing the structure sheets (``structure_layout``): every cell is parsed with the other sheets' checks; then,
inside the import's one transaction and after the register's rows, each row is written through its app's service
(which checks the right and the references, and writes the audit row) in a savepoint of its own. A row that fails
becomes a row error and the rows after it are still tried, so the file's every problem is reported at once; any
error rolls the whole import back, so the database is left exactly as it was.

Like the other sheets, the import only adds: a row whose key is already in the database (a party organisation's
code, an agreement's unit + community + name …) is skipped when identical and refused ("已存在") otherwise.
The party organisations are written before the 人员 sheet (people name their organisation) and get their
secretaries after it (a secretary is a person).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from access.scope import Scope
from areas.models import Area
from categories.models import Category
from cobuilding.models import Agreement
from cobuilding.services import agreement_create, pledge_add
from councils.models import Council
from councils.services import council_create, seat_add
from estates.models import Steward
from estates.services import steward_appoint
from people.models import Person
from spreadsheets import cells
from spreadsheets.cells import CellError
from spreadsheets.reader import RowError
from spreadsheets.structure_layout import (
    AGREEMENTS,
    COUNCIL_KIND_LABELS,
    COUNCILS,
    PARTY,
    PARTY_KIND_LABELS,
    PLEDGE_KIND_LABELS,
    PLEDGES,
    POST_LABELS,
    SEATS,
    SPECS,
    STEWARDS,
    STREETS,
)
from spreadsheets.validate import EXISTS, OUT_OF_SCOPE, Validator
from streets.models import Street
from streets.services import street_bind, street_create, street_set_head
from units.models import PartyOrg, Unit
from units.services import party_org_create, party_org_update

LATER = (
    AGREEMENTS,
    PLEDGES,
    COUNCILS,
    SEATS,
    STREETS,
    STEWARDS,
)  # written after the 人员 sheet, in this order
SAME = "与系统中已有的数据相同"


class RowProblem(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def day(value: Any) -> date | None:
    if cells.is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise CellError(f"“{text}”不是日期，请写成 2026-01-01")


def required_day(value: Any) -> date:
    found = day(value)
    if found is None:
        raise CellError("必填，不能为空")
    return found


def yuan(value: Any) -> int:
    if cells.is_blank(value):
        return 0
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise CellError(f"“{value}”不是金额") from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise CellError("金额须是非负数，最多两位小数")
    return int(amount * 100)


def _text(n: int, required: bool = False) -> Callable[[Any], str]:
    return lambda x: cells.text(x, max_length=n, required=required)


def _code(required: bool = False) -> Callable[[Any], str]:
    return lambda x: cells.code(x, required=required)


def _count(high: int) -> Callable[[Any], int]:
    return lambda x: cells.integer(x, low=0, high=high) or 0


PERSON = {"name": _text(50), "phone": lambda x: cells.text(x, max_length=20)}
PARSERS: dict[str, dict[str, Callable[[Any], Any]]] = {
    PARTY: {
        "code": _code(True),
        "name": _text(100, True),
        "kind": lambda x: cells.choice(x, PARTY_KIND_LABELS),
        "parent": _code(),
        "area": _code(),
        "unit": _code(),
        "building": _code(),
        "secretary_name": PERSON["name"],
        "secretary_phone": PERSON["phone"],
    },
    AGREEMENTS: {
        "unit": _code(True),
        "community": _code(True),
        "title": _text(120, True),
        "starts_on": required_day,
        "ends_on": required_day,
        "party_org": _code(),
    },
    PLEDGES: {
        "unit": _code(True),
        "community": _code(True),
        "title": _text(120, True),
        "kind": lambda x: cells.choice(x, PLEDGE_KIND_LABELS),
        "description": _text(200, True),
        "amount": yuan,
        "people": _count(10_000),
        "hours": _count(1_000_000),
    },
    COUNCILS: {
        "area": _code(True),
        "name": _text(100, True),
        "kind": lambda x: cells.choice(x, COUNCIL_KIND_LABELS),
        "convenor_name": PERSON["name"],
        "convenor_phone": PERSON["phone"],
        "charter": _text(4000),
    },
    SEATS: {
        "area": _code(True),
        "council": _text(100, True),
        "unit": _code(),
        "person_name": PERSON["name"],
        "person_phone": PERSON["phone"],
        "post": _text(40),
    },
    STREETS: {
        "community": _code(True),
        "name": _text(60, True),
        "section": _text(100),
        "grids": cells.code_list,
        "head_name": PERSON["name"],
        "head_phone": PERSON["phone"],
        "lead_unit": _code(),
        "units": cells.code_list,
        "categories": cells.code_list,
    },
    STEWARDS: {
        "letter_no": _text(40),
        "building": _code(True),
        "post": lambda x: cells.choice(x, POST_LABELS),
        "entrance": _text(20),
        "person_name": _text(50, True),
        "person_phone": PERSON["phone"],
        "households": lambda x: [p for p in re.split(r"[,，、;；\s]+", cells.text(x, max_length=2000)) if p],
        "appointed_on": required_day,
        "term_ends_on": required_day,
    },
}


@dataclass
class Parsed:
    rows: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)


def parse_structure(v: Validator) -> Parsed:
    """Each structure sheet's cells through their parsers (errors reported on the validator)."""
    parsed = Parsed()
    for spec in SPECS:
        sheet = v.sheets.get(spec.name)
        if sheet is None:
            continue
        rows = []
        for number, record in sheet.rows:
            values = v.parse(spec.name, number, record, PARSERS[spec.name])
            if values is not None:
                rows.append((number, values))
        parsed.rows[spec.name] = rows
    return parsed


@dataclass
class Outcome:
    created: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


class Writer:
    def __init__(self, *, actor: Any, scope: Scope, parsed: Parsed, outcome: Outcome) -> None:
        self.actor, self.scope, self.parsed, self.out = actor, scope, parsed, outcome
        self.orgs_made: set[str] = set()

    # ---- the row loop ----------------------------------------------------------------------------------------
    def each(self, sheet: str, write: Callable[[dict[str, Any]], bool]) -> None:
        """``write(values)`` → True created, False unchanged; a failure is the row's error."""
        if not self.parsed.rows.get(sheet):
            return  # no rows in the file: not in the summary either
        self.out.created.setdefault(sheet, 0)
        self.out.unchanged.setdefault(sheet, 0)
        for number, values in self.parsed.rows.get(sheet, []):
            try:
                with transaction.atomic():
                    made = write(values)
            except RowProblem as exc:
                self.out.errors.append(RowError(sheet, number, exc.column, exc.message))
            except ValidationError as exc:
                self.out.errors.append(RowError(sheet, number, "", "；".join(exc.messages)))
            except PermissionDenied as exc:
                self.out.errors.append(RowError(sheet, number, "", str(exc) or OUT_OF_SCOPE))
            except (DatabaseError, ObjectDoesNotExist):
                self.out.errors.append(
                    RowError(sheet, number, "", "与已有数据冲突（可能刚被别人录入），请重新导入")
                )
            else:
                self.out.created[sheet] += 1 if made else 0
                self.out.unchanged[sheet] += 0 if made else 1

    # ---- references ------------------------------------------------------------------------------------------
    def area(self, column: str, code: str, kinds: tuple[str, ...] = ()) -> Area:
        area = self.scope.areas().filter(code=code).first()
        if area is None:
            raise RowProblem(column, f"区域代码“{code}”不存在或{OUT_OF_SCOPE}")
        if kinds and area.kind not in kinds:
            wanted = "、".join(str(Area.Kind(k).label) for k in kinds)
            raise RowProblem(column, f"“{code}”是{area.get_kind_display()}，这里须是{wanted}")
        return area

    def unit(self, column: str, code: str) -> Unit:
        unit = self.scope.units().filter(code=code).first()
        if unit is None:
            raise RowProblem(column, f"单位代码“{code}”不存在或{OUT_OF_SCOPE}")
        return unit

    def org(self, column: str, code: str) -> PartyOrg:
        org = self.scope.party_orgs().filter(code=code).first()
        if org is None:
            raise RowProblem(column, f"党组织代码“{code}”不存在（本表上方和系统中都没有）")
        return org

    def building(self, column: str, code: str):
        building = self.scope.buildings().select_related("grid").filter(code=code).first()
        if building is None:
            raise RowProblem(column, f"楼栋代码“{code}”不存在或{OUT_OF_SCOPE}")
        return building

    def person(self, column: str, name: str, phone: str) -> Person | None:
        if not name:
            return None
        if "*" in phone:
            raise RowProblem(column, "电话已被遮挡（含 *），请填写完整号码或留空")
        found = self.scope.persons().filter(name=name)
        if phone:
            found = found.filter(phone=phone)
        people = list(found[:3])
        if not people:
            raise RowProblem(column, f"人员“{name}{'（' + phone + '）' if phone else ''}”不存在")
        if len(people) > 1:
            raise RowProblem(column, f"有多位名为“{name}”的人员，请填写电话区分")
        return people[0]

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
                if existing.pk not in set(self.scope.party_orgs().values_list("pk", flat=True)) or mine != (
                    v["name"],
                    v["kind"],
                    v["parent"],
                    v["area"],
                    v["unit"],
                    v["building"],
                ):
                    raise RowProblem("代码", EXISTS)
                return False
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
                if (existing.starts_on, existing.ends_on, existing.party_org_id) != (
                    v["starts_on"],
                    v["ends_on"],
                    org.pk if org else None,
                ):
                    raise RowProblem("协议名称", "该单位与社区已有同名协议，内容不同（导入只新增）")
                return False
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
                if (existing.amount_fen, existing.people, existing.hours_per_year) != amounts:
                    raise RowProblem("内容", "该协议已有同样内容的承诺，数量不同（导入只新增）")
                return False
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

    # ---- 联席会议 ---------------------------------------------------------------------------------------------
    def councils(self) -> None:
        def write(v: dict[str, Any]) -> bool:
            area = self.area("所在区域代码", v["area"], (Area.Kind.SUBDISTRICT, Area.Kind.COMMUNITY))
            convenor = self.person("召集人姓名", v["convenor_name"], v["convenor_phone"])
            existing = Council.objects.filter(area=area, name=v["name"]).first()
            if existing is not None:
                if (existing.kind, existing.convenor_id, existing.charter) != (
                    v["kind"],
                    convenor.pk if convenor else None,
                    v["charter"],
                ):
                    raise RowProblem("名称", "该区域已有同名联席会议，内容不同（导入只新增）")
                return False
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
                if existing.post != v["post"]:
                    raise RowProblem("职务", "已是成员，职务不同（导入只新增）")
                return False
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
                same = (
                    {g.pk for g in existing.grids.all()} == {g.pk for g in grids}
                    and existing.head_id == (head.pk if head else None)
                    and existing.lead_unit_id == (lead.pk if lead else None)
                    and {u.pk for u in existing.units.all()}
                    == ({lead.pk} if lead else set()) | {u.pk for u in units}
                    and {c.pk for c in existing.categories.all()} == {c.pk for c in categories}
                )
                if not same:
                    raise RowProblem("街路名称", "该社区已登记这条街路，内容不同（导入只新增）")
                return False
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
                if mine != (building.pk, v["post"], v["entrance"], person.pk, start, end) or covered != set(
                    households.values()
                ):
                    raise RowProblem("聘书编号", EXISTS)
                return False
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

    def later(self) -> None:
        self.agreements()
        self.pledges()
        self.councils()
        self.seats()
        self.streets()
        self.stewards()


def _code_of(org: PartyOrg, attr: str) -> str:
    related = getattr(org, attr)
    return related.code if related is not None else ""
