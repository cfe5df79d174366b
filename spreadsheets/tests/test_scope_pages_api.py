"""Who may import what, and the page and API that wrap the import and export."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from areas.models import Area
from spreadsheets.layout import XLSX_CONTENT_TYPE
from spreadsheets.tests.helpers import errors_of, make_workbook, read_sheets, run_import, table_counts

GRID_IN_C2 = make_workbook({"区域": [["G2B", "和平二网格", "网格", "C2", None]]})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sheets", "where"),
    [
        ({"区域": [["G2B", "和平二网格", "网格", "C2", None]]}, ("区域", 2, "上级代码")),
        ({"区域": [["C9", "新社区", "社区", "S1", None]]}, ("区域", 2, "上级代码")),
        ({"区域": [["D9", "新区", "区", None, None]]}, ("区域", 2, "上级代码")),
        ({"楼栋": [["B2B", "和平2号楼", "G2A", "", None, None, None]]}, ("楼栋", 2, "网格代码")),
        ({"户": [["B2A", "302", 80]]}, ("户", 2, "楼栋代码")),
        ({"单位": [["PM9", "外区物业", "物业服务企业", "C2", "", ""]]}, ("单位", 2, "所属区域代码")),
        (
            {"人员": [["外人", "", None, None, "C2", None, None, None, None, None, None]]},
            ("人员", 2, "社区代码"),
        ),
        (
            {"人员": [["无社区", "", None, None, None, None, None, None, None, None, None]]},
            ("人员", 2, "社区代码"),
        ),
    ],
    ids=[
        "grid-in-c2",
        "community",
        "district",
        "building-in-g2a",
        "household-in-b2a",
        "unit",
        "person-in-c2",
        "person-nowhere",
    ],
)
def test_community_staff_cannot_import_outside_their_community(town, sheets, where):
    # given community staff of C1 and a row that belongs to another community (or above theirs)
    before = table_counts()

    # when they import it
    result = run_import(town.staff_c1, make_workbook(sheets))

    # then it is refused at that cell as out of scope, and nothing is written
    assert errors_of(result) == [where]
    assert "管辖范围" in result.errors[0].message or "管理员" in result.errors[0].message
    assert table_counts() == before


@pytest.mark.django_db
def test_subdistrict_staff_may_create_a_community_with_a_grid_and_people_in_it(town):
    # when subdistrict staff of S1 import a new community, its grid and a resident registered there
    data = make_workbook(
        {
            "区域": [["G9", "九网格", "网格", "C9", None], ["C9", "新社区", "社区", "S1", 1200]],
            "人员": [["新居民", "13811119999", None, None, "C9", None, None, None, None, None, None]],
        }
    )
    result = run_import(town.staff_s1, data)

    # then the rows are created, children after their parent whatever the row order
    assert result.ok, result.errors
    assert Area.objects.get(code="G9").parent == Area.objects.get(code="C9", parent=town.s1)


@pytest.mark.django_db
def test_admin_may_import_anywhere(town):
    result = run_import(town.admin, GRID_IN_C2)
    assert result.ok and Area.objects.get(code="G2B").parent == town.c2


# ---- page ---------------------------------------------------------------------------------------------------
def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("staff_c1", 200), ("staff_s1", 200), ("worker_g1a", 404), ("resident", 404)],
)
def test_page_is_for_admins_and_community_or_subdistrict_staff(town, persona, status):
    client = client_for(getattr(town, persona))
    assert client.get(reverse("spreadsheet-home")).status_code == status
    assert client.get(reverse("spreadsheet-export")).status_code == status
    assert client.get(reverse("spreadsheet-template")).status_code == status
    nav = client.get(reverse("home")).context["nav"]
    assert (("spreadsheets", "导入导出", reverse("spreadsheet-home")) in nav) == (status == 200)


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(town):
    response = Client().get(reverse("spreadsheet-home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.django_db
def test_page_downloads_export_as_xlsx(town):
    response = client_for(town.staff_c1).get(reverse("spreadsheet-export"))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    assert [r[0] for r in read_sheets(response.content)["楼栋"]] == ["代码", "B1A"]


@pytest.mark.django_db
def test_page_upload_shows_counts_on_success(town):
    client = client_for(town.staff_c1)
    upload = BytesIO(make_workbook({"区域": [["G1C", "幸福三网格", "网格", "C1", None]]}))
    upload.name = "new.xlsx"
    response = client.post(reverse("spreadsheet-home"), {"file": upload})
    assert response.status_code == 200
    assert response.context["result"].created["区域"] == 1
    assert "导入成功" in response.content.decode()
    assert Area.objects.filter(code="G1C").exists()


@pytest.mark.django_db
def test_page_upload_shows_a_table_of_errors(town):
    client = client_for(town.staff_c1)
    upload = BytesIO(GRID_IN_C2)
    upload.name = "bad.xlsx"
    before = table_counts()
    response = client.post(reverse("spreadsheet-home"), {"file": upload})
    html = response.content.decode()
    assert "导入失败" in html and "第 2 行" in html and "上级代码" in html and "管辖范围" in html
    assert table_counts() == before


# ---- API ----------------------------------------------------------------------------------------------------
def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.mark.django_db
def test_api_import_returns_201_with_counts(town):
    upload = BytesIO(make_workbook({"户": [["B1A", "109", 60]]}))
    upload.name = "h.xlsx"
    response = api_for(town.staff_c1).post("/api/spreadsheets/import/", {"file": upload}, format="multipart")
    assert response.status_code == 201
    assert response.json()["created"] == {"区域": 0, "楼栋": 0, "户": 1, "单位": 0, "人员": 0}


@pytest.mark.django_db
def test_api_import_returns_400_with_row_errors(town):
    upload = BytesIO(GRID_IN_C2)
    upload.name = "bad.xlsx"
    before = table_counts()
    response = api_for(town.staff_c1).post("/api/spreadsheets/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["sheet"], error["row"], error["column"]) == ("区域", 2, "上级代码")
    assert table_counts() == before


@pytest.mark.django_db
def test_api_import_without_file_and_by_others(town):
    assert api_for(town.admin).post("/api/spreadsheets/import/", {}, format="multipart").status_code == 400
    upload = BytesIO(GRID_IN_C2)
    upload.name = "x.xlsx"
    response = api_for(town.worker_g1a).post(
        "/api/spreadsheets/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_api_export_returns_the_workbook_of_my_scope(town):
    response = api_for(town.staff_c1).get("/api/spreadsheets/export/", HTTP_ACCEPT=XLSX_CONTENT_TYPE)
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    assert [r[0] for r in read_sheets(response.content)["楼栋"]] == ["代码", "B1A"]
    assert api_for(town.resident).get("/api/spreadsheets/export/").status_code == 403


@pytest.mark.django_db
def test_openapi_document_describes_the_endpoints(town):
    schema = api_for(town.admin).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    imp = schema["paths"]["/api/spreadsheets/import/"]["post"]
    assert "multipart/form-data" in imp["requestBody"]["content"]
    assert {"201", "400"} <= set(imp["responses"])
    export = schema["paths"]["/api/spreadsheets/export/"]["get"]
    assert XLSX_CONTENT_TYPE in export["responses"]["200"]["content"]
