"""Deliberation and the notice board in the admin, which is the administrator's alone (access.admin_site): the
administrator lists the topics, meetings, votes and notices read-only (changes go through the services) and edits
the words of the process templates, audited; staff are refused (they work on the deliberation pages)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from deliberation import meetings, services
from deliberation.models import ProcessTemplate, StepDefinition
from deliberation.tests.conftest import to_voting_step
from notices.models import Notice
from notices.services import notice_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics(world):
    c1 = services.topic_create(user=world.community, community=world.c1, title="幸福社区停车位划线", body="…")
    c2 = services.topic_create(user=world.community2, community=world.c2, title="和平社区加装雨棚", body="…")
    for topic, user, person in (
        (c1, world.community, world.community_person),
        (c2, world.community2, world.community2_person),
    ):
        meetings.meeting_schedule(
            user=user, topic_id=topic.pk, form="bench_talk", title=f"{topic.title}恳谈会", place="广场",
            starts_at=timezone.now() + timedelta(days=1), convenor=person,
        )  # fmt: skip
        notice_publish(
            user=user, community=topic.community, kind="other", title=f"{topic.title}公示", body="…", days=3
        )
    return c1, c2


def listed(client, path: str) -> set[str]:
    response = client.get(f"/admin/{path}/")
    assert response.status_code == 200
    return {str(o) for o in response.context["cl"].result_list}


def test_the_administrator_lists_every_topic_meeting_and_notice(world, topics, client_for):
    client = client_for("admin")
    titles = {"幸福社区停车位划线", "和平社区加装雨棚"}
    assert listed(client, "deliberation/topic") == titles
    assert listed(client, "deliberation/meeting") == {f"{t}恳谈会" for t in titles}
    assert listed(client, "notices/notice") == {f"{t}公示" for t in titles}


@pytest.mark.parametrize(
    "persona", ["community", "community2", "subdistrict", "gridworker", "district", "unit"]
)
def test_staff_are_refused_the_deliberation_admin(world, topics, client_for, persona):
    client = client_for(persona)
    for path in ("deliberation/topic", "deliberation/meeting", "notices/notice"):
        assert client.get(f"/admin/{path}/").status_code == 403


def test_community2_does_not_open_a_community1_topic(world, topics, client_for):
    c1, _ = topics
    response = client_for("community2").get(f"/admin/deliberation/topic/{c1.pk}/change/")
    assert response.status_code == 403 and "幸福社区停车位划线" not in response.content.decode()
    notice = Notice.objects.get(community=world.c1)
    assert client_for("community2").get(f"/admin/notices/notice/{notice.pk}/change/").status_code == 403


def test_a_topic_is_read_only_in_the_admin_and_closed_to_its_staff(world, topics, client_for):
    c1, _ = topics
    response = client_for("admin").get(f"/admin/deliberation/topic/{c1.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200 and "幸福社区停车位划线" in html and 'name="_save"' not in html
    assert "确定议题" in html  # the steps and the timeline are shown with the topic
    client = client_for("community")
    url = f"/admin/deliberation/topic/{c1.pk}/change/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "改了", "_save": "保存"}).status_code == 403
    assert client.post(f"/admin/deliberation/topic/{c1.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/deliberation/topic/add/").status_code == 403
    c1.refresh_from_db()
    assert c1.title == "幸福社区停车位划线"


def test_residents_are_not_let_into_the_admin(world, topics, client_for):
    response = client_for("resident").get("/admin/deliberation/topic/")
    assert response.status_code == 403


def test_ballots_and_evaluations_are_not_in_the_admin(world, client_for):
    assert client_for("admin").get("/admin/deliberation/ballot/").status_code == 404
    assert client_for("admin").get("/admin/deliberation/evaluation/").status_code == 404


def test_only_the_administrator_edits_a_process_template(world, client_for):
    template = ProcessTemplate.objects.get(code="146")
    url = f"/admin/deliberation/processtemplate/{template.pk}/change/"
    staff = client_for("community")
    assert 'name="_save"' not in staff.get(url).content.decode()
    assert staff.post(url, {"name": "改", "_save": "保存"}).status_code == 403
    admin_client = client_for("admin")
    response = admin_client.get(url)
    steps = response.context["inline_admin_formsets"][0].formset
    data = {
        "name": "六步流程", "description": template.description, "is_active": "on", "_save": "保存",
        f"{steps.prefix}-TOTAL_FORMS": str(len(steps.forms)), f"{steps.prefix}-INITIAL_FORMS": str(len(steps.forms)),
        f"{steps.prefix}-MIN_NUM_FORMS": "0", f"{steps.prefix}-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, form in enumerate(steps.forms):
        step = form.instance
        data.update({
            f"{steps.prefix}-{i}-id": str(step.pk), f"{steps.prefix}-{i}-template": str(template.pk),
            f"{steps.prefix}-{i}-name": step.name, f"{steps.prefix}-{i}-guidance": step.guidance,
        })  # fmt: skip
    data[f"{steps.prefix}-0-guidance"] = "党组织牵头收集居民提议"
    posted = admin_client.post(url, data)
    assert posted.status_code == 302, posted.context and posted.context["adminform"].form.errors
    template.refresh_from_db()
    assert template.name == "六步流程"
    first = StepDefinition.objects.get(template=template, order=1)
    assert (first.guidance, first.code, first.requires) == ("党组织牵头收集居民提议", "set", [])
    assert (
        AuditEvent.objects.filter(action="process_template_update", object_id=str(template.pk)).count() == 1
    )
    assert AuditEvent.objects.filter(action="step_definition_update", object_id=str(first.pk)).count() == 1


def test_every_deliberation_page_of_the_admin_opens_read_only(world, topics, client_for):
    from deliberation import implementation, voting
    from deliberation.models import Decision, ImplementationTask, Meeting, Vote

    c1, _ = topics
    to_voting_step(world.community, c1)
    voting.vote_open(
        user=world.community, topic_id=c1.pk, title="是否划线", question="…", electorate="residents",
        opens_at=timezone.now(), closes_at=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    implementation.decision_record(user=world.community, topic_id=c1.pk, text_="同意划线")
    implementation.task_add(user=world.community, topic_id=c1.pk, title="请物业划线", unit=world.pm1)
    client = client_for("admin")
    objects = {
        "meeting": Meeting.objects.get(topic=c1), "vote": Vote.objects.get(topic=c1),
        "decision": Decision.objects.get(topic=c1), "implementationtask": ImplementationTask.objects.get(topic=c1),
        "processtemplate": ProcessTemplate.objects.get(code="5yi"),
    }  # fmt: skip
    for name, obj in objects.items():
        assert listed(client, f"deliberation/{name}"), name
        response = client.get(f"/admin/deliberation/{name}/{obj.pk}/change/")
        editable = name == "processtemplate"  # the administrator edits the templates' words (above)
        assert response.status_code == 200 and ('name="_save"' in response.content.decode()) == editable, name
        outsider = client_for("community2").get(f"/admin/deliberation/{name}/{obj.pk}/change/")
        assert outsider.status_code == 403, name
