"""Every rate, wherever it is shown, shows the very fraction it is computed from, and that fraction gives the
shown percentage: dashboard cards and tables, the rankings, the public community page, the monthly report's
PDF (its text read by poppler's pdftotext) and every workbook. The counts in the fractions are recounts of the
raw appeal rows."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from appeals.models import Appeal
from evaluation.models import MonthlyReport
from evaluation.pdf import write_pdf
from evaluation.public import report_notice_body
from evaluation.report import report_content
from evaluation.report_xlsx import write_xlsx
from evaluation.tests import shown
from evaluation.tests.stories import make_stories

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")
PERIOD = {"start": "2025-03", "end": "2025-12"}  # every story falls in it


@pytest.fixture
def stories(world):
    return make_stories(world)


def _ratings(appeals) -> tuple[int, int, int]:
    """(满意, 基本满意, 已评价) recounted from appeal rows: counted appeals whose latest rating stands."""
    counted = [
        a for a in appeals if a.status not in ("merged", "withdrawn") and a.rated_at and a.satisfaction
    ]
    kinds = Counter(a.satisfaction for a in counted)
    return kinds["satisfied"], kinds["basically_satisfied"], len(counted)


def test_every_rate_on_every_page_shows_its_fraction_and_the_fraction_gives_it(
    world, stories, client_for, clock_at
):
    # given the stories of 2025 from March, read in April (the public page shows March and the year so far)
    clock_at(datetime(2025, 4, 10, 9, tzinfo=CST))
    district, community = client_for("district"), client_for("community")
    pages = {
        "district dashboard": (district, f"/evaluation/area/{world.d.pk}/", PERIOD),
        "subdistrict dashboard": (district, f"/evaluation/area/{world.s1.pk}/", PERIOD),
        "community dashboard": (community, f"/evaluation/area/{world.c1.pk}/", PERIOD),
        "unit dashboard": (district, f"/evaluation/unit/{world.pm1.pk}/", {"area": world.d.pk, **PERIOD}),
        "rankings": (district, "/evaluation/rankings/", {"area": world.d.pk, **PERIOD}),
        "public page": (community, f"/evaluation/public/{world.c1.code}/", {}),
    }
    for name, (client, url, query) in pages.items():
        # when the page is read as a person reads it
        response = client.get(url, query)
        assert response.status_code == 200, name
        text = shown.visible_text(response.content.decode())
        # then every percentage on it stands next to its fraction, which gives exactly that percentage
        assert shown.check_rates(text) >= 6, name
        if name != "public page":  # and every composite score is the weighted rates of its row
            assert shown.check_scores(text) >= 1, name


def test_the_cards_show_the_fraction_of_their_own_counts(world, stories, client_for):
    # when the district leader opens the dashboard of the stories' months
    page = client_for("district").get(f"/evaluation/area/{world.d.pk}/", PERIOD)
    cards = {c.figure.key: c for c in page.context["headline"]}
    html = page.content.decode()
    # then each rate card shows its rate over its fraction, and the fraction gives the rate
    for key in ("response_rate", "resolution_rate", "satisfaction_rate", "closure_rate", "on_time_rate"):
        card = cards[key]
        assert card.detail and shown.percent(shown.fraction_value(card.detail)) + "%" == card.text, key
        block = html[html.index(f'data-figure="{key}"') :]
        assert block.index(card.text) < block.index(card.detail) < block.index("口径"), key
    # and the satisfaction card weighs 基本满意 at 0.8, in those words
    assert "× 0.8) ÷" in cards["satisfaction_rate"].detail
    assert "基本满意按 0.8 计" in cards["satisfaction_rate"].figure.definition
    # and the composite card says how it weighs the three rates
    assert cards["composite"].detail == "响应率 × 0.1 + 解决率 × 0.5 + 满意率 × 0.4"


def test_satisfaction_fractions_are_recounts_of_the_appeal_rows(world, stories, client_for):
    # given every appeal row of the period, recounted here
    appeals = list(Appeal.objects.filter(kind="appeal"))
    satisfied, basically, rated = _ratings(appeals)
    assert basically and rated - satisfied - basically  # the stories hold both, so 100% would be wrong
    # when the district dashboard is read
    page = client_for("district").get(f"/evaluation/area/{world.d.pk}/", PERIOD)
    card = next(c for c in page.context["headline"] if c.figure.key == "satisfaction_rate")
    # then the card's fraction is the recount, and its rate is that fraction
    assert card.detail == f"({satisfied} + {basically} × 0.8) ÷ {rated}"
    assert card.text == shown.percent((satisfied + shown.BASICALLY * basically) / rated) + "%"
    # and so is every unit's row, the appeals without a single unit included
    units = next(t for t in page.context["tables"] if t.key == "units")
    for row in units.all_rows:
        mine = [a for a in appeals if (a.unit_id or 0) == (row.key or 0)]
        s, b, r = _ratings(mine)
        cell = next(c for c in row.cells if c.figure.key == "satisfaction_rate")
        assert cell.detail == (f"({s} + {b} × 0.8) ÷ {r}" if r else ""), row.label


def test_the_report_pdf_and_workbooks_show_each_rate_with_its_fraction(world, stories, client_for, tmp_path):
    for area in (world.d, world.s1, world.c1):
        # when the March report of the district, a subdistrict and a community is written
        content = report_content(area, date(2025, 3, 1))
        text = shown.pdf_text(write_pdf(content), tmp_path)
        book = load_workbook(BytesIO(write_xlsx(content)))
        # then in the PDF every percentage is followed by its fraction and every score is its weighted rates
        assert shown.check_rates(text) >= 10, area.name
        assert shown.check_scores(text) >= 1, area.name
        # and in the workbook every rate has its fraction beside it, whose value it is
        assert shown.check_workbook(book) >= 10, area.name
    # and so do the dashboard's and the rankings' workbooks
    client = client_for("district")
    for url, query in (
        (f"/evaluation/area/{world.d.pk}/export.xlsx", PERIOD),
        (f"/evaluation/unit/{world.pm1.pk}/export.xlsx", {"area": world.d.pk, **PERIOD}),
        ("/evaluation/rankings/", {"area": world.d.pk, "format": "xlsx", **PERIOD}),
    ):
        book = load_workbook(BytesIO(client.get(url, query).content))
        assert shown.check_workbook(book) >= 10, url


def test_the_reports_comments_are_the_ratings_its_satisfaction_rate_counts(world, stories, tmp_path):
    # given the month whose appeals hold the most 不满意 ratings (every rating in the stories has a comment)
    by_month: dict[date, list[Appeal]] = {}
    for a in Appeal.objects.filter(kind="appeal"):
        local = a.submitted_at.astimezone(CST)
        by_month.setdefault(date(local.year, local.month, 1), []).append(a)

    def left_out(appeals) -> int:
        satisfied, basically, rated = _ratings(appeals)
        return rated - satisfied - basically

    month = max(by_month, key=lambda m: left_out(by_month[m]))
    satisfied, basically, rated = _ratings(by_month[month])
    # when the district's report of that month is written
    text = shown.pdf_text(write_pdf(report_content(world.d, month)), tmp_path)
    # then its satisfaction rate is that recount
    assert f"({satisfied} + {basically} × 0.8) ÷ {rated}" in shown.collapse(text)
    # and it lists exactly as many 不满意 comments as the rate leaves out
    comments = text[text.index("五、居民评价意见") : text.index("六、")]
    unsatisfied = len(re.findall(r"(?m)^\S+ 不满意 ", comments))
    assert unsatisfied == rated - satisfied - basically and unsatisfied


def test_the_notice_of_a_published_report_shows_each_rate_with_its_fraction(world, stories):
    # when a community's March report is published on its notice board
    report = MonthlyReport(
        area=world.c1,
        month=date(2025, 3, 1),
        requested_at=datetime(2025, 4, 1, 2, tzinfo=CST),
        finished_at=datetime(2025, 4, 1, 3, tzinfo=CST),
    )
    body = report_notice_body(report, world.c1)
    # then the notice's rates each carry their fraction
    assert shown.check_rates(body) >= 4
