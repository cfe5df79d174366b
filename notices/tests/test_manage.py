"""公示管理: community staff publish general notices on their own board, see current and past notices with their
objections, and withdraw one with a reason. Staff of another community and residents do not reach the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from audit.models import AuditEvent
from linli import clock
from notices.models import Notice
from notices.services import notice_publish, objection_raise

pytestmark = pytest.mark.django_db

PUBLISH = {"kind": "other", "title": "2025 年度居务收支公示", "body": "收入…支出…", "days": 7}


def url(w, tail: str = "") -> str:
    return f"/community/{w.c1.code}/manage/{tail}"


def test_staff_publish_a_notice_from_the_page(world, client_for):
    staff = client_for("community")
    page = staff.get(url(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert "幸福社区 · 公示管理" in html and "目前没有正在公示的事项" in html
    # the topic notice belongs on the topic page, so it is not offered here
    assert 'value="other"' in html and 'value="topic"' not in html
    r = staff.post(url(world, "publish/"), PUBLISH)
    assert r.status_code == 302 and r["Location"] == url(world)
    notice = Notice.objects.get()
    assert (notice.community, notice.kind, notice.published_by) == (world.c1, "other", world.community)
    assert notice.ends_at - notice.starts_at == timedelta(days=7)
    assert AuditEvent.objects.filter(action="notice_publish", object_id=str(notice.pk)).exists()
    html = staff.get(url(world)).content.decode()
    assert (
        "已发布公示：2025 年度居务收支公示" in html
        and "正在公示（1）" in html
        and 'class="objections">0 条<' in html
    )
    # and the public board shows it without a login
    assert "2025 年度居务收支公示" in Client().get(f"/community/{world.c1.code}/").content.decode()


def test_bad_input_is_shown_on_the_page_and_saves_nothing(world, client_for):
    staff = client_for("community")
    r = staff.post(url(world, "publish/"), {**PUBLISH, "title": "", "days": 0})
    assert r.status_code == 200
    html = r.content.decode()
    assert "请检查填写的内容" in html and "标题" in html and "公示期（天）" in html
    assert 'name="body"' in html and "收入…支出…" in html  # what was typed stays in the form
    r = staff.post(url(world, "publish/"), {**PUBLISH, "kind": "topic"})
    assert r.status_code == 200 and "请检查填写的内容" in r.content.decode()
    r = staff.post(url(world, "publish/"), {**PUBLISH, "days": 91})
    assert r.status_code == 200
    assert Notice.objects.count() == 0 and not AuditEvent.objects.filter(action="notice_publish").exists()


@pytest.mark.parametrize(
    "persona", ["community2", "resident", "gridworker", "subdistrict", "unit", "partymember"]
)
def test_only_the_communitys_staff_reach_the_page(world, client_for, persona):
    client = client_for(persona)
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world, "publish/"), PUBLISH).status_code == 404
    assert Notice.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(world):
    r = Client().get(url(world))
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_community2_manages_its_own_board_only(world, client_for):
    client = client_for("community2")
    r = client.post(f"/community/{world.c2.code}/manage/publish/", PUBLISH)
    assert r.status_code == 302
    assert Notice.objects.get().community == world.c2


def test_current_and_past_notices_with_objections_and_withdrawal(world, client_for):
    running = notice_publish(
        user=world.community, community=world.c1, kind="ledger", title="项目台账", body="…", days=5
    )
    objection_raise(user=world.resident, notice_id=running.pk, body="第二项金额不对")
    with clock.at(clock.now() - timedelta(days=30)):
        old = notice_publish(
            user=world.community, community=world.c1, kind="other", title="旧公示", body="…", days=3
        )
    staff = client_for("community")
    html = staff.get(url(world)).content.decode()
    current, past = html.split('id="past-notices"')
    assert "项目台账" in current and 'class="objections">1 条（待答复 1）<' in current and "公示中" in current
    assert "旧公示" in past and "已期满" in past
    # withdraw needs a reason
    r = staff.post(url(world, f"{running.pk}/withdraw/"), {"reason": ""}, follow=True)
    assert "请填写撤回原因" in r.content.decode()
    running.refresh_from_db()
    assert running.status == Notice.Status.PUBLISHED
    r = staff.post(url(world, f"{running.pk}/withdraw/"), {"reason": "金额有误，更正后重新公示"}, follow=True)
    html = r.content.decode()
    assert "已撤回公示：项目台账" in html and "撤回原因：金额有误，更正后重新公示" in html
    running.refresh_from_db()
    assert running.status == Notice.Status.WITHDRAWN
    assert AuditEvent.objects.filter(action="notice_withdraw", object_id=str(running.pk)).count() == 1
    # twice: the reason why not
    r = staff.post(url(world, f"{running.pk}/withdraw/"), {"reason": "再撤"}, follow=True)
    assert "该公示已撤回" in r.content.decode()
    assert AuditEvent.objects.filter(action="notice_withdraw").count() == 1
    # staff of c2 cannot withdraw c1's notice, neither through their board nor c1's
    other = client_for("community2")
    assert other.post(url(world, f"{old.pk}/withdraw/"), {"reason": "x"}).status_code == 404
    c2_url = f"/community/{world.c2.code}/manage/{old.pk}/withdraw/"
    assert other.post(c2_url, {"reason": "x"}).status_code == 404
    old.refresh_from_db()
    assert old.status == Notice.Status.PUBLISHED


def test_the_deliberation_home_links_the_board_for_its_staff(world, client_for):
    assert url(world) in client_for("community").get("/deliberation/").content.decode()
    assert "/manage/" not in client_for("gridworker").get("/deliberation/").content.decode()
