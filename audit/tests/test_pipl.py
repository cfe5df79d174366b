"""PIPL (audit/access_log.py, privacy.py, erasure.py): the access log of full phones, the privacy consent at first
sign-in, a resident's own data, erasure that keeps the figures, and the retention sweep."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from appeals import services
from appeals.models import Appeal, Channel, Satisfaction
from audit.erasure import (
    ERASED_NAME,
    ERASED_TEXT,
    erasure_request_carry_out,
    erasure_request_submit,
    retention_sweep,
)
from audit.models import AuditEvent, ErasureRequest, PersonalDataView, PrivacyConsent
from categories.models import Category
from linli import clock

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen():
    with clock.travel(NOW):
        yield


def closed_appeal(w, title: str, **extra) -> Appeal:
    category = Category.objects.get_or_create(
        code="T-WY", defaults={"name": "物业管理", "contact_hours": 4, "resolve_working_days": 3}
    )[0]
    appeal = services.appeal_submit(
        user=extra.pop("user", w.resident),
        title=title,
        body=f"{title}，我家住 1 号楼 101，电话 13812345678。",
        channel=Channel.APP,
        category=category,
        building=w.b1a,
        address="幸福小区 1 号楼 101",
        **extra,
    )
    services.appeal_dispatch(user=w.community, appeal_id=appeal.pk, unit=w.pm1)
    services.appeal_accept(user=w.unit, appeal_id=appeal.pk)
    services.appeal_complete(user=w.unit, appeal_id=appeal.pk, report="已处理。")
    services.appeal_rate(
        user=w.resident,
        appeal_id=appeal.pk,
        resolved=True,
        satisfaction=Satisfaction.SATISFIED,
        comment="张师傅很好",
    )
    return Appeal.objects.get(pk=appeal.pk)


# ---- access log ------------------------------------------------------------------------------------------------
def test_viewing_a_full_phone_writes_one_access_log_row(client, world):
    # given a grid worker, who may see the resident's full phone
    client.force_login(world.gridworker)
    # when they open the resident's page
    page = client.get(f"/people/{world.resident_person.pk}/")
    # then the phone is shown in full and one row says who saw it, where
    assert "13812345678" in page.content.decode()
    rows = list(PersonalDataView.objects.filter(field="phone"))  # her home is logged too (test_access_log)
    assert len(rows) == 1
    assert rows[0].actor == world.gridworker and rows[0].person == world.resident_person
    assert rows[0].field == "phone" and rows[0].where == f"/people/{world.resident_person.pk}/"


def test_a_masked_phone_or_ones_own_writes_nothing(client, world):
    client.force_login(world.buildinghead)  # sees the building's people, phones masked
    page = client.get(f"/people/{world.resident_person.pk}/")
    assert "138****5678" in page.content.decode()
    client.force_login(world.resident)
    client.get(f"/people/{world.resident_person.pk}/")
    assert not PersonalDataView.objects.filter(field="phone").exists()
    # the building head saw her home in full (one address row); her own page is not logged
    assert list(PersonalDataView.objects.values_list("actor__username", "field")) == [
        ("buildinghead", "address")
    ]


def test_a_list_of_full_phones_writes_a_row_per_person_shown(client, world):
    client.force_login(world.community)
    client.get("/people/")
    shown = set(PersonalDataView.objects.values_list("person_id", flat=True))
    assert world.resident_person.pk in shown and world.neighbour_g1b.pk in shown
    assert world.resident_c2.pk not in shown  # another community's: masked, or not listed


# ---- consent -----------------------------------------------------------------------------------------------------
def test_a_resident_consents_once_at_first_sign_in(gated, client, world):
    client.post("/login/", {"username": "resident", "password": world.password})
    first = client.get("/appeals/mine/")
    assert first.status_code == 302 and first["Location"].startswith("/access/privacy/?next=")
    notice = client.get(first["Location"])
    assert "我已阅读并同意" in notice.content.decode()
    done = client.post(
        "/access/privacy/consent/", {"agree": "1", "notify_by_phone": "on", "next": "/appeals/mine/"}
    )
    assert done.status_code == 302 and done["Location"] == "/appeals/mine/"
    consent = PrivacyConsent.objects.get(user=world.resident)
    assert consent.choices == {"notify_by_phone": True, "public_rating": False}
    assert client.get("/appeals/mine/").status_code == 200
    # staff are not asked
    client.force_login(world.community)
    assert client.get("/people/").status_code == 200


# ---- one's own data ------------------------------------------------------------------------------------------------
def test_a_residents_export_holds_their_appeals_and_nothing_of_others(gated, client, world):
    mine = closed_appeal(world, "楼道灯坏了")
    theirs = services.appeal_submit(
        user=world.community,
        raised_by=world.neighbour_g1b,
        title="邻居的诉求",
        body="李桂兰家漏水",
        channel=Channel.VISIT,
    )
    PrivacyConsent.objects.create(user=world.resident, version="2026-12", at=clock.now())
    client.force_login(world.resident)
    data = json.loads(client.get("/access/my-data/export.json").content)
    assert data["person"]["phone"] == "13812345678"
    assert [a["id"] for a in data["appeals"]] == [mine.pk]
    assert data["appeals"][0]["rating_comment"] == "张师傅很好"
    text = json.dumps(data, ensure_ascii=False)
    assert "李桂兰" not in text and theirs.title not in text
    book = load_workbook(io.BytesIO(client.get("/access/my-data/export.xlsx").content))
    titles = [row[1] for row in book["我的诉求"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["楼道灯坏了"]
    assert AuditEvent.objects.filter(action="my_data_export", actor=world.resident).count() == 2


# ---- erasure -------------------------------------------------------------------------------------------------------
def figures_of(client, world) -> dict:
    client.force_login(world.district)
    body = client.get("/api/figures/", {"area": world.c1.pk, "month": "2026-12"}).json()
    return body["total"]


def test_an_erased_residents_appeals_keep_the_figures(client, world):
    appeal = closed_appeal(world, "楼道灯坏了")
    before = figures_of(client, world)
    assert before["counts"]  # the appeal is counted
    # given the resident asks, when the community carries it out
    request = erasure_request_submit(user=world.resident, reason="搬走了")
    with pytest.raises(ValidationError):
        erasure_request_submit(user=world.resident)  # one pending request at a time
    erasure_request_carry_out(user=world.community, request_id=request.pk)
    # then the figures are the same
    assert figures_of(client, world) == before
    # and nothing personal is left
    appeal.refresh_from_db()
    assert appeal.body == ERASED_TEXT and appeal.address == "" and appeal.rating_comment == ""
    assert appeal.is_anonymous and appeal.status == "closed" and appeal.satisfaction == Satisfaction.SATISFIED
    person = world.resident_person
    person.refresh_from_db()
    assert person.name == ERASED_NAME and person.phone == "" and not person.memberships.exists()
    assert person.community == world.c1
    world.resident.refresh_from_db()
    assert not world.resident.is_active and not world.resident.has_usable_password()
    assert ErasureRequest.objects.get(pk=request.pk).status == "done"
    assert AuditEvent.objects.filter(action="erasure_done", actor=world.community).exists()


def test_erasure_is_for_the_residents_own_community_staff(world):
    request = erasure_request_submit(user=world.resident)
    with pytest.raises(ErasureRequest.DoesNotExist):
        erasure_request_carry_out(user=world.community2, request_id=request.pk)
    assert ErasureRequest.objects.get(pk=request.pk).status == "pending"


# ---- retention -----------------------------------------------------------------------------------------------------
def test_retention_erases_appeals_closed_longer_than_the_period(world, settings):
    settings.LINLI_RETENTION_YEARS = 2
    with clock.travel(NOW - timedelta(days=365 * 3)):
        old = closed_appeal(world, "三年前的诉求")
    recent = closed_appeal(world, "本月的诉求")
    assert retention_sweep() == {"appeals": 1}
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.body == ERASED_TEXT and old.address == "" and old.status == "closed"
    assert recent.body.startswith("本月的诉求")
    assert retention_sweep() == {"appeals": 0}  # done once
    assert AuditEvent.objects.filter(action="retention_sweep").count() == 1


# ---- lockouts are audited ----------------------------------------------------------------------------------------
def test_a_lockout_is_an_audit_row(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "community", "password": "wrong-password"})
    row = AuditEvent.objects.get(action="lockout")
    assert row.data["username"] == "community"


def test_a_role_given_and_removed_in_the_admin_is_an_audit_row(client, world):
    from access.models import RoleAssignment

    client.force_login(world.admin)
    added = client.post(
        "/admin/access/roleassignment/add/",
        {"user": world.resident.pk, "role": "grid_worker", "area": world.g1a.pk},
    )
    assert added.status_code == 302, added.content.decode()[:500]
    assignment = RoleAssignment.objects.get(user=world.resident, role="grid_worker")
    client.post(f"/admin/access/roleassignment/{assignment.pk}/delete/", {"post": "yes"})
    rows = AuditEvent.objects.filter(object_type="access.roleassignment", object_id=str(assignment.pk))
    assert [(r.action, r.actor) for r in rows.order_by("id")] == [
        ("grant_role", world.admin),
        ("revoke_role", world.admin),
    ]
