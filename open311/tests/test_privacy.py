"""GET requests publishes appeals from every channel, and nothing personal with them."""

from __future__ import annotations

import json

from django.test import Client

from appeals import services
from appeals.models import Channel
from open311.reports import scrub


def test_a_residents_appeal_is_published_without_name_phone_or_home(o311, world):
    # Given an appeal the resident (138****5678) filed on the app, naming herself and giving numbers
    person = world.resident_person
    appeal = services.appeal_submit(
        user=world.resident,
        title="楼道灯坏了",
        body=f"我是{person.name}，住 1 栋 101，电话 {person.phone}，身份证 430102199001011234，邮箱 a.b@example.com",
        channel=Channel.APP,
        building=world.b1a,
        address="幸福小区 1 栋 101",
        is_anonymous=True,
    )
    # When anyone reads the public list
    body = Client().get("/open311/v2/requests.json").content.decode()
    [got] = json.loads(body)
    # Then the request is there, but no name, phone, ID, e-mail or household address
    assert got["service_request_id"] == str(appeal.pk)
    for secret in (person.name, person.phone, "430102199001011234", "a.b@example.com", "101"):
        assert secret not in body, secret
    assert "138****5678" in got["description"]
    assert got["address"] == "幸福社区 幸福一网格" and got["address_id"] == ""
    assert got["lat"] is not None  # the grid's middle, not the building


def test_open311_contact_details_are_kept_for_staff_and_never_published(o311, world):
    lat, long = o311.inside_g1a
    o311.post(
        Client(),
        service_code="HJBH-ZYRM",
        lat=lat,
        long=long,
        description="广场舞音响太响",
        first_name="秀英",
        last_name="王",
        email="wang@example.com",
        phone="13912345678",
        device_id="device-42",
        account_id="acct-7",
    )
    for fmt in ("json", "xml"):
        text = Client().get(f"/open311/v2/requests.{fmt}").content.decode()
        for secret in ("秀英", "wang@example.com", "13912345678", "device-42", "acct-7"):
            assert secret not in text
    filed = o311.key.requests.get()
    assert (filed.first_name, filed.last_name, filed.phone) == ("秀英", "王", "13912345678")
    assert not filed.appeal.is_anonymous and "13912345678" not in filed.appeal.body


def test_scrub_masks_numbers_and_the_name():
    text = scrub(
        "张三说：打 13812345678 或 0731-84561234，证件 43010219900101123X，mail z@x.cn，住 3栋2单元501",
        "张三",
    )
    assert (
        text
        == "张*说：打 138****5678 或 0731-8****234，证件 4301**************，mail ***@***，住 （门牌已隐去）"
    )
    assert scrub("幸福小区 1 栋门口漏水", address="幸福小区 1 栋") == "（地址已隐去）门口漏水"
