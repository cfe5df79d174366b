"""The notice board: the public community page without a login, objections during the period only, answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from audit.models import AuditEvent
from linli import clock
from linli.errors import PermissionDenied, TransitionError
from notices.models import Notice
from notices.services import notice_publish, objection_answer, objection_raise

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(world):
    return notice_publish(
        user=world.community,
        community=world.c1,
        kind=Notice.Kind.RESULT,
        title="2025 年度居务收支公示",
        body="收入…支出…",
        days=5,
    )


def test_public_page_needs_no_login(world, notice):
    page = Client().get(f"/community/{world.c1.code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "幸福社区 · 阳光居务" in text and "2025 年度居务收支公示" in text and "正在公示" in text
    detail = Client().get(f"/community/{world.c1.code}/notices/{notice.pk}/")
    assert detail.status_code == 200 and "登录</a>后可提出异议" in detail.content.decode()
    # another community's page does not list it; an unknown code is 404
    assert "居务收支" not in Client().get(f"/community/{world.c2.code}/").content.decode()
    assert Client().get(f"/community/{world.c2.code}/notices/{notice.pk}/").status_code == 404
    assert Client().get("/community/NOPE/").status_code == 404


def test_objection_during_period_and_answer(world, notice, client_for, django_capture_on_commit_callbacks):
    r = client_for("resident").post(
        f"/community/{world.c1.code}/notices/{notice.pk}/objections/", {"body": "支出明细不清楚"}
    )
    assert r.status_code == 302
    objection = notice.objections.get()
    assert (objection.person, objection.name) == (world.resident_person, "张秀英")
    page = Client().get(f"/community/{world.c1.code}/notices/{notice.pk}/").content.decode()
    assert "张**" in page and "张秀英" not in page  # masked in public
    with django_capture_on_commit_callbacks(execute=True):  # the resident is told once the answer is saved
        objection_answer(user=world.community, objection_id=objection.pk, answer="明细已补充公示")
    with pytest.raises(TransitionError, match="该异议已于 .* 答复"):
        objection_answer(user=world.community, objection_id=objection.pk, answer="再答")
    assert world.resident.notifications.filter(title__contains="异议已答复").exists()
    assert (
        AuditEvent.objects.filter(
            action__in=["notice_publish", "objection_raise", "objection_answer"]
        ).count()
        == 3
    )


def test_objection_refused_outside_period_or_community(world, notice):
    with clock.at(notice.ends_at + timedelta(seconds=1)):
        with pytest.raises(TransitionError, match="公示期已于 .* 结束，不能再提出异议"):
            objection_raise(user=world.resident, notice_id=notice.pk, body="晚了")
    with pytest.raises(PermissionDenied, match="只有幸福社区的居民可以"):
        objection_raise(user=world.community2, notice_id=notice.pk, body="外人")
    with pytest.raises(PermissionDenied, match="社区工作者可以发布公示"):
        notice_publish(user=world.resident, community=world.c1, kind="other", title="t", body="b", days=3)


def test_notices_api(world, notice, api_client_for):
    r = api_client_for("resident").get(f"/api/notices/?community={world.c1.code}")
    assert [n["id"] for n in r.json()["results"]] == [notice.pk]
    r = api_client_for("resident").post(
        f"/api/notices/{notice.pk}/objections/", {"body": "有异议"}, format="json"
    )
    assert r.status_code == 201 and r.json()["name"] == "张**"
    r = api_client_for("community2").post(
        f"/api/notices/{notice.pk}/objections/", {"body": "外人"}, format="json"
    )
    assert r.status_code == 403


def test_a_withdrawn_notice_takes_no_objection_and_is_not_withdrawn_again(world, notice):
    from notices.services import notice_withdraw

    with pytest.raises(PermissionDenied, match="只有本社区的社区工作者可以撤回公示"):
        notice_withdraw(user=world.community2, notice_id=notice.pk, reason="不归我")
    notice_withdraw(user=world.community, notice_id=notice.pk, reason="金额有误")
    with pytest.raises(TransitionError, match="^该公示已撤回$"):
        notice_withdraw(user=world.community, notice_id=notice.pk, reason="再撤")
    with pytest.raises(TransitionError, match="^该公示已撤回$"):  # the state is said before the right
        notice_withdraw(user=world.community2, notice_id=notice.pk, reason="再撤")
    with pytest.raises(TransitionError, match="该公示已撤回，不能再提出异议"):
        objection_raise(user=world.resident, notice_id=notice.pk, body="有异议")
    assert notice.objections.count() == 0
    assert AuditEvent.objects.filter(action="notice_withdraw").count() == 1
