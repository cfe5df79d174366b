"""A worker records an appeal for a resident: finds them in the register (within the worker's scope) or registers
them, in the worker's words, and is told what happens next; a resident keeps their own first-person form."""

from __future__ import annotations

import pytest

from access.scope import Scope
from appeals.intake import find_people, staff_confirmation
from appeals.models import Appeal
from notifications.models import Notification
from people.models import Person

pytestmark = pytest.mark.django_db

PROBLEM = {"channel": "visit", "title": "楼道灯坏了", "body": "居民说 1 号楼楼道灯坏了一周。"}


def _names(people) -> set[str]:
    return {p.name for p in people}


def test_search_finds_people_by_name_phone_and_address_within_scope(world):
    community = Scope.of(world.community)
    assert _names(find_people(community, "李桂")) == {"李桂兰"}
    assert _names(find_people(community, "1111")) == {"李桂兰"}  # the last digits of her phone
    assert _names(find_people(community, "幸福1号楼 101")) == {"张秀英"}  # building and door number
    assert _names(find_people(community, "王德明")) == set()  # lives in 和平社区, outside c1
    # a grid worker of g1a finds only the people of the grid: 李桂兰 lives in g1b
    assert _names(find_people(Scope.of(world.gridworker), "李桂兰")) == set()
    assert _names(find_people(Scope.of(world.gridworker), "张")) == {"张秀英"}


def test_search_fragment_shows_masked_phones_to_a_building_head_and_refuses_residents(world, client_for):
    html = client_for("buildinghead").get("/appeals/new/people/", {"q": "张秀英"}).content.decode()
    assert "张秀英" in html and "138****5678" in html and "13812345678" not in html
    assert 'name="person"' in html and "幸福1号楼 101" in html
    none = client_for("gridworker").get("/appeals/new/people/", {"q": "王德明"}).content.decode()
    assert "名册里没有找到“王德明”" in none
    assert client_for("resident").get("/appeals/new/people/", {"q": "张"}).status_code == 404


def test_staff_form_speaks_as_a_worker_and_the_resident_form_as_the_resident(world, client_for):
    staff = client_for("gridworker").get("/appeals/new/").content.decode()
    for words in ("代居民登记诉求", "在居民名册中查找", "登记新居民", "不确定，由社区分类", "隐藏居民姓名"):
        assert words in staff
    assert "帮我" not in staff and "我的姓名" not in staff
    mine = client_for("resident").get("/appeals/new/").content.decode()
    assert "请社区帮我分类" in mine and "隐藏我的姓名" in mine and "居民名册" not in mine


def test_grid_worker_records_for_a_resident_found_in_the_register(world, client_for):
    # given the grid worker found 张秀英 in the register and picked her, without naming a place
    r = client_for("gridworker").post(
        "/appeals/new/", {**PROBLEM, "person": world.resident_person.pk}, follow=True
    )
    # then the appeal is hers, at her home building, recorded by the worker, with no second person registered
    appeal = Appeal.objects.get()
    assert appeal.raised_by == world.resident_person and appeal.building == world.b1a
    assert appeal.recorded_by == world.gridworker and appeal.channel == "visit"
    assert Person.objects.filter(name="张秀英").count() == 1
    # and the worker is told the number and what happens next, in the worker's terms
    text = r.content.decode()
    assert f"已登记为 #{appeal.pk}，诉求人 张秀英（网格员走访）" in text
    assert "已通知幸福社区的社区工作人员分类派单" in text
    assert "居民可在“我的诉求”里看到进展" in text
    assert "正在办理中" not in text
    assert Notification.objects.filter(user=world.community, title="新诉求：楼道灯坏了").exists()


def test_grid_worker_registers_a_new_resident_with_the_appeal(world, client_for):
    r = client_for("gridworker").post(
        "/appeals/new/",
        {
            **PROBLEM,
            "new_name": "赵大爷",
            "new_phone": "13911112222",
            "building": world.b1a.pk,
            "address": "3 单元",
        },
        follow=True,
    )
    appeal = Appeal.objects.get()
    zhao = appeal.raised_by
    assert zhao.name == "赵大爷" and zhao.community == world.c1 and zhao.user is None
    assert "幸福1号楼" in zhao.note and "3 单元" in zhao.note
    text = r.content.decode()
    assert "赵大爷 已登记到幸福社区的居民名册" in text
    assert "居民没有登录账号" in text and "代为评价" in text
    # when the same phone is typed again for a "new" person, the worker is sent to the register instead
    r = client_for("gridworker").post(
        "/appeals/new/",
        {**PROBLEM, "new_name": "赵大爷", "new_phone": "13911112222", "building": world.b1a.pk},
    )
    assert "已登记为赵大爷" in r.content.decode() and Appeal.objects.count() == 1


def test_the_worker_must_name_the_resident(world, client_for):
    r = client_for("gridworker").post("/appeals/new/", PROBLEM)
    assert "请在居民名册中选中诉求人，或登记新居民的姓名" in r.content.decode()
    assert not Appeal.objects.exists()


def test_a_person_outside_the_scope_cannot_be_picked(world, client_for):
    r = client_for("gridworker").post("/appeals/new/", {**PROBLEM, "person": world.resident_c2.pk})
    assert "所选居民不在您的工作范围内" in r.content.decode()
    assert not Appeal.objects.exists()


def test_a_building_head_records_for_a_resident_of_the_building_but_registers_nobody(world, client_for):
    page = client_for("buildinghead").get("/appeals/new/").content.decode()
    assert "名册里没有：登记新居民" not in page and "请联系网格员或社区工作人员登记" in page
    client_for("buildinghead").post("/appeals/new/", {**PROBLEM, "person": world.resident_person.pk})
    assert Appeal.objects.get().raised_by == world.resident_person


def test_community_staff_recording_are_asked_to_dispatch_it_themselves(world):
    from appeals import services

    appeal = services.appeal_submit(
        user=world.community,
        title="路灯不亮",
        body="小区门口路灯不亮。",
        channel="hotline",
        raised_by=world.neighbour_g1b,
        building=world.b1b,
    )
    text = staff_confirmation(Scope.of(world.community), appeal, registered=False)
    assert text.startswith(f"已登记为 #{appeal.pk}，诉求人 李桂兰（热线电话）。")
    assert "请在下方分类、派单" in text and "居民没有登录账号" in text


def test_unit_staff_record_no_one_else_and_are_not_offered_to(world, client_for):
    unit = client_for("unit")
    assert "登记诉求" not in unit.get("/appeals/").content.decode()
    assert "登记诉求" in client_for("gridworker").get("/appeals/").content.decode()
    assert (
        "居民名册" not in unit.get("/appeals/new/").content.decode()
    )  # their own report, in their own words
    assert unit.get("/appeals/new/people/", {"q": "张"}).status_code == 404
