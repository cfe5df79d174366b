"""The ledgers of 走访 and 评选 on the area dashboard (with their fractions and drill-down links) and in its Excel."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from campaigns import services as campaigns
from visits import services
from visits.models import Round

CST = ZoneInfo("Asia/Shanghai")


def test_dashboard_shows_visit_coverage_and_campaign_results(world, client_for, clock_at):
    clock_at(datetime(2026, 11, 3, 9, tzinfo=CST))
    rnd = services.round_open(user=world.community, area=world.c1, kind=Round.Kind.HALF_MONTH, title="11 月上半月",
                              starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 15))  # fmt: skip
    services.visit_log(
        user=world.gridworker, household=world.h1a, key=uuid.uuid4(), seen=[world.resident_person]
    )
    campaigns.campaign_create(user=world.community, community=world.c1, kind="family", title="最美家庭评选",
                              nominations_close=datetime(2026, 11, 10, tzinfo=CST), criteria=[("和睦", 10)])  # fmt: skip
    clock_at(datetime(2026, 12, 2, 9, tzinfo=CST))
    page = client_for("community").get(f"/evaluation/area/{world.c1.pk}/?month=2026-11")
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        "入户走访覆盖" in html and "50.0%" in html and "1 ÷ 2" in html and f"/visits/rounds/{rnd.pk}/" in html
    )
    assert "评选表彰" in html and "最美家庭评选" in html
    export = client_for("community").get(f"/evaluation/area/{world.c1.pk}/export.xlsx?month=2026-11")
    assert export.status_code == 200
