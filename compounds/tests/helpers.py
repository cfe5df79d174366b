"""A compound in the test world: 幸福小区 of 幸福社区, spanning both its grids (幸福1号楼 in g1a, 幸福2号楼 in g1b)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from compounds.models import Body, Compound
from compounds.services import compound_create, firm_appoint

TZ = ZoneInfo("Asia/Shanghai")
DAY = datetime(2026, 5, 11, 9, 0, tzinfo=TZ)  # a Monday in the second quarter of 2026
ALL_FIVE = {"sanitation": 5, "repairs": 5, "security": 5, "attitude": 5, "party": 5}


def compound(w, **kw) -> Compound:
    values = dict(
        user=w.community,
        community=w.c1,
        code="C1-XF",
        name="幸福小区",
        kind=Compound.Kind.OLD,
        address="东湖路 1 号",
        buildings=[w.b1a, w.b1b],
    )
    values.update(kw)
    return compound_create(**values)


def firm(w, c: Compound, **kw) -> Body:
    values = dict(
        user=w.community, compound_id=c.pk, firm=w.pm1, starts_on=date(2026, 1, 1), ends_on=date(2028, 12, 31)
    )
    values.update(kw)
    return firm_appoint(**values)
