"""The two ledgers on pages they do not own: the 社区事务 cards, the area page, the area dashboard, and the
monthly report's PDF and Excel file (场次/人次 and 延时/代办 tables with their definitions)."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from activities import services
from activities.tests.conftest import at
from evaluation.pdf import write_pdf
from evaluation.report import report_content
from evaluation.report_xlsx import write_xlsx
from sites import ledger
from sites import services as site_services


def _month_with_both(world, activity, clock_at):
    site = site_services.site_create(
        user=world.community, community=world.c1, kind="station", name="幸福一网格党群服务站", address="幸福路 9 号",
        hours=[(d, at(1, 9).time(), at(1, 17).time(), False) for d in range(5)],
    )  # fmt: skip
    services.activity_signup(user=world.resident, activity_id=activity.pk)
    clock_at(at(3, 14))
    services.activity_tick(
        user=world.community, activity_id=activity.pk, person_ids=[world.resident_person.pk]
    )
    services.activity_close(user=world.community, activity_id=activity.pk, report="好")
    clock_at(at(5, 10))  # Saturday
    ledger.record_create(user=world.community, site_id=site.pk, kind="errand", service="社保代办", done=True)
    return site


def test_hub_cards_and_area_page(world, activity, client_for):
    hub = client_for("resident").get("/hub/").content.decode()
    assert "社区活动" in hub
    site_services.site_create(
        user=world.community, community=world.c1, kind="center", name="中心", address="路"
    )
    staff_hub = client_for("community").get("/hub/").content.decode()
    assert "党群服务阵地" in staff_hub and "社区活动" in staff_hub
    area = client_for("community").get(f"/areas/{world.c1.pk}/").content.decode()
    assert activity.title in area and "中心" in area
    assert "党群服务阵地" not in client_for("community2").get("/hub/").content.decode()


def test_dashboard_and_monthly_report_carry_both_tables(world, activity, clock_at, client_for):
    _month_with_both(world, activity, clock_at)
    page = client_for("subdistrict").get(f"/evaluation/area/{world.s1.pk}/?month=2026-12").content.decode()
    assert "社区活动：场次与人次" in page and "党群服务阵地：延时服务与代办" in page
    content = report_content(world.s1, date(2026, 12, 1))
    keys = {t.key for t in content.ledgers}
    assert {"activities", "sites"} <= keys
    assert write_pdf(content).startswith(b"%PDF")
    book = load_workbook(io.BytesIO(write_xlsx(content)))
    cells = [
        str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    ]
    assert "道德讲堂" in cells and any("延时服务次数" in c for c in cells)
