"""Dashboards, rankings, exports and the API, as each persona sees them."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from evaluation.tests.stories import make_stories

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(world):
    return make_stories(world, random_count=6)


def test_district_leader_sees_the_district_dashboard_with_definitions_and_drill_links(
    world, stories, client_for
):
    # given the district leader; when they open 统计
    client = client_for("district")
    response = client.get("/evaluation/", follow=True)
    # then the district's dashboard for the stories' months, each figure with its definition
    assert response.status_code == 200
    response = client.get(f"/evaluation/area/{world.d.pk}/?start=2025-03&end=2025-05")
    page = response.content.decode()
    assert "示范区" in page and "响应率" in page and "按时响应数 ÷ 应响应数" in page
    assert "东湖街道" in page and "西山街道" in page  # the subdistricts ranked
    assert "/appeals/?status=&amp;measure=counted" in page  # numbers drill down to the queue


def test_drill_link_lists_exactly_the_counted_appeals(world, stories, client_for):
    from appeals.models import Appeal

    client = client_for("district")
    response = client.get(
        "/appeals/",
        {
            "status": "",
            "measure": "overdue",
            "month_from": "2025-03",
            "month_to": "2025-05",
            "area": world.d.pk,
        },
    )
    shown = {a.pk for a, _ in response.context["rows"]}
    expected = {
        a.pk
        for a in Appeal.objects.exclude(status__in=["merged", "withdrawn"])
        if a.contact_overdue or a.resolve_overdue
    }
    assert shown == expected and shown


def test_a_rates_shortfall_links_to_exactly_the_appeals_that_missed_it(world, stories, client_for):
    from urllib.parse import parse_qs, urlparse

    from appeals.models import Appeal

    # given the district dashboard of the stories' months
    client = client_for("district")
    page = client.get(f"/evaluation/area/{world.d.pk}/?start=2025-03&end=2025-05")
    cards = {c.figure.key: c for c in page.context["headline"]}
    counted = Appeal.objects.exclude(status__in=["merged", "withdrawn"])
    expected = {
        "satisfaction_rate": {
            a.pk
            for a in counted
            if a.rated_at and a.satisfaction and a.satisfaction not in ("satisfied", "basically_satisfied")
        },
        "closure_rate": {a.pk for a in counted if a.completed_at is None},
    }
    for key, pks in expected.items():
        card = cards[key]
        assert pks, key  # the stories hold such appeals
        # then the card says how many missed, and the link lists exactly them
        assert card.short_label.endswith(f" {len(pks)} 件"), card.short_label
        url = urlparse(card.short_url)
        listed = client.get(
            url.path, {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        )
        assert {a.pk for a, _ in listed.context["rows"]} == pks, key
        assert card.short_label.split(" ")[0] in listed.content.decode()  # the list says what it is


@pytest.mark.parametrize(
    "persona,area,status",
    [
        ("community", "c1", 200),
        ("community", "c2", 404),
        ("community", "d", 404),
        ("subdistrict", "s1", 200),
        ("subdistrict", "c1", 200),
        ("subdistrict", "s2", 404),
        ("gridworker", "g1a", 200),
        ("gridworker", "g1b", 404),
        ("district", "g2a", 200),
        ("admin", "d", 200),
        ("resident", "c1", 404),
        ("unit", "c1", 404),
        ("partymember", "c1", 404),
    ],
)
def test_each_user_sees_only_dashboards_of_their_scope(world, client_for, persona, area, status):
    response = client_for(persona).get(f"/evaluation/area/{getattr(world, area).pk}/")
    assert response.status_code == status


def test_unit_staff_see_their_own_units_figures_and_rank_and_nothing_else(world, stories, client_for):
    from appeals.models import Appeal

    # given 幸福物业's staff; when they open 统计
    client = client_for("unit")
    response = client.get("/evaluation/?start=2025-03&end=2025-05", follow=True)
    # then they land on their unit's dashboard across the district, with its rank among the units
    assert response.status_code == 200
    assert response.context["unit"] == world.pm1 and response.context["area"] == world.d
    counted = Appeal.objects.exclude(status__in=["merged", "withdrawn"]).filter(unit=world.pm1).count()
    assert counted and response.context["totals"]["counted"] == counted
    page = response.content.decode()
    assert "幸福物业 · 2025年03月至2025年05月 评单统计" in page and "承办单位排名" not in page
    card = next(c for c in response.context["headline"] if c.figure.key == "counted")
    listed = client.get(card.url.replace("&amp;", "&"))  # the numbers drill to the unit's own appeals
    assert f"unit={world.pm1.pk}" in card.url and len(listed.context["rows"]) == counted
    # and their workbook holds the same figures
    export = client.get(f"/evaluation/unit/{world.pm1.pk}/export.xlsx", {"month": "2025-03..2025-05"})
    assert export.status_code == 200 and "总览" in load_workbook(BytesIO(export.content)).sheetnames
    # but another unit's figures, or area dashboards, are not theirs
    assert client.get(f"/evaluation/unit/{world.pm2.pk}/").status_code == 404
    assert client.get(f"/evaluation/unit/{world.pm2.pk}/export.xlsx").status_code == 404
    assert client.get(f"/evaluation/area/{world.c1.pk}/").status_code == 404


@pytest.mark.parametrize(
    "persona,unit,area,status",
    [
        ("community", "pm1", "c1", 200),  # area staff see any unit's work within their area
        ("community", "dept", "c1", 200),
        ("community", "pm1", "c2", 404),
        ("community", "pm1", "d", 404),
        ("district", "pm2", "d", 200),
        ("unit", "pm1", "c2", 200),  # a unit's own staff see its work anywhere
        ("unit2", "pm1", "d", 404),
        ("resident", "pm1", "c1", 404),
        ("partymember", "pm1", "c1", 404),
    ],
)
def test_unit_dashboards_follow_scope(world, client_for, persona, unit, area, status):
    response = client_for(persona).get(
        f"/evaluation/unit/{getattr(world, unit).pk}/", {"area": getattr(world, area).pk}
    )
    assert response.status_code == status


def test_area_dashboards_link_each_unit_to_its_work_there(world, stories, client_for):
    response = client_for("community").get(f"/evaluation/area/{world.c1.pk}/?start=2025-03&end=2025-05")
    units = next(t for t in response.context["tables"] if t.key == "units")
    row = next(r for r in units.all_rows if r.key == world.pm1.pk)
    assert row.url == f"/evaluation/unit/{world.pm1.pk}/?area={world.c1.pk}&month=2025-03..2025-05"
    drilled = client_for("community").get(row.url)
    assert drilled.status_code == 200 and drilled.context["totals"]["counted"] == row.counted


def test_bad_month_is_a_message_not_an_error(world, client_for):
    response = client_for("district").get(f"/evaluation/area/{world.d.pk}/?month=2025-13")
    assert response.status_code == 200 and "月份格式" in response.content.decode()
    api = client_for("district").get("/api/figures/?month=oops")
    assert api.status_code == 400 and "month" in api.json()


def test_api_figures_by_unit_are_exact_counts_with_definitions(world, stories, api_client_for):
    response = api_client_for("district").get(
        "/api/figures/", {"area": "D", "month": "2025-03..2025-05", "by": "community"}
    )
    body = response.json()
    assert response.status_code == 200 and body["area"]["code"] == "D"
    assert {r["label"] for r in body["rows"]} == {"幸福社区", "和平社区"}
    assert sum(r["counts"]["counted"] for r in body["rows"]) == body["total"]["counts"]["counted"]
    assert "definition" in body["definitions"]["response_rate"]
    outside = api_client_for("community2").get("/api/figures/", {"area": "C1"})
    assert outside.status_code == 404


def test_api_figures_of_one_unit_follow_the_unit_dashboards_scope(world, stories, api_client_for):
    from appeals.models import Appeal

    mine = api_client_for("unit").get("/api/figures/", {"unit": world.pm1.pk, "month": "2025-03..2025-05"})
    counted = Appeal.objects.exclude(status__in=["merged", "withdrawn"]).filter(unit=world.pm1).count()
    assert mine.status_code == 200 and mine.json()["total"]["counts"]["counted"] == counted
    assert mine.json()["unit"]["code"] == "U-PM1"
    assert api_client_for("unit").get("/api/figures/", {"unit": world.pm2.pk}).status_code == 404
    assert api_client_for("unit").get("/api/figures/", {"unit": "x"}).status_code == 400
    assert api_client_for("unit").get("/api/figures/", {"unit": 999999}).status_code == 404
    assert api_client_for("unit").get("/api/figures/").status_code == 404  # no area of their own


def test_rankings_and_dashboard_export_to_excel_with_a_table_per_sheet(world, stories, client_for):
    client = client_for("district")
    response = client.get(
        "/evaluation/rankings/", {"area": world.d.pk, "month": "2025-03..2025-05", "format": "xlsx"}
    )
    book = load_workbook(BytesIO(response.content))
    assert {"街道排名", "社区排名", "承办单位排名"} <= set(book.sheetnames)
    assert all(len(book[name].tables) == 1 for name in book.sheetnames if name != "总览")
    response = client.get(f"/evaluation/area/{world.c1.pk}/export.xlsx", {"month": "2025-03..2025-05"})
    book = load_workbook(BytesIO(response.content))
    assert book["总览"]["A5"].value == "响应率"


def test_queue_export_keeps_the_filters(world, stories, client_for):
    from appeals.models import Appeal

    client = client_for("community")
    page = client.get("/appeals/", {"status": "closed"}).content.decode()
    assert "/evaluation/export/appeals.xlsx?status=closed" in page
    response = client.get("/evaluation/export/appeals.xlsx", {"status": "closed"})
    ws = load_workbook(BytesIO(response.content))["诉求"]
    ids = {row[0] for row in ws.iter_rows(min_row=2, values_only=True) if isinstance(row[0], int)}
    assert ids == set(
        Appeal.objects.filter(status="closed", area_path__startswith=world.c1.path).values_list(
            "pk", flat=True
        )
    )
    assert client_for("resident").get("/evaluation/export/appeals.xlsx").status_code == 404


def test_nav_shows_statistics_to_area_and_unit_staff_only(world, client_for):
    assert "统计" in client_for("community").get("/").content.decode()
    assert ">统计<" in client_for("unit").get("/").content.decode()
    assert ">统计<" not in client_for("resident").get("/").content.decode()
    assert ">统计<" not in client_for("partymember").get("/").content.decode()


def test_public_figures_need_no_login_and_show_no_names(world, stories, client):
    response = client.get("/evaluation/public/C1/")
    page = response.content.decode()
    assert response.status_code == 200 and "三率与排名" in page and "满意率" in page
    assert "张秀英" not in page and "13812345678" not in page
