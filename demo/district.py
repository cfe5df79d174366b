"""The demo district's area tree: 青山区 → 3 街道 → 10 社区 (two with 片区) → 网格 → 楼栋 → 户.

Modelled on the seed reports: old 家属院 without lifts (the "三无小区" of 老旧小区改造), mid-1990s 小区, and
new high-rise estates with lifts. Areas and buildings go through ``areas.services`` (each with its audit
event); the flats, a few hundred plain rows, are written in bulk (``demo.bulk``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from areas.models import Area, Building, Household
from areas.services import area_create, building_create
from demo.bulk import bulk_register

DISTRICT_CODE = "D01"
DISTRICT_NAME = "青山区"
DISTRICT_POPULATION = 312_000

CN_NUMBERS = "一二三四五六七八九十"

# subdistrict name → its communities: (name, street for addresses, number of 片区 between community and grids)
SUBDISTRICTS: list[tuple[str, list[tuple[str, str, int]]]] = [
    (
        "青江路街道",
        [
            ("松园社区", "青江路", 2),
            ("文化路社区", "文化路", 0),
            ("新安巷社区", "新安巷", 0),
            ("杏林社区", "杏林街", 0),
        ],
    ),
    (
        "中兴路街道",
        [
            ("滨河社区", "滨河大道", 0),
            ("东站社区", "站前路", 2),
            ("望江社区", "望江路", 0),
        ],
    ),
    (
        "北关街道",
        [
            ("金桂社区", "北关大街", 0),
            ("春晖社区", "春晖路", 0),
            ("龙溪社区", "龙溪路", 0),
        ],
    ),
]

# Estates (小区) by era: old work-unit compounds, 1990s–2000s estates, new high-rises.
OLD_ESTATES = [
    f"{w}家属院"
    for w in (
        "纺织厂",
        "电力局",
        "粮站",
        "建材厂",
        "供销社",
        "二中",
        "农机公司",
        "邮电局",
        "水利局",
        "运输公司",
        "食品公司",
        "棉麻公司",
        "医药公司",
        "税务局",
    )
]
MID_ESTATES = [
    f"{w}小区" for w in ("康乐", "和谐", "东风", "向阳", "建设", "光明", "团结", "胜利", "育才", "丰收")
]
NEW_ESTATES = [
    "翠湖花园",
    "锦绣华庭",
    "阳光城",
    "丹江花园",
    "江南水岸",
    "御景华府",
    "龙湖湾",
    "滨江名苑",
    "学府佳苑",
    "紫荆家园",
    "明珠华城",
    "丽景湾",
    "青松苑",
    "东方名居",
    "金色港湾",
    "南苑新城",
]
ERAS = ("old", "mid", "new")


@dataclass
class DemoTree:
    district: Area
    subdistricts: list[Area] = field(default_factory=list)
    communities: list[Area] = field(default_factory=list)
    zones: list[Area] = field(default_factory=list)
    grids: list[Area] = field(default_factory=list)
    buildings: list[Building] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    # by id: the community of a grid, the era of a building's estate
    community_of_grid: dict[int, Area] = field(default_factory=dict)
    grids_of_community: dict[int, list[Area]] = field(default_factory=dict)
    era_of_building: dict[int, str] = field(default_factory=dict)


class EstatePicker:
    """Hands out each estate name once, in an era mix that leans old (the demo is about old neighbourhoods)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pools = {"old": list(OLD_ESTATES), "mid": list(MID_ESTATES), "new": list(NEW_ESTATES)}
        for pool in self.pools.values():
            rng.shuffle(pool)

    def pick(self) -> tuple[str, str]:
        if not any(self.pools.values()):  # every name used once: go on with second phases (二期)
            self.pools = {
                "old": [],
                "mid": [f"{n}二期" for n in MID_ESTATES],
                "new": [f"{n}二期" for n in NEW_ESTATES],
            }
        era = self.rng.choices(ERAS, weights=(4, 3, 3))[0]
        if not self.pools[era]:
            era = max(ERAS, key=lambda e: len(self.pools[e]))
        return self.pools[era].pop(), era


def _building_shape(rng: random.Random, era: str) -> dict:
    if era == "old":
        floors = rng.randint(5, 7)
        # a few old buildings already had a lift added (加装电梯)
        return {"floors": floors, "built_year": rng.randint(1982, 1998), "has_lift": rng.random() < 0.1}
    if era == "mid":
        floors = rng.choice((6, 7, 9, 11))
        return {"floors": floors, "built_year": rng.randint(1996, 2008), "has_lift": floors > 7}
    return {
        "floors": rng.choice((11, 18, 24, 26, 32)),
        "built_year": rng.randint(2008, 2021),
        "has_lift": True,
    }


AREA_BY_ERA = {"old": (4500, 9000), "mid": (6500, 12000), "new": (8500, 14000)}


def _flats(rng: random.Random, building: Building, era: str, count: int) -> list[tuple[str, Decimal]]:
    """``count`` distinct flats as (number like "2-301", floor area in m²)."""
    entrances = 3 if era == "old" else 2
    floors = building.floors or 6
    numbers: set[str] = set()
    while len(numbers) < count:
        numbers.add(f"{rng.randint(1, entrances)}-{rng.randint(1, floors)}{rng.randint(1, 2):02d}")
    low, high = AREA_BY_ERA[era]
    return [(n, (Decimal(rng.randint(low, high)) / 100).quantize(Decimal("0.01"))) for n in sorted(numbers)]


def build_area_tree(rng: random.Random) -> DemoTree:
    K = Area.Kind
    district = area_create(
        kind=K.DISTRICT, code=DISTRICT_CODE, name=DISTRICT_NAME, population=DISTRICT_POPULATION
    )
    tree = DemoTree(district=district)
    estates = EstatePicker(rng)
    for s_no, (s_name, communities) in enumerate(SUBDISTRICTS, start=1):
        s_code = f"{DISTRICT_CODE}-S{s_no}"
        subdistrict = area_create(
            kind=K.SUBDISTRICT,
            code=s_code,
            name=s_name,
            parent=district,
            population=rng.randint(60, 90) * 1000,
        )
        tree.subdistricts.append(subdistrict)
        for c_no, (c_name, street, zone_count) in enumerate(communities, start=1):
            c_code = f"{s_code}-C{c_no}"
            community = area_create(
                kind=K.COMMUNITY,
                code=c_code,
                name=c_name,
                parent=subdistrict,
                population=rng.randint(30, 90) * 100,
            )
            tree.communities.append(community)
            parents = [community]
            if zone_count:
                parents = [
                    area_create(
                        kind=K.ZONE,
                        code=f"{c_code}-Z{z}",
                        name=f"{('东', '西')[z - 1]}片区",
                        parent=community,
                    )
                    for z in range(1, zone_count + 1)
                ]
                tree.zones.extend(parents)
            short = c_name.removesuffix("社区")
            grids: list[Area] = []
            grid_count = rng.randint(3, 5)
            for g_no in range(1, grid_count + 1):
                grid = area_create(
                    kind=K.GRID,
                    code=f"{c_code}-G{g_no}",
                    name=f"{short}第{CN_NUMBERS[g_no - 1]}网格",
                    parent=parents[(g_no - 1) * len(parents) // grid_count],
                )
                grids.append(grid)
                tree.community_of_grid[grid.pk] = community
                _add_buildings(rng, tree, grid, street, estates)
            tree.grids.extend(grids)
            tree.grids_of_community[community.pk] = grids
    tree.households = bulk_register(
        tree.households, summary=f"演示数据：批量登记户 {len(tree.households)} 户"
    )
    return tree


def _add_buildings(
    rng: random.Random, tree: DemoTree, grid: Area, street: str, estates: EstatePicker
) -> None:
    estate, era = estates.pick()
    street_no = rng.randint(1, 60) * 2
    for b_no in range(1, rng.randint(3, 6) + 1):
        building = building_create(
            grid=grid,
            code=f"{grid.code}-B{b_no}",
            name=f"{estate}{b_no}号楼",
            address=f"{DISTRICT_NAME}{street}{street_no}号{estate}{b_no}号楼",
            **_building_shape(rng, era),
        )
        tree.buildings.append(building)
        tree.era_of_building[building.pk] = era
        for number, floor_area in _flats(rng, building, era, rng.randint(2, 3)):
            tree.households.append(Household(building=building, number=number, floor_area=floor_area))
