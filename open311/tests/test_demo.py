"""The demo step: questions, the published demo key (demo district only) and three requests it filed; idempotent."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from appeals.models import Appeal, Channel
from areas.models import Area
from demo.loader import load_demo_district
from open311 import geo
from open311.demo import DEMO_KEY, load_demo_open311
from open311.keys import key_from
from open311.models import ServiceAttribute
from open311.tests.spec import check_json

pytestmark = pytest.mark.django_db


def test_the_demo_client_files_three_requests_once(settings, clock_at):
    settings.DEMO_MODE = True
    clock_at(datetime(2026, 12, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    district = load_demo_district()
    assert load_demo_open311(district) == 3
    assert load_demo_open311(district) == 0  # idempotent
    key = key_from(DEMO_KEY)
    assert [a.code for a in key.areas.all()] == [district.community.code]
    assert ServiceAttribute.objects.filter(category__code="HJBH-LJQY").count() == 2
    filed = Appeal.objects.filter(channel=Channel.OPEN311)
    assert filed.count() == 3 and all(a.community == district.community and a.grid for a in filed)
    listed = check_json("requests", Client().get("/open311/v2/requests.json").content)
    assert {r["service_request_id"] for r in listed} >= {str(a.pk) for a in filed}
    # the request of docs/open311.md, as its curl sends it (at the middle of the main community's first grid:
    # 28.257, 112.908 in a freshly loaded demo; the layout follows the ids, which a test database does not reset)
    grid = Area.objects.filter(kind=Area.Kind.GRID, path__startswith=district.community.path).order_by(
        "path"
    )[0]
    lat, long = geo.centre(grid)
    response = Client().post(
        "/open311/v2/requests.json",
        {
            "api_key": DEMO_KEY,
            "service_code": "HJBH-LJQY",
            "lat": f"{lat:.6f}",
            "long": f"{long:.6f}",
            "description": "东门垃圾站满了",
            "attribute[bin_type]": "kitchen",
            "attribute[days]": "3",
            "media_url": "https://example.org/photo.jpg",
        },
    )
    [answer] = check_json("post_response", response.content)
    assert Appeal.objects.get(pk=answer["service_request_id"]).grid == grid
    assert Client().get("/open311/v2/services.json?jurisdiction_id=D01").status_code == 200
    services = check_json("services", Client().get("/open311/v2/services.json").content)
    assert {"HJBH-LJQY", "JTYS-TCGL", "CXJS-SZSS"} <= {s["service_code"] for s in services if s["metadata"]}
