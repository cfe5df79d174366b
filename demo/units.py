"""The demo district's units, its party tree and the co-building links between them (党建联建).

The party tree follows the seed reports' "区委 — 街道党工委 — 社区大党委 — 网格党支部 — 楼栋党小组"; units'
party branches co-build with communities, and the main community co-builds with the departments the seed's
"四联单" story names (卫健、应急管理、交警 …).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from areas.models import Area
from categories.models import Category
from demo.district import DISTRICT_CODE, DISTRICT_NAME, DemoTree
from units.models import PartyOrg, Unit
from units.services import co_building_link_create, party_org_create, unit_create


class UnitSpec(NamedTuple):
    key: str
    name: str
    categories: tuple[str, ...]
    note: str  # what the unit's party org brings to a community it co-builds with


# District departments (职能部门): home and served area is the district.
DEPARTMENTS = [
    UnitSpec(
        "CGJ",
        "青山区城市管理局",
        ("CXJS-WZJZ", "CXJS-SZSS", "HJBH-LJQY", "HJBH-YLLH", "SMLY-ZDJY"),
        "环境整治、垃圾分类宣传",
    ),
    UnitSpec(
        "ZJJ", "青山区住房和城乡建设局", ("CXJS-WYGL", "CXJS-LJXQ", "CXJS-DTJZ"), "老旧小区改造、加装电梯"
    ),
    UnitSpec("WJJ", "青山区卫生健康局", ("WSJS-YLFW", "WSJS-GGWS", "WSJS-RKJS"), "健康义诊、家庭医生签约"),
    UnitSpec("YJJ", "青山区应急管理局", ("CXJS-AQYH",), "安全教育体验馆、消防演练"),
    UnitSpec("JJDD", "青山区公安局交通警察大队", ("JTYS-TCGL", "JTYS-JTZX"), "文明交通劝导、停车秩序整治"),
    UnitSpec("JTJ", "青山区交通运输局", ("JTYS-GJCX", "JTYS-DLYH"), "公交线路优化"),
    UnitSpec("STJ", "青山区生态环境分局", ("HJBH-ZYRM", "HJBH-DQWR", "HJBH-SWR"), "噪音油烟治理"),
    UnitSpec("MZJ", "青山区民政局", ("LDSB-YLFW", "LDSB-SHJZ", "CXJS-SQFW"), "居家养老、社会救助"),
    UnitSpec("RSJ", "青山区人力资源和社会保障局", ("LDSB-SHBX", "LDSB-JYPX", "LDSB-QXGZ"), "就业培训进社区"),
    UnitSpec("JYJ", "青山区教育和体育局", ("JYWT-XXJY", "JYWT-XWTG", "JYWT-WTHD"), "四点半课堂"),
    UnitSpec("WLJ", "青山区文化和旅游局", ("JYWT-GGWH", "SMLY-LYFW"), "城市书房、文化惠民演出"),
    UnitSpec("SJJ", "青山区市场监督管理局", ("SMLY-SCJG", "SMLY-XFWQ", "WSJS-SPYP"), "食品安全宣传"),
]
# Utilities (公用事业单位): serve the whole district.
UTILITIES = [
    UnitSpec("GS", "青山区供水有限公司", ("CXJS-GS",), "供水管网改造"),
    UnitSpec("GD", "国网青山区供电公司", ("CXJS-GD",), "老旧线路改造、上门抄表"),
    UnitSpec("RQ", "青山燃气有限公司", ("CXJS-RQ",), "燃气安全入户检查"),
]
# Enterprises and public institutions (企事业单位) that register with communities (双报到).
ENTERPRISES = [
    UnitSpec("RMYY", "青山区人民医院", ("WSJS-YLFW",), "健康义诊"),
    UnitSpec("GJGS", "青山公交集团", ("JTYS-GJCX",), "公交站点改造"),
    UnitSpec("ZGYH", "中国银行青山支行", (), "反诈宣传、金融知识进社区"),
    UnitSpec("HRCS", "华润万家青山店", (), "便民服务、助老送货"),
]
POLICE_CATEGORIES = ("HJBH-ZYRM", "CXJS-LLJF", "JTYS-TCGL")
PROPERTY_CATEGORIES = ("CXJS-WYGL", "HJBH-LJQY", "JTYS-TCGL")
SOCIAL_CATEGORIES = ("CXJS-SQFW", "LDSB-YLFW", "CXJS-LLJF")
PROPERTY_NAMES = ["安居", "嘉和", "恒安", "康居", "万家", "红盾", "宜居"]
# Communities (by index in the tree) looked after by one property manager each.
PROPERTY_GROUPS = [(0, 1), (2,), (3,), (4, 5), (6,), (7, 8), (9,)]
# Departments the main community co-builds with, as in the seed's "四联单" story.
MAIN_COMMUNITY_PARTNERS = ("CGJ", "ZJJ", "WJJ", "YJJ", "JJDD")


@dataclass
class DemoUnits:
    units: dict[str, Unit] = field(default_factory=dict)  # by key: "CGJ", "PCS1", "PM1", …
    district_committee: PartyOrg | None = None
    subdistrict_committee: dict[int, PartyOrg] = field(default_factory=dict)  # by subdistrict id
    community_committee: dict[int, PartyOrg] = field(default_factory=dict)  # by community id
    grid_branch: dict[int, PartyOrg] = field(default_factory=dict)  # by grid id
    unit_branch: dict[str, PartyOrg] = field(default_factory=dict)  # by unit key


def unit_code(key: str) -> str:
    return f"{DISTRICT_CODE}-U-{key}"


def _phone(rng: random.Random) -> str:
    return f"0914-{rng.randint(2000000, 8999999)}"


def _since(rng: random.Random) -> date:
    return date(rng.randint(2020, 2024), rng.randint(1, 12), 1)


def build_area_party_orgs(tree: DemoTree, out: DemoUnits) -> None:
    """区委 → 街道党工委 → 社区党委 (大党委) → 网格党支部, and a 楼栋党小组 in the main community's grids."""
    PK = PartyOrg.Kind
    district_po = party_org_create(
        kind=PK.COMMITTEE, code=f"{DISTRICT_CODE}-P", name=f"中共{DISTRICT_NAME}委员会", area=tree.district
    )
    out.district_committee = district_po
    for subdistrict in tree.subdistricts:
        sub_po = party_org_create(
            kind=PK.COMMITTEE,
            code=f"{subdistrict.code}-P",
            name=f"中共{DISTRICT_NAME}{subdistrict.name}工作委员会",
            parent=district_po,
            area=subdistrict,
        )
        out.subdistrict_committee[subdistrict.pk] = sub_po
        for community in tree.communities:
            if community.parent_id != subdistrict.pk:
                continue
            community_po = party_org_create(
                kind=PK.COMMITTEE,
                code=f"{community.code}-P",
                name=f"中共{subdistrict.name}{community.name}委员会",
                parent=sub_po,
                area=community,
            )
            out.community_committee[community.pk] = community_po
            for grid in tree.grids_of_community[community.pk]:
                out.grid_branch[grid.pk] = party_org_create(
                    kind=PK.BRANCH,
                    code=f"{grid.code}-P",
                    name=f"{community.name}{grid.name}党支部",
                    parent=community_po,
                    area=grid,
                )
    main = tree.communities[0]
    for grid in tree.grids_of_community[main.pk]:
        first = next(b for b in tree.buildings if b.grid_id == grid.pk)
        party_org_create(
            kind=PK.GROUP,
            code=f"{first.code}-P",
            name=f"{first.name}党小组",
            parent=out.grid_branch[grid.pk],
            area=grid,
        )


def _unit(
    rng: random.Random,
    out: DemoUnits,
    categories: dict[str, Category],
    *,
    kind: str,
    spec: UnitSpec,
    home: Area,
    served: list[Area],
    parent_po: PartyOrg,
) -> Unit:
    unit = unit_create(
        kind=kind,
        code=unit_code(spec.key),
        name=spec.name,
        home_area=home,
        areas_served=served,
        categories=[categories[c] for c in spec.categories],
        contact_phone=_phone(rng),
    )
    out.units[spec.key] = unit
    out.unit_branch[spec.key] = party_org_create(
        kind=PartyOrg.Kind.BRANCH,
        code=f"{unit.code}-P",
        name=f"{spec.name}党支部",
        parent=parent_po,
        unit=unit,
    )
    return unit


def build_units(rng: random.Random, tree: DemoTree, categories: dict[str, Category]) -> DemoUnits:
    out = DemoUnits()
    build_area_party_orgs(tree, out)
    assert out.district_committee is not None
    K = Unit.Kind
    d = tree.district
    organs_po = party_org_create(
        kind=PartyOrg.Kind.COMMITTEE,
        code=f"{DISTRICT_CODE}-P-JG",
        name=f"中共{DISTRICT_NAME}直属机关工作委员会",
        parent=out.district_committee,
        area=d,
    )
    links: list[tuple[str, Area]] = []  # (unit key, community) to co-build
    notes: dict[str, str] = {}  # by unit key
    communities = tree.communities

    def add(kind: str, spec: UnitSpec, home: Area, served: list[Area], parent_po: PartyOrg) -> Unit:
        notes[spec.key] = spec.note
        return _unit(
            rng, out, categories, kind=kind, spec=spec, home=home, served=served, parent_po=parent_po
        )

    for spec in DEPARTMENTS:
        add(K.DEPARTMENT, spec, d, [d], organs_po)
        partners = rng.sample(communities[1:], 2)
        if spec.key in MAIN_COMMUNITY_PARTNERS:
            partners.append(communities[0])
        links += [(spec.key, c) for c in partners]
    for spec in UTILITIES:
        add(K.UTILITY, spec, d, [d], out.district_committee)
        links.append((spec.key, rng.choice(communities)))
    for s_no, subdistrict in enumerate(tree.subdistricts, start=1):
        short = subdistrict.name.removesuffix("街道")
        sub_po = out.subdistrict_committee[subdistrict.pk]
        mine = [c for c in communities if c.parent_id == subdistrict.pk]
        police = UnitSpec(
            f"PCS{s_no}", f"青山公安分局{short}派出所", POLICE_CATEGORIES, "社区警务、矛盾纠纷调解"
        )
        add(K.POLICE, police, subdistrict, [subdistrict], organs_po)
        station = UnitSpec(
            f"SGZ{s_no}", f"{subdistrict.name}社会工作服务站", SOCIAL_CATEGORIES, "社工服务、邻里互助"
        )
        add(K.SOCIAL_ORG, station, subdistrict, [subdistrict], sub_po)
        links += [(police.key, c) for c in mine] + [(station.key, c) for c in mine]
    volunteers = UnitSpec(
        "ZYZ", f"{DISTRICT_NAME}志愿者协会", ("CXJS-SQFW", "LDSB-YLFW"), "志愿服务、党员突击队"
    )
    add(K.SOCIAL_ORG, volunteers, d, [d], out.district_committee)
    links += [(volunteers.key, c) for c in rng.sample(communities, 4)]
    for spec in ENTERPRISES:
        add(K.ENTERPRISE, spec, d, [d], out.district_committee)
        links += [(spec.key, c) for c in rng.sample(communities, 2)]
    for p_no, (group, brand) in enumerate(zip(PROPERTY_GROUPS, PROPERTY_NAMES, strict=True), start=1):
        served = [communities[i] for i in group]
        spec = UnitSpec(
            f"PM{p_no}", f"青山{brand}物业服务有限公司", PROPERTY_CATEGORIES, "红色物业、楼院共治"
        )
        add(K.PROPERTY_MANAGER, spec, served[0], served, out.community_committee[served[0].pk])
        links += [(spec.key, c) for c in served]

    seen: set[tuple[str, int]] = set()
    for key, community in links:
        if (key, community.pk) in seen:
            continue
        seen.add((key, community.pk))
        co_building_link_create(
            party_org=out.unit_branch[key],
            community=community,
            since=_since(rng),
            note=notes[key],
        )
    return out


def property_manager_of(units: DemoUnits, community: Area) -> Unit:
    """The property manager looking after a community."""
    for key, unit in units.units.items():
        if key.startswith("PM") and community in unit.areas_served.all():
            return unit
    raise LookupError(f"no property manager serves {community.name}")
