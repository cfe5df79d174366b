"""The one workbook format: sheets, their Chinese column headers, and the labels of every enumeration.

The blank template, the export and the import all read this module, so the three cannot drift apart.
"""

from __future__ import annotations

from areas.models import Area
from people.models import HouseholdMember, Person
from spreadsheets.columns import Column, SheetSpec
from spreadsheets.structure_layout import SPECS as STRUCTURE_SPECS
from units.models import Unit

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_ERRORS = 1_000

YES, NO = "是", "否"
YES_VALUES = {"是", "y", "yes", "true", "1", "√", "有"}
NO_VALUES = {"否", "n", "no", "false", "0", "×", "无", ""}

# Sheet names, in the order they are written and imported (parents before children).
AREAS, BUILDINGS, HOUSEHOLDS, UNITS, PEOPLE = "区域", "楼栋", "户", "单位", "人员"
HELP_SHEET = "说明"

AREA_KIND_LABELS = {str(label): value for value, label in Area.Kind.choices}
UNIT_KIND_LABELS = {str(label): value for value, label in Unit.Kind.choices}
GENDER_LABELS = {str(label): value for value, label in Person.Gender.choices}
RELATION_LABELS = {str(label): value for value, label in HouseholdMember.Relation.choices}
# Areas are created level by level, so a parent always exists before its children.
AREA_KIND_ORDER = [value for value, _ in Area.Kind.choices]


YES_NO = (YES, NO)

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        AREAS,
        (
            Column("代码", "code", 14, True, help="唯一代码：字母、数字、点、横线、下划线，最长 40 位"),
            Column("名称", "name", 20, True, help="区域名称"),
            Column("层级", "kind", 10, True, tuple(AREA_KIND_LABELS), "区、街道、社区、片区或网格"),
            Column(
                "上级代码",
                "parent",
                14,
                help="上级区域的代码；区为顶层，留空。可引用本表中的行或系统中已有的区域",
            ),
            Column("常住人口", "population", 12, help="非负整数，可留空"),
        ),
        "区域树：区 → 街道 → 社区 →（片区）→ 网格",
    ),
    SheetSpec(
        BUILDINGS,
        (
            Column("代码", "code", 14, True, help="楼栋唯一代码"),
            Column("名称", "name", 20, True, help="楼栋名称，如“幸福1号楼”"),
            Column("网格代码", "grid", 14, True, help="所在网格的代码（必须是网格一级）"),
            Column("地址", "address", 30, help="可留空，最长 200 字"),
            Column("层数", "floors", 8, help="1–200 的整数，可留空"),
            Column("建成年份", "built_year", 10, help="如 1998，可留空"),
            Column("有电梯", "has_lift", 8, choices=YES_NO, help="是或否，留空按否"),
        ),
        "网格中的楼栋",
    ),
    SheetSpec(
        HOUSEHOLDS,
        (
            Column("楼栋代码", "building", 14, True, help="所在楼栋的代码"),
            Column("房号", "number", 10, True, help="同一楼栋内不重复，如 101 或 2-301"),
            Column("建筑面积", "floor_area", 12, True, help="平方米，大于 0，最多两位小数"),
        ),
        "楼栋中的每一户（房屋）",
    ),
    SheetSpec(
        UNITS,
        (
            Column("代码", "code", 14, True, help="单位唯一代码"),
            Column("名称", "name", 24, True, help="单位名称"),
            Column("类型", "kind", 16, True, tuple(UNIT_KIND_LABELS), "从下拉列表中选择"),
            Column("所属区域代码", "home_area", 14, True, help="单位所在的区域（区、街道、社区或网格）"),
            Column(
                "服务区域代码",
                "areas_served",
                24,
                help="多个代码用逗号或顿号（、）分隔；留空则只服务所属区域",
            ),
            Column("联系电话", "contact_phone", 16, help="手机号、带区号的固定电话或 12345 这样的服务号码"),
        ),
        "驻区单位、职能部门、物业、社会组织等",
    ),
    SheetSpec(
        PEOPLE,
        (
            Column("姓名", "name", 12, True, help="必填"),
            Column("电话", "phone", 16, help="11 位手机号或带区号的固定电话，可留空"),
            Column("性别", "gender", 8, choices=tuple(GENDER_LABELS), help="男或女，可留空"),
            Column("出生年份", "birth_year", 10, help="如 1958，可留空"),
            Column("社区代码", "community", 14, help="所属社区；填了楼栋和房号时可留空（由房屋推出）"),
            Column("楼栋代码", "building", 14, help="所住楼栋；与房号一起填写"),
            Column("房号", "number", 10, help="所住房号；与楼栋代码一起填写"),
            Column("与户主关系", "relation", 12, choices=tuple(RELATION_LABELS), help="留空按户主"),
            Column("业主", "is_owner", 8, choices=YES_NO, help="是或否，留空按否"),
            Column("党员", "is_party_member", 8, choices=YES_NO, help="是或否，留空按否"),
            Column("党组织代码", "party_org", 14, help="系统中已有党组织的代码，只有党员可填"),
        ),
        "居民及其他人员；一人住多户时只导出第一户",
    ),
)

# Who is who in the community (issue 16): the party tree, 共建, 联席会议, streets, 楼院三长 and 小区.
SHEETS = SHEETS + STRUCTURE_SPECS
SHEET_BY_NAME = {s.name: s for s in SHEETS}
