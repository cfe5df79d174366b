"""Residents' proposals: a resident proposes a topic for their own community (optionally about their own
building), the community's staff are told, and accept it into a process (six steps or 五议) or decline it with a
reason the proposer is told. Through the services, the pages and the API, for each role."""

from __future__ import annotations

import pytest

from deliberation import services
from deliberation.models import Topic, TopicEvent, TopicStep
from linli.errors import PermissionDenied, TransitionError, ValidationError

pytestmark = pytest.mark.django_db


def propose(w, **kw):
    args = {"user": w.resident, "title": "增设快递柜", "body": "快递经常丢，希望在小区门口增设快递柜。"}
    args.update(kw)
    return services.topic_propose(**args)


# ---- services ----------------------------------------------------------------------------------------------
def test_a_resident_proposes_for_her_community_and_its_staff_are_told(
    world, django_capture_on_commit_callbacks
):
    # when the resident proposes a topic about her own building (the staff are told once it has committed)
    with django_capture_on_commit_callbacks(execute=True):
        topic = propose(world, building=world.b1a)
    # then it waits for the community of that building, from her, with its timeline row
    assert (topic.status, topic.community, topic.building, topic.source, topic.proposed_by) == (
        Topic.Status.PROPOSED, world.c1, world.b1a, Topic.Source.RESIDENT, world.resident_person,
    )  # fmt: skip
    assert list(topic.events.values_list("action", flat=True)) == ["propose"]
    # and the staff who run c1 are told; staff of c2 are not
    assert world.community.notifications.filter(title="居民提议议题：增设快递柜").exists()
    assert not world.community2.notifications.exists()


def test_a_proposal_is_refused_outside_her_community_or_building_and_changes_nothing(world):
    with pytest.raises(PermissionDenied, match="只能为自己所在的社区提议题"):
        propose(world, community=world.c2)  # the resident lives in c1
    with pytest.raises(PermissionDenied, match="只能为自己所在的社区提议题"):
        propose(world, user=world.community2)  # staff of c2 live nowhere in the world
    for building in (world.b1b, world.b2a):  # in her community but not hers; in c2
        with pytest.raises(ValidationError) as exc:
            propose(world, building=building)
        assert exc.value.message_dict == {"building": ["只能选择您居住的楼栋"]}
    with pytest.raises(ValidationError) as exc:
        propose(world, title="  ")
    assert exc.value.message_dict == {"title": ["请填写议题"]}
    assert Topic.objects.count() == 0 and TopicEvent.objects.count() == 0


def test_the_building_head_and_the_party_member_may_propose_too(world):
    assert propose(world, user=world.buildinghead, building=world.b1a).community == world.c1
    assert propose(world, user=world.partymember).community == world.c1


def test_staff_accept_a_proposal_into_the_five_step_process_and_the_proposer_is_told(
    world, django_capture_on_commit_callbacks
):
    topic = propose(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.topic_accept(user=world.community, topic_id=topic.pk, template_code="5yi")
    topic.refresh_from_db()
    assert (topic.status, topic.template.code, topic.current_step.name) == (
        Topic.Status.ACTIVE, "5yi", "党组织提议",
    )  # fmt: skip
    assert TopicStep.objects.filter(topic=topic).count() == 1
    accept = topic.events.get(action="accept")
    assert (accept.from_status, accept.to_status, accept.note) == ("proposed", "active", "五议工作法")
    assert world.resident.notifications.filter(title="您提议的议题“增设快递柜”已受理").exists()
    # a second accept (or a decline) is refused with the reason, and changes nothing
    with pytest.raises(TransitionError, match="议题当前“进行中”，不是待受理的提议，不能受理"):
        services.topic_accept(user=world.community, topic_id=topic.pk)
    with pytest.raises(TransitionError, match="不是待受理的提议，不能不予受理"):
        services.topic_decline(user=world.community, topic_id=topic.pk, reason="重复")
    assert topic.events.count() == 2 and TopicStep.objects.filter(topic=topic).count() == 1


def test_staff_decline_with_a_reason_the_proposer_reads(world, django_capture_on_commit_callbacks):
    topic = propose(world)
    with pytest.raises(ValidationError) as exc:
        services.topic_decline(user=world.community, topic_id=topic.pk, reason=" ")
    assert exc.value.message_dict == {"reason": ["请填写不予受理的原因"]}
    topic.refresh_from_db()
    assert topic.status == Topic.Status.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        services.topic_decline(user=world.community, topic_id=topic.pk, reason="快递柜已列入物业年度计划")
    topic.refresh_from_db()
    assert (topic.status, topic.closed_reason) == (Topic.Status.DECLINED, "快递柜已列入物业年度计划")
    assert topic.events.get(action="decline").note == "快递柜已列入物业年度计划"
    note = world.resident.notifications.get(title="您提议的议题“增设快递柜”未被受理")
    assert note.body == "快递柜已列入物业年度计划" and note.url == f"/deliberation/topics/{topic.pk}/"
    with pytest.raises(TransitionError, match="议题当前“不予受理”"):
        services.topic_accept(user=world.community, topic_id=topic.pk)


def test_an_unknown_template_is_a_field_error(world):
    topic = propose(world)
    with pytest.raises(ValidationError) as exc:
        services.topic_accept(user=world.community, topic_id=topic.pk, template_code="nope")
    assert "template" in exc.value.message_dict
    topic.refresh_from_db()
    assert topic.status == Topic.Status.PROPOSED and topic.template is None


NOT_RUNNERS = ["resident", "gridworker", "gridleader", "buildinghead", "subdistrict", "unit", "partymember",
               "district", "community2", "gridworker2", "unit2"]  # fmt: skip


@pytest.mark.parametrize("persona", NOT_RUNNERS)
def test_only_the_communitys_staff_accept_or_decline(world, persona):
    topic = propose(world)
    user = getattr(world, persona)
    with pytest.raises(PermissionDenied, match="只有幸福社区的社区工作者可以受理议题"):
        services.topic_accept(user=user, topic_id=topic.pk)
    with pytest.raises(PermissionDenied, match="只有幸福社区的社区工作者可以处理居民提议"):
        services.topic_decline(user=user, topic_id=topic.pk, reason="不归我管")
    topic.refresh_from_db()
    assert topic.status == Topic.Status.PROPOSED and topic.events.count() == 1


@pytest.mark.parametrize("persona", ["community", "admin"])
def test_the_communitys_staff_and_the_administrator_accept(world, persona):
    topic = propose(world)
    services.topic_accept(user=getattr(world, persona), topic_id=topic.pk)
    topic.refresh_from_db()
    assert topic.status == Topic.Status.ACTIVE and topic.current_step.name == "确定议题"


# ---- API ---------------------------------------------------------------------------------------------------
def test_api_propose(world, api_client_for):
    resident = api_client_for("resident")
    r = resident.post(
        "/api/topics/propose/",
        {"title": "增设快递柜", "body": "快递常丢", "building": world.b1a.pk},
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["status"], body["source"], body["community"], body["building"]) == (
        "proposed", "resident", world.c1.pk, world.b1a.pk,
    )  # fmt: skip
    # refusals: bad fields 400, another community 403, none of them saves anything
    r = resident.post("/api/topics/propose/", {"title": "", "body": ""}, format="json")
    assert r.status_code == 400 and {"title", "body"} <= set(r.json())
    for building in (world.b1b.pk, world.b2a.pk, 999999):  # not hers, in c2, none at all
        body_ = {"title": "t", "body": "b", "building": building}
        r = resident.post("/api/topics/propose/", body_, format="json")
        assert r.status_code == 400 and r.json()["building"] == ["只能选择您居住的楼栋"]
    r = resident.post(
        "/api/topics/propose/", {"title": "t", "body": "b", "community": world.c2.pk}, format="json"
    )
    assert r.status_code == 403 and r.json()["detail"] == "只能为自己所在的社区提议题"
    r = resident.post("/api/topics/propose/", {"title": "t", "body": "b", "community": 999999}, format="json")
    assert r.status_code == 400 and r.json()["community"] == ["社区不存在"]
    for persona in ("community2", "unit"):
        r = api_client_for(persona).post("/api/topics/propose/", {"title": "t", "body": "b"}, format="json")
        assert r.status_code == 403
    assert Topic.objects.count() == 1
    # the proposer reads her proposal; residents of the community do not see it until it is published
    assert resident.get(f"/api/topics/{body['id']}/").status_code == 200
    assert api_client_for("partymember").get(f"/api/topics/{body['id']}/").status_code == 404


def test_api_accept_and_decline_for_each_role(world, api_client_for):
    topic = propose(world)
    url = f"/api/topics/{topic.pk}"
    # out of scope: 404; in scope without the right: 403
    for persona in ("unit", "community2", "unit2", "gridworker2"):
        assert api_client_for(persona).post(f"{url}/accept/", {}, format="json").status_code == 404, persona
    for persona in ("resident", "gridworker", "subdistrict", "district"):
        r = api_client_for(persona).post(f"{url}/accept/", {}, format="json")
        assert r.status_code == 403 and "社区工作者可以受理议题" in r.json()["detail"], persona
        r = api_client_for(persona).post(f"{url}/decline/", {"reason": "x"}, format="json")
        assert r.status_code == 403, persona
    staff = api_client_for("community")
    r = staff.post(f"{url}/accept/", {"template": "6steps"}, format="json")
    assert r.status_code == 400 and "template" in r.json()
    assert staff.post(f"{url}/decline/", {"reason": ""}, format="json").status_code == 400
    r = staff.post(f"{url}/accept/", {"template": "5yi"}, format="json")
    assert r.status_code == 200 and (r.json()["status"], r.json()["current_step_name"]) == (
        "active",
        "党组织提议",
    )
    # a second accept: 409 with the reason
    r = staff.post(f"{url}/accept/", {"template": "146"}, format="json")
    assert r.status_code == 409
    assert r.json()["detail"] == "议题当前“进行中”，不是待受理的提议，不能受理"
    assert staff.post(f"{url}/decline/", {"reason": "晚了"}, format="json").status_code == 409
    assert [e["action"] for e in staff.get(f"{url}/events/").json()] == ["propose", "accept"]


def test_api_decline(world, api_client_for):
    topic = propose(world)
    r = api_client_for("community").post(
        f"/api/topics/{topic.pk}/decline/", {"reason": "已列入物业计划"}, format="json"
    )
    assert r.status_code == 200 and (r.json()["status"], r.json()["closed_reason"]) == (
        "declined",
        "已列入物业计划",
    )
    assert api_client_for("community").get("/api/topics/?status=declined").json()["count"] == 1


def test_schema_documents_propose_accept_and_decline(world, api_client_for):
    text = api_client_for("community").get("/api/schema/").content.decode()
    for path in ("/api/topics/propose/", "/api/topics/{id}/accept/", "/api/topics/{id}/decline/"):
        assert path in text
    assert "TopicPropose" in text and "TopicAccept" in text


# ---- pages -------------------------------------------------------------------------------------------------
def test_resident_proposes_on_her_page(world, client_for):
    client = client_for("resident")
    page = client.get("/deliberation/").content.decode()
    assert 'id="propose"' in page and "我的提议" in page and "您还没有提过议题" in page
    assert world.b1a.name in page and world.b1b.name not in page  # only her own building is offered
    r = client.post(
        "/deliberation/topics/propose/", {"title": "增设快递柜", "body": "快递常丢", "building": world.b1a.pk}
    )
    assert r.status_code == 302 and r["Location"] == "/deliberation/"
    topic = Topic.objects.get()
    page = client.get("/deliberation/").content.decode()
    assert "已提交提议，社区受理后会通知您" in page and "待社区受理" in page
    assert f'href="/deliberation/topics/{topic.pk}/"' in page
    # her proposal page: no accept or decline for her
    detail = client.get(f"/deliberation/topics/{topic.pk}/").content.decode()
    assert "增设快递柜" in detail and 'data-action="accept"' not in detail and "居民提议" in detail


def test_bad_proposal_is_shown_on_the_page_with_what_she_typed(world, client_for):
    client = client_for("resident")
    r = client.post("/deliberation/topics/propose/", {"title": "增设快递柜", "body": "  "})
    assert r.status_code == 200
    page = r.content.decode()
    assert "请检查填写的内容" in page and 'value="增设快递柜"' in page
    r = client.post("/deliberation/topics/propose/", {"title": "t", "body": "b", "building": world.b1b.pk})
    assert r.status_code == 200 and "请检查填写的内容" in r.content.decode()
    assert Topic.objects.count() == 0


def test_staff_see_pending_proposals_and_accept_or_decline_them(world, client_for):
    first = propose(world)
    second = propose(world, title="楼道装声控灯")
    staff = client_for("community")
    page = staff.get("/deliberation/").content.decode()
    assert "待受理的居民提议（2）" in page and page.count('data-action="accept"') == 2
    assert "五议工作法" in page and "六步流程（146 机制）" in page
    r = staff.post(f"/deliberation/topics/{first.pk}/accept/", {"template": "146"})
    assert r.status_code == 302 and r["Location"] == f"/deliberation/topics/{first.pk}/"
    first.refresh_from_db()
    assert first.status == Topic.Status.ACTIVE and first.template.code == "146"
    # accepting again says why not
    r = staff.post(f"/deliberation/topics/{first.pk}/accept/", {"template": "146"}, follow=True)
    assert "不是待受理的提议，不能受理" in r.content.decode()
    # declining needs a reason; then the resident reads it among her proposals
    r = staff.post(f"/deliberation/topics/{second.pk}/decline/", {"reason": ""}, follow=True)
    assert "请检查填写的内容" in r.content.decode()
    r = staff.post(f"/deliberation/topics/{second.pk}/decline/", {"reason": "楼道灯由物业更换"})
    assert r.status_code == 302 and r["Location"] == "/deliberation/"
    mine = client_for("resident").get("/deliberation/").content.decode()
    assert "社区答复：楼道灯由物业更换" in mine and "不予受理" in mine
    page = staff.get("/deliberation/").content.decode()
    assert "待受理的居民提议" not in page


def test_others_cannot_accept_through_the_pages(world, client_for):
    topic = propose(world)
    # staff of another community do not see it at all
    assert (
        client_for("community2")
        .post(f"/deliberation/topics/{topic.pk}/accept/", {"template": "146"})
        .status_code
        == 404
    )
    # a grid worker of c1 sees it without buttons, and a forged post is refused with the reason
    page = client_for("gridworker").get("/deliberation/").content.decode()
    assert "待受理的居民提议（1）" in page and 'data-action="accept"' not in page
    r = client_for("gridworker").post(
        f"/deliberation/topics/{topic.pk}/accept/", {"template": "146"}, follow=True
    )
    assert "只有幸福社区的社区工作者可以受理议题" in r.content.decode()
    topic.refresh_from_db()
    assert topic.status == Topic.Status.PROPOSED
