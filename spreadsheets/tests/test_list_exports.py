"""Every list page exports its rows to Excel with its filters applied, within the user's scope."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from deliberation import services as topics
from notices.models import Notice
from notices.services import notice_publish

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[tuple]:
    """The data rows of the one table in the workbook's first sheet, and the filters line."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(BytesIO(response.content)).worksheets[0]
    (table,) = ws.tables.values()
    cells = ws[table.ref]
    return [tuple(c.value for c in row) for row in cells[1:] if row[0].value != "（无数据）"]


def test_people_areas_and_units_export_what_the_page_lists(world, client_for):
    client = client_for("community")
    people = rows_of(client.get("/people/", {"format": "xlsx"}))
    names = {r[1] for r in people}
    assert world.resident_person.name in names and world.resident_c2.name not in names  # scope
    found = rows_of(client.get("/people/", {"q": world.neighbour_g1b.name, "format": "xlsx"}))
    assert [r[1] for r in found] == [world.neighbour_g1b.name]  # the filter applied
    areas = rows_of(client.get("/areas/", {"q": "G1", "format": "xlsx"}))
    assert {r[0] for r in areas} == {"G1a", "G1b"}
    units = rows_of(client.get("/units/", {"kind": "property_manager", "format": "xlsx"}))
    assert {r[0] for r in units} == {"U-PM1"}
    assert client_for("resident").get("/people/", {"format": "xlsx"}).status_code == 404


def test_phones_in_the_people_export_are_masked_as_on_the_page(world, client_for):
    rows = rows_of(client_for("gridworker").get("/people/", {"format": "xlsx"}))
    page = client_for("gridworker").get("/people/").content.decode()
    assert rows
    for _, name, phone, *_ in rows:
        # the same (masked or not) number as the page, where one seen in full is a tel: link
        cell = f'<a href="tel:{phone}">{phone}</a>' if phone and "*" not in phone else phone or ""
        assert f'{name}</a></td><td data-label="电话">{cell}</td>' in page


def test_topics_notices_and_reports_export(world, client_for):
    topic = topics.topic_create(
        user=world.community, community=world.c1, title="加装电梯", body="3号楼加装电梯", template_code="146"
    )
    notice_publish(user=world.community, community=world.c1, kind=Notice.Kind.OTHER, title="停水通知",
                   body="周六停水", days=3)  # fmt: skip
    client = client_for("community")
    listed = rows_of(client.get("/deliberation/", {"status": topic.status, "format": "xlsx"}))
    assert [r[1] for r in listed] == ["加装电梯"]
    assert rows_of(client.get("/deliberation/", {"status": "done", "format": "xlsx"})) == []
    notices = rows_of(client.get(f"/community/{world.c1.code}/manage/", {"format": "xlsx"}))
    assert [r[2] for r in notices] == ["停水通知"]
    assert (
        client_for("community2").get(f"/community/{world.c1.code}/manage/", {"format": "xlsx"}).status_code
        == 404
    )
    reports = client.get("/evaluation/reports/", {"area": world.c1.pk, "format": "xlsx"})
    assert rows_of(reports) == []


def test_hotspots_export(world, client_for):
    from appeals import services as appeals

    for user, extra in ((world.resident, {}), (world.community, {"raised_by": world.neighbour_g1b})):
        appeals.appeal_submit(
            user=user,
            title="幸福1号楼电梯又坏了",
            body="幸福1号楼电梯又坏了，老人上下楼困难",
            channel="app",
            building=world.b1a,
            **extra,
        )
    rows = rows_of(client_for("community").get("/triage/hotspots/", {"format": "xlsx"}))
    assert len(rows) == 1 and rows[0][6] == 2 and rows[0][7] == 2  # two appeals, two people
    assert rows_of(client_for("community2").get("/triage/hotspots/", {"format": "xlsx"})) == []
