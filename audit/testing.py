"""For tests: what the administrator reads of the PIPL access log — its page in the admin (个人信息查看记录) and
the Excel export of the rows it lists."""

from __future__ import annotations

import io

from django.test import Client
from openpyxl import load_workbook

from audit.models import PersonalDataView

PAGE = "/admin/audit/personaldataview/"


def administrator_reads(administrator, rows: list[PersonalDataView]) -> tuple[str, list[list]]:
    """The access-log page as ``administrator`` sees it, and the export of ``rows`` chosen there (header first)."""
    client = Client()
    client.force_login(administrator)
    page = client.get(PAGE)
    assert page.status_code == 200
    export = client.post(PAGE, {"action": "export_views", "_selected_action": [r.pk for r in rows]})
    assert export.status_code == 200, export.content[:300]
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    return page.content.decode(), [list(r) for r in sheet.iter_rows(values_only=True)]
