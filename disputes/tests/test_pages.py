"""The pages: a grid worker registers on a visit, the community runs the case on its board, a party rates it;
the agreement's PDF and the month's ledger are real files; refusals shown on the page; privacy of the pages."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from appeals import services as appeal_services
from appeals.models import Channel
from disputes.models import Case, DisputeKind, Source, Status, Term
from disputes.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def test_grid_worker_registers_on_the_phone_form(force, client_for, now):
    w = force
    c = client_for("gridworker")
    page = c.get("/disputes/new/")
    assert page.status_code == 200 and "登记纠纷" in page.content.decode()
    kind = DisputeKind.objects.get(code="neighbour")
    r = c.post(
        "/disputes/new/",
        {
            "kind": kind.pk, "title": "漏水纠纷", "summary": "楼上漏水", "area": w.g1a.pk, "building": w.b1a.pk,
            "source": "visit", "risk": "low",
            "side_1": "applicant", "name_1": "张秀英", "phone_1": "13812345678", "statement_1": "天花板渗水",
            "side_2": "respondent", "name_2": "楼上租户", "phone_2": "13911119999",
        },
    )  # fmt: skip
    case = Case.objects.get(title="漏水纠纷")
    assert r.status_code == 302 and r["Location"] == f"/disputes/{case.pk}/"
    assert case.parties.first().person == w.resident_person  # matched on the register by name and phone
    # bad input: the message on the page, the values kept
    r = c.post(
        "/disputes/new/",
        {"kind": kind.pk, "title": "只有一方", "summary": "x", "area": w.g1a.pk, "name_1": "甲"},
    )
    body = r.content.decode()
    assert r.status_code == 200 and "至少有两方当事人" in body and "只有一方" in body, body[
        body.find("<main") :
    ][:3000]


def test_board_by_state_and_the_case_page(accepted, force, client_for):
    c = client_for("community")
    board = c.get("/disputes/?state=working").content.decode()
    assert accepted.title in board and 'data-state="working"' in board
    detail = c.get(f"/disputes/{accepted.pk}/").content.decode()
    assert "李桂兰" in detail and "秦调解" in detail and 'id="act-refer"' in detail
    assert "没有权限" not in detail


def test_steps_on_the_page_and_refusals_as_messages(accepted, force, client_for, now):
    c = client_for("mediator")
    members = list(accepted.members.values_list("pk", flat=True))
    r = c.post(
        f"/disputes/{accepted.pk}/session/",
        {"held_at": (NOW - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"), "place": "调解室", "notes": "四方到场",
         "member": members},
        follow=True,
    )  # fmt: skip
    assert "已记录本次调解" in r.content.decode()
    r = c.post(
        f"/disputes/{accepted.pk}/agree/",
        {"text": "协议", "term_1": "赔偿 500 元", "due_1": "2026-12-09"},
        follow=True,
    )
    assert "已拟定调解协议" in r.content.decode()
    r = c.post(
        f"/disputes/{accepted.pk}/agree/", {"text": "协议", "term_1": "x", "due_1": "2026-12-09"}, follow=True
    )
    assert "不能拟定调解协议" in r.content.decode()  # 409 on the page
    r = client_for("gridworker").post(
        f"/disputes/{accepted.pk}/refer/", {"to": "lawsuit", "note": "x"}, follow=True
    )
    assert "没有权限" in r.content.decode()  # 403 on the page
    scan = SimpleUploadedFile("signed.png", b"not an image", content_type="image/png")
    r = c.post(f"/disputes/{accepted.pk}/sign/", {"scan": scan}, follow=True)
    assert "签字扫描件须是" in r.content.decode()  # 400 on the page
    assert Case.objects.get(pk=accepted.pk).status == Status.AGREED
    assert client_for("community2").post(f"/disputes/{accepted.pk}/close/").status_code == 404


def test_agreement_pdf_is_a_real_document(agreed, force, client_for, tmp_path):
    r = client_for("mediator").get(f"/disputes/{agreed.pk}/agreement.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    path = tmp_path / "agreement.pdf"
    path.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "人民调解协议书" in text and "幸福社区人民调解委员会" in text
    assert "楼上住户在家具脚加装防噪垫" in text and "张秀英" in text and "秦调解" in text
    assert client_for("district").get(f"/disputes/{agreed.pk}/agreement.pdf").status_code == 404
    assert client_for("unit").get(f"/disputes/{agreed.pk}/agreement.pdf").status_code == 404


def test_ledger_workbook_opens_with_the_months_cases(following, force, client_for):
    r = client_for("community").get("/disputes/ledger.xlsx?month=2026-12")
    assert r.status_code == 200
    ws = load_workbook(BytesIO(r.content)).active
    assert ws["A1"].value == "矛盾纠纷排查化解台账"
    header = [c.value for c in ws[4]]
    assert header[:4] == ["序号", "案件编号", "登记时间", "纠纷类型"]
    row = [c.value for c in ws[5]]
    assert (
        row[4] == "楼上噪音纠纷"
        and "张秀英" in row[5]
        and row[14] == "达成协议，履行中"
        and row[15] == "0/2 条已履行"
    )
    assert client_for("resident").get("/disputes/ledger.xlsx").status_code == 403
    # leadership's ledger: the case without its parties
    ws = load_workbook(
        BytesIO(client_for("district").get("/disputes/ledger.xlsx?month=2026-12").content)
    ).active
    assert ws.cell(5, 6).value == "（不公开）"


def test_party_rates_on_their_own_page(following, force, client_for):
    w = force
    for term in Term.objects.filter(agreement__case=following):
        from disputes import outcome

        outcome.case_follow_up(
            user=w.gridworker, case_id=following.pk, term_id=term.pk, result="kept", note="好"
        )
    client_for("community").post(f"/disputes/{following.pk}/close/", {"note": ""})
    c = client_for("resident")
    mine = c.get("/disputes/mine/").content.decode()
    assert following.title in mine
    page = c.get(f"/disputes/{following.pk}/").content.decode()
    assert "请评价这次调解" in page and "我们白天上班" not in page  # not the other side's statement
    r = c.post(
        f"/disputes/{following.pk}/rate/", {"satisfaction": "satisfied", "comment": "满意"}, follow=True
    )
    assert "已评价" in r.content.decode()
    assert following.parties.get(person=w.resident_person).satisfaction == "satisfied"


def test_appeal_converted_into_a_case_links_both_ways(force, client_for, now):
    w = force
    appeal = appeal_services.appeal_submit(
        user=w.resident,
        title="邻居占用楼道堆放杂物",
        body="多次沟通无果",
        channel=Channel.APP,
        building=w.b1a,
    )
    page = client_for("community").get(f"/appeals/{appeal.pk}/").content.decode()
    assert "转为纠纷案件" in page
    kind = DisputeKind.objects.get(code="neighbour")
    r = client_for("community").post(
        f"/disputes/from-appeal/{appeal.pk}/", {"kind": kind.pk, "respondent_name": "对门住户"}
    )
    case = Case.objects.get(appeal=appeal)
    assert r["Location"] == f"/disputes/{case.pk}/" and case.source == Source.APPEAL
    assert (
        case.parties.first().person == w.resident_person and case.parties.first().statement == "多次沟通无果"
    )
    page = client_for("community").get(f"/appeals/{appeal.pk}/").content.decode()
    assert f"/disputes/{case.pk}/" in page
    r = client_for("community").post(
        f"/disputes/from-appeal/{appeal.pk}/", {"kind": kind.pk, "respondent_name": "x"}, follow=True
    )
    assert "已转为纠纷案件" in r.content.decode()  # a second conversion is refused (409)
    assert client_for("community2").post(f"/disputes/from-appeal/{appeal.pk}/", {}).status_code == 404


def test_nothing_on_the_public_page(accepted, client):
    page = client.get("/community/C1/").content.decode()
    assert accepted.title not in page and "李桂兰" not in page


def test_from_a_household_visit_the_form_starts_at_its_building(force, client_for):
    w = force
    household = w.b1a.households.first()
    page = client_for("gridworker").get(f"/disputes/new/?household={household.pk}&visit=1").content.decode()
    assert f'<option value="{w.b1a.pk}" selected>' in page
    assert f'<option value="{w.g1a.pk}" selected>' in page
    assert '<option value="visit" selected>' in page
    # a household outside the person's buildings preselects nothing
    other = w.b2a.households.first()
    page = client_for("gridworker").get(f"/disputes/new/?household={other.pk}").content.decode()
    assert " selected>" not in page.split('name="building"')[-1].split("</select>")[0]
