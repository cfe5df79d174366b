"""The REST API: topics, meetings, votes, ballots and the result; 409 / 400 / 403 / 404 with reasons, never 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from deliberation import voting
from deliberation.tests.conftest import later, option, to_voting_step
from linli import clock

pytestmark = pytest.mark.django_db


def test_topic_create_advance_and_refusals(world, api_client_for):
    staff = api_client_for("community")
    r = staff.post(
        "/api/topics/", {"community": world.c1.pk, "title": "停车位划线", "body": "车位不够"}, format="json"
    )
    assert r.status_code == 201, r.content
    topic = r.json()
    assert topic["current_step_name"] == "确定议题" and [s["state"] for s in topic["steps"]][:2] == [
        "current",
        "waiting",
    ]
    assert staff.post(f"/api/topics/{topic['id']}/advance/", {}, format="json").status_code == 200
    # the next step is refused (409) with what is missing
    r = staff.post(f"/api/topics/{topic['id']}/advance/", {}, format="json")
    assert r.status_code == 409 and "尚未发布议题公示" in r.json()["detail"]
    detail = staff.get(f"/api/topics/{topic['id']}/").json()
    assert detail["steps"][1]["missing"] == ["尚未发布议题公示"]
    # bad fields: 400 with field messages
    r = staff.post(
        f"/api/topics/{topic['id']}/notices/", {"kind": "topic", "body": "", "days": 0}, format="json"
    )
    assert r.status_code == 400 and {"body", "days"} <= set(r.json())
    # a resident of the community may not run it (403); the topic is not yet published to residents (404)
    resident = api_client_for("resident")
    assert resident.post(f"/api/topics/{topic['id']}/advance/", {}, format="json").status_code == 404
    r = staff.post(
        f"/api/topics/{topic['id']}/notices/", {"kind": "topic", "body": "拟划线", "days": 7}, format="json"
    )
    assert r.status_code == 200
    r = resident.post(f"/api/topics/{topic['id']}/advance/", {}, format="json")
    assert r.status_code == 403 and "社区工作者" in r.json()["detail"]
    # staff of another community: 404
    assert api_client_for("community2").get(f"/api/topics/{topic['id']}/").status_code == 404
    assert [e["action"] for e in staff.get(f"/api/topics/{topic['id']}/events/").json()] == [
        "create",
        "advance",
        "notice",
    ]


def test_vote_ballots_and_result(world, api_client_for, lift, open_vote):
    vote = open_vote(secret=True)
    resident = api_client_for("resident")
    r = resident.post(f"/api/votes/{vote.pk}/ballots/", {"option": option(vote, "同意")}, format="json")
    assert r.status_code == 201 and r.json()["channel"] == "online"
    r = resident.post(f"/api/votes/{vote.pk}/ballots/", {"option": option(vote, "不同意")}, format="json")
    assert r.status_code == 409 and "每户只能投一票" in r.json()["detail"]
    staff = api_client_for("community")
    body = {"option": option(vote, "同意"), "paper": True, "household": world.h1a.pk}
    r = staff.post(f"/api/votes/{vote.pk}/ballots/", body, format="json")
    assert r.status_code == 409 and "在线投票，不能再录入纸质选票" in r.json()["detail"]
    body["household"] = world.h1a2.pk
    assert staff.post(f"/api/votes/{vote.pk}/ballots/", body, format="json").status_code == 201
    # secret: hidden until it closes
    result = resident.get(f"/api/votes/{vote.pk}/result/").json()
    assert result["hidden"] is True and result["ballots"] == 2 and "outcome" not in result
    assert staff.post(f"/api/votes/{vote.pk}/close/").status_code == 409
    with clock.at(later()):
        assert staff.post(f"/api/votes/{vote.pk}/close/").status_code == 200
        result = resident.get(f"/api/votes/{vote.pk}/result/").json()
        r = resident.post(f"/api/votes/{vote.pk}/ballots/", {"option": option(vote, "同意")}, format="json")
        assert r.status_code == 409 and "不能更改" in r.json()["detail"]
    assert result["final"] and result["outcome"]["passed"]
    assert {t["key"]: t["met"] for t in result["outcome"]["thresholds"]} == {
        "quorum_area": True, "quorum_owners": True, "approval_area": True, "approval_owners": True,
    }  # fmt: skip
    # outsiders: 404
    assert api_client_for("community2").get(f"/api/votes/{vote.pk}/result/").status_code == 404


def test_vote_create_and_meeting_via_api(world, api_client_for, lift):
    staff = api_client_for("community")
    now = timezone.now()
    body = {
        "topic": lift.pk, "title": "是否加装电梯", "question": "方案见公示", "electorate": "residents",
        "matter": "weighty", "opens_at": now.isoformat(), "closes_at": (now + timedelta(days=3)).isoformat(),
    }  # fmt: skip
    # at 确定议题 no vote may be opened: 409, naming the step where it may
    r = staff.post("/api/votes/", body, format="json")
    assert r.status_code == 409
    assert r.json()["detail"] == "议题当前在“确定议题”步骤，表决须在“开展协商”步骤发起"
    to_voting_step(world.community, lift)
    r = staff.post("/api/votes/", body, format="json")
    assert r.status_code == 400 and "业主按户表决" in r.json()["matter"][0]
    body.update(electorate="owners", buildings=[world.b1a.pk])
    r = staff.post("/api/votes/", body, format="json")
    assert r.status_code == 201 and [o["label"] for o in r.json()["options"]] == ["同意", "不同意", "弃权"]
    r = staff.post(
        "/api/meetings/",
        {"topic": lift.pk, "form": "bench_talk", "title": "恳谈会", "place": "楼下", "starts_at": now.isoformat(),
         "convenor": world.community_person.pk},
        format="json",
    )  # fmt: skip
    assert r.status_code == 201
    meeting = r.json()
    r = staff.post(f"/api/meetings/{meeting['id']}/minutes/", {"minutes": "…"}, format="json")
    assert r.status_code == 409 and "尚未记录签到" in r.json()["detail"]
    r = staff.post(
        f"/api/meetings/{meeting['id']}/invite/", {"party": "legal", "name": "王律师"}, format="json"
    )
    assert r.status_code == 200 and len(r.json()["participants"]) == 2


def test_schema_documents_the_endpoints(world, api_client_for):
    r = api_client_for("community").get("/api/schema/")
    text = r.content.decode()
    for path in (
        "/api/topics/",
        "/api/meetings/",
        "/api/notices/",
        "/api/votes/{id}/ballots/",
        "/api/votes/{id}/result/",
    ):
        assert path in text


def test_ballots_for_the_resident_after_vote_via_service(world, lift, open_vote):
    vote = open_vote()
    voting.vote_cast(user=world.resident, vote_id=vote.pk, option_id=option(vote, "同意"))
    assert vote.ballots.count() == 1
