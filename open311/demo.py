"""Open311 GeoReport v2 in the demo district: questions for three services, one demo client's key and a few
requests it filed, made through the services (``key_issue``, ``request_submit``).

The demo key's text is published on purpose (``DEMO_KEY``, in docs/open311.md), like the demo passwords: the
demo loads only with ``DEMO_MODE``. It files into the main community only. Real keys are issued on /open311/keys/.
"""

from __future__ import annotations

from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from access.models import Role
from areas.models import Area
from categories.models import Category
from evaluation.shapes import draw_grids
from open311 import geo
from open311.intake import request_submit
from open311.keys import key_issue
from open311.models import ApiKey, ServiceAttribute

DEMO_CLIENT = "随手拍（演示客户端）"
DEMO_KEY = "demo-open311-key-not-secret"  # the demo district's only: published in docs/open311.md

A = ServiceAttribute.Datatype
QUESTIONS: dict[str, list[dict[str, Any]]] = {
    "HJBH-LJQY": [
        {
            "code": "bin_type",
            "datatype": A.SINGLEVALUELIST,
            "required": True,
            "description": "哪类垃圾没有清运？",
            "values": [
                {"key": "kitchen", "name": "厨余垃圾"},
                {"key": "recyclable", "name": "可回收物"},
                {"key": "bulky", "name": "大件垃圾"},
                {"key": "other", "name": "其他垃圾"},
            ],
        },
        {"code": "days", "datatype": A.NUMBER, "description": "已堆放几天？", "datatype_description": "整数"},
    ],
    "JTYS-TCGL": [
        {
            "code": "blocking",
            "datatype": A.MULTIVALUELIST,
            "description": "堵住了哪里？",
            "values": [
                {"key": "fire_lane", "name": "消防通道"},
                {"key": "gate", "name": "小区出入口"},
                {"key": "ramp", "name": "无障碍坡道"},
            ],
        },
        {"code": "plate", "datatype": A.STRING, "description": "车牌号（选填）"},
    ],
    "CXJS-SZSS": [
        {"code": "seen_at", "datatype": A.DATETIME, "description": "什么时候发现的？"},
        {
            "code": "note",
            "variable": False,
            "datatype": A.STRING,
            "description": "井盖缺失等危险情况请同时拨打 12345",
        },
    ],
}
REQUESTS = [
    ("HJBH-LJQY", "东门垃圾站满了，周边都是垃圾袋", {"bin_type": ["kitchen"], "days": ["3"]}),
    ("JTYS-TCGL", "有车长期停在消防通道上", {"blocking": ["fire_lane", "gate"]}),
    ("CXJS-SZSS", "小广场的路灯一到晚上就闪", {"seen_at": ["2026-11-28T19:30:00+08:00"]}),
]


@transaction.atomic
def load_demo_open311(demo: Any, stdout: TextIO | None = None) -> int:
    """Idempotent: nothing happens once the demo client's key exists. Returns the number of requests filed."""
    if ApiKey.objects.filter(client=DEMO_CLIENT).exists():
        return 0
    for code, questions in QUESTIONS.items():
        category = Category.objects.filter(code=code).first()
        for order, question in enumerate(questions if category else [], start=1):
            ServiceAttribute.objects.get_or_create(
                category=category, code=question["code"], defaults={**question, "order": order}
            )
    admin = get_user_model().objects.filter(role_assignments__role=Role.ADMIN).order_by("pk").first()
    community = demo.community
    key, _ = key_issue(
        actor=admin, client=DEMO_CLIENT, owner="演示：区融媒体中心", areas=[community], text=DEMO_KEY
    )
    draw_grids(demo.district)
    under = Area.objects.filter(kind=Area.Kind.GRID, path__startswith=community.path).order_by("path")
    grids = [g for g in under if g.shape] or [community]
    filed = 0
    for i, (code, description, attributes) in enumerate(REQUESTS):
        middle = geo.centre(grids[i % len(grids)])
        if middle is None or not Category.objects.filter(code=code, is_active=True).exists():
            continue
        data = {"service_code": code, "description": description, "lat": middle[0], "long": middle[1]}
        request_submit(key=key, data=data, attributes=attributes)
        filed += 1
    if stdout:
        stdout.write(f"Open311：演示客户端密钥 1 个（{DEMO_KEY}），提交请求 {filed} 件\n")
    return filed
