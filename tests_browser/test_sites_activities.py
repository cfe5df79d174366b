"""党群服务阵地 and 活动 in the browser: a resident finds the community's service centre on the phone and books a
room, staff confirm it at the desk; the resident signs up for an activity, scans the check-in QR code the staff
phone shows, and after the staff close it with a report sees it as attended. At 390 px and 1280 px."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from tests_browser.helpers import DESKTOP, NOW, PHONE, answer_confirm, login, logout, shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def place(demo):
    """The demo community's service centre, and a 道德讲堂 this morning that has just begun."""
    from django.contrib.auth import get_user_model

    from activities import services as activity_services
    from sites import services

    staff = get_user_model().objects.get(username="community")
    site = services.site_create(
        user=staff, community=demo.community, kind="center", name="党群服务中心", address="中心路 18 号",
        services=["老年证办理", "社保卡代办"], rooms=[("多功能活动室", 60), ("书画室", 12)],
        hours=[*[(d, time(8, 30), time(17, 30), False) for d in range(5)],
               *[(d, time(18), time(20, 30), True) for d in range(5)], (5, time(9), time(12), True)],
    )  # fmt: skip
    activity = activity_services.activity_plan(
        user=staff, community=demo.community, kind="moral", title="道德讲堂：孝老爱亲", site=site,
        starts_at=NOW - timedelta(minutes=30), ends_at=NOW + timedelta(hours=1, minutes=30), cap=40,
        organiser="社区党委",
    )  # fmt: skip
    activity_services.activity_publish(user=staff, activity_id=activity.pk)
    return site, activity


def test_resident_books_a_room_and_attends_a_checked_in_activity(place, new_context):
    site, activity = place
    phone = new_context(PHONE)
    login(phone, "resident")
    phone.locator("nav.nav").get_by_role("link", name="社区事务").click()
    phone.get_by_role("link", name="党群服务阵地").click()
    expect(phone.locator("main h1")).to_contain_text("党群服务阵地")
    phone.get_by_role("link", name=site.name).click()
    expect(phone.locator("main")).to_contain_text("18:00–20:30")
    phone.locator("#book select[name=kind]").select_option(label="场地预约")
    phone.locator("#book select[name=room]").select_option(label="多功能活动室（容纳 60 人）")
    phone.fill("#book input[name=day]", "2026-12-03")
    phone.fill("#book input[name=start]", "19:00")
    phone.fill("#book input[name=end]", "20:00")
    phone.fill("#book input[name=attendees]", "15")
    phone.fill("#book input[name=purpose]", "楼栋议事会")
    with phone.expect_navigation():
        phone.get_by_role("button", name="提交预约").click()
    expect(phone.locator(".messages")).to_contain_text("等待工作人员确认")
    shoot(phone, "sites-book-phone.png", full_page=True)

    desk = new_context(DESKTOP)
    login(desk, "community")
    desk.goto("/sites/bookings/?status=requested")
    row = desk.locator("tr").filter(has_text="楼栋议事会")
    expect(row).to_contain_text("待确认")
    with desk.expect_navigation():
        row.get_by_role("button", name="确认").click()
    expect(desk.locator(".messages")).to_contain_text("预约已确认")
    desk.goto("/sites/bookings/")
    expect(desk.locator("tr").filter(has_text="楼栋议事会")).to_contain_text("已确认")
    shoot(desk, "sites-bookings-desk.png", full_page=True)

    # The resident signs up for this morning's 道德讲堂 on the phone.
    phone.goto("/activities/")
    phone.get_by_role("link", name=activity.title).first.click()
    with phone.expect_navigation():
        phone.get_by_role("button", name="我要报名").click()
    expect(phone.locator(".messages")).to_contain_text("报名成功")

    # At the door, the staff phone shows the check-in QR code; the resident scans it and confirms.
    staff_phone = new_context(PHONE)
    login(staff_phone, "community")
    staff_phone.goto(f"/activities/{activity.pk}/")
    staff_phone.get_by_role("link", name="出示签到二维码").click()
    expect(staff_phone.locator(".activity-qr svg")).to_be_visible()
    box = staff_phone.locator(".activity-qr svg").bounding_box()
    assert box is not None and box["width"] > 300  # fills the phone's width
    shoot(staff_phone, "activities-qr-phone.png")
    link = staff_phone.locator("#checkin-link").get_attribute("href")
    assert link and "/checkin/?c=" in link
    phone.goto(link)
    with phone.expect_navigation():
        phone.get_by_role("button", name="确认签到").click()
    expect(phone.locator(".messages")).to_contain_text("签到成功")
    expect(phone.locator("main")).to_contain_text("您已签到")
    shoot(phone, "activities-checkin-phone.png")

    # The staff close it with a short report at the desk; the resident sees it attended, at 1280 px.
    desk.goto(f"/activities/{activity.pk}/")
    expect(desk.locator("main")).to_contain_text("已签到 1 人")
    desk.locator("summary").filter(has_text="结束活动并写小结").click()
    desk.fill("textarea[name=report]", "到场居民听了三个孝亲敬老的故事，并交流了家风家训。")
    answer_confirm(desk)
    with desk.expect_navigation():
        desk.get_by_role("button", name="结束活动").click()
    expect(desk.locator(".messages")).to_contain_text("活动已结束")
    shoot(desk, "activities-closed-desk.png", full_page=True)
    logout(desk)
    login(desk, "resident")
    desk.goto(f"/activities/{activity.pk}/")
    expect(desk.locator("main")).to_contain_text("已签到")
    expect(desk.locator("main")).to_contain_text("孝亲敬老的故事")
    desk.goto("/sites/")
    expect(desk.locator("main")).to_contain_text("已确认")
    shoot(desk, "sites-resident-desk.png", full_page=True)
