"""The workbook's sheets of who is who in the community (issue 16): the party tree, 共建 agreements and pledges,
联席会议 and their members, streets and 街长, 楼院三长, 小区 with their bodies in office and the bodies' members.
Part of ``layout.SHEETS``; read by the template, the export (``structure_export``) and the import
(``structure_import``).

A person is named by 姓名 and 电话 (the register has no code for people): the import finds the one person of that
name (and phone, when given) in the file's 人员 sheet or in the register.
"""

from __future__ import annotations

from cobuilding.models import Pledge
from compounds.models import Body, Compound, Member
from councils.models import Council
from estates.models import Steward
from spreadsheets.columns import Column, SheetSpec
from units.models import PartyOrg

PARTY, AGREEMENTS, PLEDGES, COUNCILS, SEATS, STREETS, STEWARDS = (
    "党组织",
    "共建协议",
    "共建承诺",
    "联席会议",
    "联席会议成员",
    "街路",
    "楼院三长",
)
COMPOUNDS, BODIES, MEMBERS = "小区", "小区组织", "小区组织成员"
PARTY_KIND_LABELS = {str(label): value for value, label in PartyOrg.Kind.choices}
PLEDGE_KIND_LABELS = {str(label): value for value, label in Pledge.Kind.choices}
COUNCIL_KIND_LABELS = {str(label): value for value, label in Council.Kind.choices}
POST_LABELS = {str(label): value for value, label in Steward.Post.choices}
COMPOUND_KIND_LABELS = {str(label): value for value, label in Compound.Kind.choices}
BODY_KIND_LABELS = {str(label): value for value, label in Body.Kind.choices}
MEMBER_POST_LABELS = {str(label): value for value, label in Member.Post.choices}

DATE_HELP = "日期，如 2026-01-01"


def _person(role: str) -> tuple[Column, Column]:
    return (
        Column(f"{role}姓名", f"{_KEYS[role]}_name", 10, help=f"{role}：本文件「人员」表或系统中已有的人员"),
        Column(f"{role}电话", f"{_KEYS[role]}_phone", 16, help="同名多人时用电话区分；可留空"),
    )


_KEYS = {"书记": "secretary", "召集人": "convenor", "成员": "person", "街长": "head"}

SPECS: tuple[SheetSpec, ...] = (
    SheetSpec(
        PARTY,
        (
            Column("代码", "code", 16, True, help="党组织唯一代码"),
            Column("名称", "name", 24, True, help="如“幸福社区党委”“一网格党支部”“1号楼党小组”"),
            Column("类型", "kind", 10, True, tuple(PARTY_KIND_LABELS), "党委、党总支、党支部或党小组"),
            Column("上级代码", "parent", 16, help="上级党组织的代码（本表或系统中已有）；顶层留空"),
            Column("所在区域代码", "area", 14, help="区域党组织所在的区域；与所在单位代码二选一"),
            Column("所在单位代码", "unit", 14, help="单位党组织所在的单位"),
            Column("所在楼栋代码", "building", 14, help="楼栋党小组覆盖的楼栋"),
            *_person("书记"),
        ),
        "党组织树：区委 → 街道党工委 → 社区大党委 → 网格党支部 → 楼栋党小组，及单位党组织；上级在前",
    ),
    SheetSpec(
        AGREEMENTS,
        (
            Column("共建单位代码", "unit", 14, True, help="共建单位的代码"),
            Column("社区代码", "community", 14, True, help="共建社区的代码"),
            Column("协议名称", "title", 24, True, help="同一单位与社区的协议名称不重复"),
            Column("起始日期", "starts_on", 12, True, help=DATE_HELP),
            Column("截止日期", "ends_on", 12, True, help=DATE_HELP),
            Column("单位党组织代码", "party_org", 16, help="签约的单位党组织，可留空"),
        ),
        "共建协议：单位与社区共建的期限",
    ),
    SheetSpec(
        PLEDGES,
        (
            Column("共建单位代码", "unit", 14, True, help="所属协议的单位"),
            Column("社区代码", "community", 14, True, help="所属协议的社区"),
            Column("协议名称", "title", 24, True, help="所属协议的名称（「共建协议」表或系统中已有）"),
            Column("类型", "kind", 8, True, tuple(PLEDGE_KIND_LABELS), "资金、场地、人员或服务"),
            Column("内容", "description", 30, True, help="承诺的内容，最长 200 字"),
            Column("金额（元）", "amount", 12, help="资金类必填，最多两位小数"),
            Column("人数", "people", 8, help="人员类必填"),
            Column("每年服务时长（小时）", "hours", 12, help="服务类必填"),
        ),
        "共建承诺：协议中单位承诺的资金、场地、人员和服务（实际做了什么由系统记录统计）",
    ),
    SheetSpec(
        COUNCILS,
        (
            Column("所在区域代码", "area", 14, True, help="街道或社区的代码"),
            Column("名称", "name", 24, True, help="同一区域内不重复"),
            Column("类型", "kind", 10, True, tuple(COUNCIL_KIND_LABELS), "联席会议、党建联盟或大党委"),
            *_person("召集人"),
            Column("议事规则", "charter", 40, help="可留空"),
        ),
        "联席会议与党建联盟",
    ),
    SheetSpec(
        SEATS,
        (
            Column("所在区域代码", "area", 14, True, help="所属联席会议的区域"),
            Column("会议名称", "council", 24, True, help="所属联席会议的名称（「联席会议」表或系统中已有）"),
            Column("成员单位代码", "unit", 14, help="成员单位；与成员姓名二选一"),
            *_person("成员"),
            Column("职务", "post", 12, help="如“召集人”“成员”，可留空"),
        ),
        "联席会议的成员单位和成员",
    ),
    SheetSpec(
        STREETS,
        (
            Column("社区代码", "community", 14, True, help="街路所在社区的代码"),
            Column("街路名称", "name", 16, True, help="如“青江路”"),
            Column("路段", "section", 20, help="如“1–120 号”，可留空"),
            Column("途经网格代码", "grids", 24, help="本社区的网格，多个用逗号或顿号分隔"),
            *_person("街长"),
            Column("牵头部门代码", "lead_unit", 14, help="街长所在或牵头的部门"),
            Column("包保部门代码", "units", 24, help="多个用逗号或顿号分隔；须同时填牵头部门"),
            Column(
                "负责类别代码", "categories", 20, help="一级诉求类别的代码，多个用逗号分隔；须同时填牵头部门"
            ),
        ),
        "街长制：街路、街长和包保部门",
    ),
    SheetSpec(
        STEWARDS,
        (
            Column("聘书编号", "letter_no", 18, help="留空由系统编号"),
            Column("楼栋代码", "building", 14, True, help="所在楼栋"),
            Column("职务", "post", 10, True, tuple(POST_LABELS), "楼长、单元长或中心户长"),
            Column("单元", "entrance", 10, help="单元长必填，如“2单元”"),
            Column("姓名", "person_name", 10, True, help="本社区的居民（本文件「人员」表或系统中已有）"),
            Column("电话", "person_phone", 16, help="同名多人时用电话区分"),
            Column("联系户房号", "households", 24, help="该楼栋的房号，多个用逗号或顿号分隔"),
            Column("聘任日期", "appointed_on", 12, True, help=DATE_HELP),
            Column("任期至", "term_ends_on", 12, True, help="聘任日期之后整 1 至 5 年的同一天"),
        ),
        "楼院三长和中心户长（在任的）",
    ),
    SheetSpec(
        COMPOUNDS,
        (
            Column("代码", "code", 14, True, help="小区唯一代码"),
            Column("社区代码", "community", 14, True, help="小区所在社区的代码"),
            Column("小区名称", "name", 20, True, help="同一社区内不重复"),
            Column("类型", "kind", 14, True, tuple(COMPOUND_KIND_LABELS), "老旧小区、商品房小区等"),
            Column("地址", "address", 24, help="可留空"),
            Column(
                "楼栋代码",
                "buildings",
                24,
                help="本社区的楼栋（「楼栋」表或系统中已有），多个用逗号或顿号分隔",
            ),
        ),
        "小区及其楼栋",
    ),
    SheetSpec(
        BODIES,
        (
            Column("小区代码", "compound", 14, True, help="「小区」表或系统中已有的小区"),
            Column("类型", "kind", 10, True, tuple(BODY_KIND_LABELS), "自管会、业委会或物业"),
            Column("物业服务企业代码", "firm", 16, help="物业必填：服务本社区的物业服务企业"),
            Column(
                "物业党组织代码", "party_org", 16, help="红色物业：该企业的党组织；留空取企业自己的党组织"
            ),
            Column("开始日期", "starts_on", 12, True, help="任期（合同）开始，" + DATE_HELP),
            Column("届满日期", "ends_on", 12, True, help="任期（合同）届满，" + DATE_HELP),
        ),
        "小区的自管会、业委会和物业（在任的；每个小区每类一个）",
    ),
    SheetSpec(
        MEMBERS,
        (
            Column("小区代码", "compound", 14, True, help="所属小区"),
            Column(
                "组织类型", "kind", 10, True, tuple(BODY_KIND_LABELS), "所属的在任组织：自管会、业委会或物业"
            ),
            Column("姓名", "person_name", 10, True, help="本文件「人员」表或系统中已有的人员"),
            Column("电话", "person_phone", 16, help="同名多人时用电话区分"),
            Column("职务", "post", 10, True, tuple(MEMBER_POST_LABELS), "主任、委员、项目经理等"),
            Column("任职开始", "starts_on", 12, help="留空取今天（不早于本届开始日期）；" + DATE_HELP),
            Column("任期届满", "ends_on", 12, help="留空取本届届满日期；" + DATE_HELP),
        ),
        "小区组织的成员（在任的）",
    ),
)
