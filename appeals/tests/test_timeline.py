"""The timeline in the reader's words: actors by name and role (never a login name), internal lines kept from the
resident, and deadlines that say each word once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from access.models import Role
from access.services import role_grant
from appeals import services
from appeals.models import Channel
from appeals.selectors import due_label
from linli.testing import api_client

pytestmark = pytest.mark.django_db

CST = ZoneInfo("Asia/Shanghai")


def test_the_page_names_each_actor_by_name_and_role(world, client_for, accepted):
    services.appeal_progress(user=world.unit, appeal_id=accepted.pk, note="已联系电工")
    html = client_for("community").get(f"/appeals/{accepted.pk}/").content.decode()
    assert "张秀英（居民）" in html  # submitted
    assert "吴书记（社区工作者）" in html  # dispatched
    assert "孙经理（幸福物业）" in html  # accepted, progress: the unit's name is the role
    assert "孙经理（幸福物业） · 幸福物业" not in html  # the unit is not said twice
    for login in ("resident", "community", "unit"):
        assert f">{login}<" not in html and f" {login} " not in html


def test_an_account_without_a_person_is_named_by_its_full_name_not_its_login(world, client_for, submitted):
    # given a duty account as the demo history has them: a full name, a unit role, no Person
    duty = get_user_model().objects.create_user(username="duty-d01-s1-c2", first_name="幸福社区值班员")
    role_grant(user=duty, role=Role.COMMUNITY_STAFF, area=world.c1)
    services.appeal_dispatch(user=duty, appeal_id=submitted.pk, unit=world.pm1)
    html = client_for("community").get(f"/appeals/{submitted.pk}/").content.decode()
    assert "幸福社区值班员（社区工作者）" in html and "duty-d01-s1-c2" not in html
    events = api_client(world.community).get(f"/api/appeals/{submitted.pk}/events/").json()
    dispatch = next(e for e in events if e["action"] == "dispatch")
    assert (dispatch["actor_name"], dispatch["actor_role"]) == ("幸福社区值班员", "社区工作者")
    assert all("duty-" not in e["actor_name"] for e in events)


def test_a_residents_timeline_leaves_out_internal_lines(world, client_for, submitted, category):
    # given a neighbour's appeal merged into the resident's, and the resident's appeal supervised
    other = services.appeal_submit(
        user=world.community,
        title="楼道灯不亮",
        body="同一个楼道。",
        channel=Channel.VISIT,
        raised_by=world.neighbour_g1b,
        category=category,
        grid=world.g1b,
    )
    services.appeal_merge(user=world.community, appeal_id=other.pk, into_id=submitted.pk)
    services.appeal_dispatch(user=world.community, appeal_id=submitted.pk, unit=world.pm1)
    services.appeal_supervise(user=world.subdistrict, appeal_id=submitted.pk, note="请加快")
    internal = f"#{other.pk} 的诉求人随本诉求跟进"
    # then staff read every line
    staff = client_for("community").get(f"/appeals/{submitted.pk}/").content.decode()
    assert internal in staff and "请加快" in staff
    # and the resident reads the steps of her appeal only, on the page and in the API
    mine = client_for("resident").get(f"/appeals/{submitted.pk}/").content.decode()
    assert internal not in mine and "请加快" not in mine and "督办" not in mine
    assert "提交" in mine and "派单" in mine
    events = api_client(world.resident).get(f"/api/appeals/{submitted.pk}/events/").json()
    assert [e["action"] for e in events] == ["submit", "dispatch"]


def test_deadline_labels_say_each_word_once(world, client_for, dispatched, clock_at):
    start = datetime(2026, 12, 2, 9, tzinfo=CST)
    clock_at(start)
    dispatched.resolve_due = start + timedelta(days=9, hours=2)
    assert due_label(dispatched) == "剩 9 天"
    dispatched.contact_overdue = True
    assert due_label(dispatched) == "联系超时，办结还剩 9 天"
    dispatched.resolve_due = start - timedelta(days=53, hours=1)
    dispatched.resolve_overdue = True
    assert due_label(dispatched) == "超过办结时限 53 天"
    dispatched.save(update_fields=["resolve_due", "contact_overdue", "resolve_overdue"])
    for page in ("/appeals/", f"/appeals/{dispatched.pk}/"):
        html = client_for("community").get(page).content.decode()
        assert "超过办结时限 53 天" in html and "超时 超" not in html and "超时 剩" not in html


def test_after_a_progress_note_the_unit_is_told_it_was_recorded(world, client_for, accepted):
    r = client_for("unit").post(f"/appeals/{accepted.pk}/progress/", {"text": "已联系电工"}, follow=True)
    html = r.content.decode()
    assert "已记录办理进展" in html and "已进展" not in html
