"""The structure import's shared row writing: the row loop (each row in a savepoint of its own, a failure becomes
the row's error) and the look-ups of the rows' references within the importer's scope. The sheets' writers
(``structure_party``, ``structure_local``) build on ``RowWriter``; ``structure_import`` puts them together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from access.scope import Scope
from areas.models import Area
from people.models import Person
from spreadsheets.reader import RowError
from spreadsheets.validate import EXISTS, OUT_OF_SCOPE
from units.models import PartyOrg, Unit


class RowProblem(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


@dataclass
class Parsed:
    rows: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)


@dataclass
class Outcome:
    created: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


class RowWriter:
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

    @staticmethod
    def unchanged(found: tuple, wanted: tuple, column: str, message: str = EXISTS) -> bool:
        """A row the system already has: skipped (False: nothing created) where the file says the same, refused
        on ``column`` where it says otherwise (the import adds, it never changes)."""
        if found != wanted:
            raise RowProblem(column, message)
        return False

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
