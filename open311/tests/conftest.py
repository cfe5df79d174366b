"""Open311 fixtures on the shared ``world``: a small category tree (two groups, three services, one disabled),
the questions of the litter service, grid shapes (``evaluation.shapes``) and a key for 幸福社区 (c1).

``o311`` namespace: ``litter`` (HJBH-LJQY, with attributes), ``noise`` (HJBH-ZYRM), ``parking`` (JTYS-TCGL),
``key`` / ``key_text`` (client 城市12345, areas [c1]), ``inside_g1a`` / ``inside_g2a`` ((lat, long) points in
those grids), ``outside`` (a point in no grid). ``post(client, fmt, **fields)`` files a request.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from categories.models import Category
from evaluation.shapes import draw_grids
from open311 import geo
from open311.keys import key_issue
from open311.models import ServiceAttribute


def build_catalogue(world) -> SimpleNamespace:
    env = Category.objects.create(code="HJBH", name="环境保护", contact_hours=24, resolve_working_days=7)
    traffic = Category.objects.create(code="JTYS", name="交通运输")
    litter = Category.objects.create(
        code="HJBH-LJQY", name="垃圾清运", parent=env, contact_hours=12, resolve_working_days=2
    )
    noise = Category.objects.create(code="HJBH-ZYRM", name="噪音扰民", parent=env)
    parking = Category.objects.create(code="JTYS-TCGL", name="停车管理", parent=traffic)
    Category.objects.create(code="JTYS-OLD", name="已停用", parent=traffic, is_active=False)
    A = ServiceAttribute
    A.objects.create(
        category=litter,
        code="bin_type",
        datatype=A.Datatype.SINGLEVALUELIST,
        required=True,
        order=1,
        description="哪类垃圾？",
        values=[{"key": "kitchen", "name": "厨余垃圾"}, {"key": "other", "name": "其他垃圾"}],
    )
    A.objects.create(
        category=litter, code="bags", datatype=A.Datatype.NUMBER, order=2, description="大约几袋？"
    )
    A.objects.create(
        category=litter, code="seen_at", datatype=A.Datatype.DATETIME, order=3, description="什么时候看到的？"
    )
    A.objects.create(
        category=litter,
        code="days",
        datatype=A.Datatype.MULTIVALUELIST,
        order=4,
        description="哪几天堆放？",
        values=[{"key": "mon", "name": "周一"}, {"key": "sat", "name": "周六"}],
    )
    A.objects.create(
        category=litter,
        code="hint",
        variable=False,
        datatype=A.Datatype.STRING,
        order=5,
        description="大件垃圾请另约清运",
    )
    draw_grids(world.d)
    for grid in (world.g1a, world.g2a):
        grid.refresh_from_db()
    key, text = key_issue(actor=world.admin, client="城市12345", owner="市12345热线", areas=[world.c1])
    return SimpleNamespace(
        litter=litter,
        noise=noise,
        parking=parking,
        key=key,
        key_text=text,
        inside_g1a=geo.centre(world.g1a),
        inside_g2a=geo.centre(world.g2a),
        outside=(0.0, 0.0),
    )


@pytest.fixture
def o311(world):
    ns = build_catalogue(world)

    def post(client, fmt="json", **fields):
        fields.setdefault("api_key", ns.key_text)
        return client.post(f"/open311/v2/requests.{fmt}", fields)

    ns.post = post
    return ns
