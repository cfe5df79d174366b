"""The figures' pages, the monthly report and the workbooks speak the user's words: no setting names, no login
names, no code values ("community", "district"), no formulas in notation (ln), no doubled breadcrumb."""

from __future__ import annotations

import re
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from evaluation import services
from evaluation.pdf import write_pdf
from evaluation.report import report_content
from evaluation.report_xlsx import write_xlsx
from evaluation.tests import shown
from evaluation.tests.stories import make_stories

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2025-03", "end": "2025-12"}
ALLOWED = {"Excel", "PDF"}  # the names of the files offered, as users call them
LOGINS = ("district", "subdistrict", "community", "gridworker", "unit", "admin", "resident")


def foreign_words(texts) -> set[str]:
    """Latin-letter words in what a user reads (setting names, login names, code values, ln …)."""
    words = {w for t in texts for w in re.findall(r"[A-Za-z_][A-Za-z_0-9]*", str(t))}
    return words - ALLOWED


@pytest.fixture
def stories(world):
    return make_stories(world, random_count=8)


def test_pages_of_the_figures_use_no_setting_login_or_code_names(world, stories, client_for, clock_at):
    # given a monthly report that the district leader asked for, and the clock in April 2025
    clock_at(datetime(2025, 4, 10, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    services.report_request(user=world.district, area=world.d, month=date(2025, 3, 1))
    district, community = client_for("district"), client_for("community")
    pages = {
        "district dashboard": (district, f"/evaluation/area/{world.d.pk}/", PERIOD),
        "community dashboard": (community, f"/evaluation/area/{world.c1.pk}/", PERIOD),
        "unit dashboard": (client_for("unit"), f"/evaluation/unit/{world.pm1.pk}/", PERIOD),
        "rankings": (district, "/evaluation/rankings/", {"area": world.d.pk, **PERIOD}),
        "reports": (district, "/evaluation/reports/", {"area": world.d.pk}),
        "public page": (community, f"/evaluation/public/{world.c1.code}/", {}),
        "hotspots": (community, "/triage/hotspots/", {}),
    }
    for name, (client, url, query) in pages.items():
        # when each page is read
        response = client.get(url, query)
        assert response.status_code == 200, name
        text = shown.visible_text(response.content.decode())
        # then it has no Latin words at all: no LINLI_… setting, no login, no "community", no ln(…)
        assert not foreign_words([text]), (name, foreign_words([text]))
    # and the weights are said in words, and the report's requester by name
    page = district.get(f"/evaluation/area/{world.d.pk}/", PERIOD).content.decode()
    assert "基本满意按 0.8 计" in page and "响应率 × 0.1 + 解决率 × 0.5 + 满意率 × 0.4" in page
    reports = shown.visible_text(district.get("/evaluation/reports/", {"area": world.d.pk}).content.decode())
    assert world.district_person.name in reports
    hotspots = shown.visible_text(community.get("/triage/hotspots/").content.decode())
    assert "关注的人越多热度越高" in hotspots


def test_breadcrumbs_name_each_area_once(world, stories, client_for):
    # when community staff open their community's dashboard, and the district leader the same one
    for persona, expected in (("community", "幸福社区"), ("district", "示范区 › 东湖街道 › 幸福社区")):
        page = client_for(persona).get(f"/evaluation/area/{world.c1.pk}/", PERIOD).content.decode()
        crumbs = shown.visible_text(re.search(r'<p class="crumbs">.*?</p>', page, re.S).group(0))
        # then each area is named once, the page's own last
        assert crumbs.strip() == expected, persona
    # and a unit's dashboard within the district names the district once, then the unit
    page = (
        client_for("district").get(f"/evaluation/unit/{world.pm1.pk}/", {"area": world.d.pk}).content.decode()
    )
    crumbs = shown.visible_text(re.search(r'<p class="crumbs">.*?</p>', page, re.S).group(0))
    assert crumbs.strip() == f"示范区 › {world.pm1.name}"


def test_the_report_and_the_workbooks_use_no_setting_login_or_code_names(
    world, stories, client_for, tmp_path
):
    # when the March report of the district and of a community is written
    for area in (world.d, world.c1):
        content = report_content(area, date(2025, 3, 1))
        text = shown.pdf_text(write_pdf(content), tmp_path)
        book = load_workbook(BytesIO(write_xlsx(content)))
        # then neither the PDF's text nor the workbook has a Latin word
        assert not foreign_words([text]), foreign_words([text])
        assert not foreign_words(shown.workbook_strings(book)), foreign_words(shown.workbook_strings(book))
        assert "基本满意按 0.8 计" in shown.collapse(text)
    # and no workbook offered by the figures' pages has one either: dashboard, rankings, reports, the queue
    client = client_for("district")
    for url, query in (
        (f"/evaluation/area/{world.d.pk}/export.xlsx", PERIOD),
        ("/evaluation/rankings/", {"area": world.d.pk, "format": "xlsx", **PERIOD}),
        ("/evaluation/reports/", {"area": world.d.pk, "format": "xlsx"}),
        ("/evaluation/export/appeals.xlsx", {"status": "closed", "kind": "appeal", "area": world.c1.pk}),
    ):
        book = load_workbook(BytesIO(client.get(url, query).content))
        strings = shown.workbook_strings(book)
        assert not foreign_words(strings), (url, foreign_words(strings))
    # and the queue's filters are written out in words
    book = load_workbook(
        BytesIO(
            client.get("/evaluation/export/appeals.xlsx", {"status": "closed", "area": world.c1.pk}).content
        )
    )
    assert any(s.startswith("筛选：状态：已办结，区域：幸福社区") for s in shown.workbook_strings(book))
    for login in LOGINS:  # the personas' login names appear nowhere (as whole words)
        assert login not in foreign_words(strings)
