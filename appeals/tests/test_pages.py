"""The loop through the pages (server-rendered forms), and what each role is shown."""

from __future__ import annotations

import pytest

from appeals.models import Appeal, Status

pytestmark = pytest.mark.django_db


def test_loop_through_the_pages(world, client_for, category):
    resident, community, unit = client_for("resident"), client_for("community"), client_for("unit")
    page = resident.get("/appeals/new/")
    assert page.status_code == 200 and "我要反映问题" in page.content.decode()
    r = resident.post(
        "/appeals/new/",
        {
            "title": "电梯异响",
            "body": "2 号电梯运行时异响。",
            "category": category.pk,
            "building": world.b1a.pk,
        },
    )
    appeal = Appeal.objects.get()
    assert r.status_code == 302 and r.url == f"/appeals/{appeal.pk}/"
    assert "电梯异响" in resident.get("/appeals/mine/").content.decode()

    queue = community.get("/appeals/").content.decode()
    assert "电梯异响" in queue
    detail = community.get(f"/appeals/{appeal.pk}/").content.decode()
    assert 'data-action="dispatch"' in detail and 'data-action="accept"' not in detail
    community.post(f"/appeals/{appeal.pk}/dispatch/", {"unit": world.pm1.pk})
    assert Appeal.objects.get().status == Status.DISPATCHED

    assert "电梯异响" in unit.get("/appeals/").content.decode()
    unit.post(f"/appeals/{appeal.pk}/accept/", {"text": ""})
    unit.post(f"/appeals/{appeal.pk}/complete/", {"text": "已请维保单位检修。"})
    assert Appeal.objects.get().status == Status.COMPLETED

    detail = resident.get(f"/appeals/{appeal.pk}/").content.decode()
    assert 'data-action="rate"' in detail
    resident.post(
        f"/appeals/{appeal.pk}/rate/", {"resolved": "true", "satisfaction": "satisfied", "comment": ""}
    )
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED
    timeline = resident.get(f"/appeals/{appeal.pk}/").content.decode()
    for label in ("提交", "派单", "接单", "办结", "评价"):
        assert label in timeline


def test_bad_input_shows_errors_and_changes_nothing(world, client_for, submitted):
    community = client_for("community")
    r = community.post(f"/appeals/{submitted.pk}/dispatch/", {"unit": "999999"})
    assert r.status_code == 200 and "error" in r.content.decode()
    r = community.post(f"/appeals/{submitted.pk}/triage/", {"kind": "answer", "answer": ""})
    assert r.status_code == 200 and "请填写答复内容" in r.content.decode()
    r = client_for("resident").post("/appeals/new/", {"title": "", "body": ""})
    assert r.status_code == 200 and "该字段是必填项" in r.content.decode()
    r = community.post(f"/appeals/{submitted.pk}/no-such-action/", {})
    assert r.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED and submitted.events.count() == 1


def test_stale_action_gets_a_clear_message(world, client_for, dispatched):
    unit = client_for("unit")
    unit.post(f"/appeals/{dispatched.pk}/accept/", {"text": ""})
    r = unit.post(f"/appeals/{dispatched.pk}/return/", {"text": "晚了"}, follow=True)
    assert "不能退回" in r.content.decode()


def test_pages_follow_scope(world, client_for, submitted):
    assert client_for("community2").get(f"/appeals/{submitted.pk}/").status_code == 404
    assert client_for("unit").get(f"/appeals/{submitted.pk}/").status_code == 404
    assert (
        client_for("unit2").post(f"/appeals/{submitted.pk}/dispatch/", {"unit": world.pm2.pk}).status_code
        == 404
    )
    assert "楼道灯坏了" not in client_for("community2").get("/appeals/").content.decode()
    # a resident's "queue" is their own list
    assert client_for("resident").get("/appeals/").status_code == 302


def test_grid_worker_records_for_a_resident_met_on_a_visit(world, client_for):
    r = client_for("gridworker").post(
        "/appeals/new/",
        {
            "new_name": "赵大爷",
            "new_phone": "13911112222",
            "channel": "visit",
            "grid": world.g1a.pk,
            "title": "想申请助餐",
            "body": "独居老人，想了解社区助餐。",
        },
    )
    assert r.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.raised_by.name == "赵大爷" and appeal.raised_by.user is None
    assert appeal.channel == "visit" and appeal.grid == world.g1a and appeal.recorded_by == world.gridworker
