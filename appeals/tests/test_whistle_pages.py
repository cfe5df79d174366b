"""吹哨报到 through the pages and the API: the summoned units find the appeal, open it from their message,
report in, record their part and finish it; the community sees every part done."""

from __future__ import annotations

import pytest
from django.test import Client

from access.models import Role
from access.services import role_grant
from appeals import whistle
from appeals.models import Status, WhistlePart
from linli.testing import api_client
from notifications.models import Notification
from people.services import person_create, person_give_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept_staff(world):
    """A second unit's staff: 区住建局 (which serves the whole district, so c1 too)."""
    person = person_create(name="蒋科长", phone="13800000020")
    user = person_give_login(person=person, username="dept-jiang", password=world.password)
    role_grant(user=user, role=Role.UNIT_STAFF, unit=world.dept)
    return user


@pytest.fixture
def whistled(world, submitted, dept_staff):
    return whistle.appeal_whistle(
        user=world.community,
        appeal_id=submitted.pk,
        units=[world.pm1, world.dept],
        report_within_hours=4,
        task="楼道线路老化，物业和住建联合排查",
    )


def _queue(client, **params) -> str:
    return client.get("/appeals/", params).content.decode()


def test_each_summoned_unit_opens_the_message_reports_in_and_finishes_its_part(
    world, client_for, whistled, dept_staff
):
    dept = Client()
    dept.force_login(dept_staff)
    for client, user, report in (
        (client_for("unit"), world.unit, "物业已更换楼道线路"),
        (dept, dept_staff, "住建局已检查线路改造方案"),
    ):
        # given the whistle message in the unit's inbox
        message = Notification.objects.get(user=user, title__startswith="吹哨报到")
        assert "请于" in message.body and "楼道线路老化" in message.body
        # then the appeal waits in the unit's queue under 待报到, and the message's link opens it
        assert whistled.title in _queue(client, whistle="summoned")
        page = client.get(message.url)
        assert page.status_code == 200
        html = page.content.decode()
        assert 'data-action="report_in"' in html and "任务：楼道线路老化" in html
        # when the unit reports in, it leaves 待报到 and 报到 is no longer offered; it records its part next
        client.post(f"{message.url}report_in/", {"text": "已到现场"})
        assert whistled.title not in _queue(client, whistle="summoned")
        assert whistled.title in _queue(client, whistle="reported")
        html = client.get(message.url).content.decode()
        assert 'data-action="report_in"' not in html and 'data-action="part_done"' in html
        client.post(f"{message.url}progress/", {"text": "正在排查线路"})
        client.post(f"{message.url}part_done/", {"text": report})
        assert whistled.title not in _queue(client, whistle="reported")

    # then the community sees both parts done and the appeal waits for the resident's rating
    whistled.refresh_from_db()
    assert whistled.status == Status.COMPLETED
    assert set(whistled.whistle_parts.values_list("status", flat=True)) == {WhistlePart.PartStatus.DONE}
    html = client_for("community").get(f"/appeals/{whistled.pk}/").content.decode()
    assert "物业已更换楼道线路" in html and "住建局已检查线路改造方案" in html
    assert html.count("已完成") >= 2


def test_the_queue_filter_shows_a_unit_only_its_own_waiting_parts(world, client_for, whistled, dept_staff):
    # given pm1 has reported in and the department has not
    whistle.whistle_report_in(user=world.unit, appeal_id=whistled.pk)
    # then pm1's 待报到 list is empty, while the community's 待报到 list shows the department's waiting part
    assert whistled.title not in _queue(client_for("unit"), whistle="summoned")
    assert whistled.title in _queue(client_for("community"), whistle="summoned")
    # and the queue row names each summoned unit with its step
    row = _queue(client_for("community"))
    assert "幸福物业 已报到" in row and "区住建局 待报到" in row


def test_the_api_lists_and_opens_the_whistled_appeal_for_the_summoned_unit(world, whistled, dept_staff):
    api = api_client(dept_staff)
    waiting = api.get("/api/appeals/", {"whistle": "summoned"}).json()
    assert [row["id"] for row in waiting["results"]] == [whistled.pk]
    assert api.get(f"/api/appeals/{whistled.pk}/").json()["allowed_actions"] == ["report_in"]
    assert (
        api.post(f"/api/appeals/{whistled.pk}/report-in/", {"note": "到"}, format="json").status_code == 200
    )
    assert api.get("/api/appeals/", {"whistle": "summoned"}).json()["count"] == 0
    done = api.post(f"/api/appeals/{whistled.pk}/part-done/", {"report": "已排查"}, format="json")
    assert done.status_code == 200
    assert api.get("/api/appeals/", {"whistle": "bogus"}).status_code == 400


def test_a_unit_not_summoned_does_not_see_the_appeal(world, client_for, whistled):
    # given 和平物业, which was not summoned (and does not serve 幸福社区)
    assert client_for("unit2").get(f"/appeals/{whistled.pk}/").status_code == 404
    assert whistled.title not in _queue(client_for("unit2"), whistle="summoned")
    assert client_for("unit2").post(f"/appeals/{whistled.pk}/report_in/", {"text": ""}).status_code == 404


def test_merge_and_whistle_ask_before_they_are_sent(world, client_for, submitted):
    html = client_for("community").get(f"/appeals/{submitted.pk}/").content.decode()
    assert 'data-action="merge" data-confirm="合并后不能撤销' in html
    assert 'data-action="whistle" data-confirm="吹哨后所选单位会立即收到报到通知' in html


def test_a_unit_named_twice_in_one_whistle_is_summoned_once(world, submitted):
    # found by the API fuzz: units=1&units=1 gave a unique-constraint conflict instead of one summons
    api = api_client(world.community)
    body = {"units": [world.pm1.pk, world.pm1.pk], "report_within_hours": 2}
    response = api.post(f"/api/appeals/{submitted.pk}/whistle/", body, format="json")
    assert response.status_code == 200
    assert [p["unit"] for p in response.json()["whistle_parts"]] == [world.pm1.pk]
