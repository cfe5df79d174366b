"""Every endpoint in both formats, validated against the spec's fields and types (``spec.py``), and what each
document says: services from the category tree, a definition's questions, a filed request and how it reads back."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from appeals.models import Appeal, Channel
from open311.models import Open311Request
from open311.tests.spec import check_json, check_xml

CST = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=CST)
FORMATS = ["json", "xml"]


def read(kind: str, response, fmt: str):
    assert response.status_code in (200, 201), response.content
    expected = "application/json" if fmt == "json" else "text/xml"
    assert response["Content-Type"].startswith(expected)
    return check_json(kind, response.content) if fmt == "json" else check_xml(kind, response.content)


def litter_request(o311, world, **extra):
    lat, long = o311.inside_g1a
    fields = {
        "service_code": "HJBH-LJQY",
        "lat": f"{lat:.6f}",
        "long": f"{long:.6f}",
        "description": "幸福路口垃圾桶满了三天没人清运",
        "attribute[bin_type]": "kitchen",
        "attribute[bags]": "4",
        "attribute[days][]": ["mon", "sat"],
        "media_url": "https://photos.example.org/litter/1.jpg",
    }
    fields.update(extra)
    return fields


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_are_the_active_leaves_of_the_category_tree(o311, fmt):
    services = read("services", Client().get(f"/open311/v2/services.{fmt}"), fmt)
    by_code = {s["service_code"]: s for s in services}
    assert sorted(by_code) == ["HJBH-LJQY", "HJBH-ZYRM", "JTYS-TCGL"]  # no groups, no disabled service
    litter = by_code["HJBH-LJQY"]
    assert litter["service_name"] == "垃圾清运" and litter["group"] == "环境保护"
    assert litter["metadata"] in (True, "true") and by_code["HJBH-ZYRM"]["metadata"] in (False, "false")
    assert litter["type"] == "realtime" and litter["keywords"] == "环境保护,垃圾清运"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_definition_lists_the_questions_in_order_with_their_values(o311, fmt):
    definition = read("service_definition", Client().get(f"/open311/v2/services/HJBH-LJQY.{fmt}"), fmt)
    assert definition["service_code"] == "HJBH-LJQY"
    codes = [a["code"] for a in definition["attributes"]]
    assert codes == ["bin_type", "bags", "seen_at", "days", "hint"]
    bin_type = definition["attributes"][0]
    assert bin_type["datatype"] == "singlevaluelist" and str(bin_type["required"]).lower() == "true"
    assert [(v["key"], v["name"]) for v in bin_type["values"]] == [
        ("kitchen", "厨余垃圾"),
        ("other", "其他垃圾"),
    ]
    assert str(definition["attributes"][4]["variable"]).lower() == "false"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_without_metadata_has_an_empty_definition(o311, fmt):
    definition = read("service_definition", Client().get(f"/open311/v2/services/HJBH-ZYRM.{fmt}"), fmt)
    assert definition["service_code"] == "HJBH-ZYRM" and definition.get("attributes", []) in ([], "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_files_an_appeal_through_the_intake_of_every_channel(o311, world, clock_at, fmt):
    clock_at(NOW)
    seen = {"attribute[seen_at]": "2026-11-28T11:30:00Z"}
    answer = read("post_response", o311.post(Client(), fmt, **litter_request(o311, world, **seen)), fmt)
    assert len(answer) == 1 and answer[0]["service_notice"].startswith("社区将在 12 小时内联系您")
    appeal = Appeal.objects.get(pk=int(answer[0]["service_request_id"]))
    assert appeal.channel == Channel.OPEN311 and appeal.category == o311.litter
    assert appeal.grid == world.g1a and appeal.community == world.c1  # the grid whose shape holds the point
    assert appeal.recorded_by == o311.key.service_user and appeal.raised_by == o311.key.service_user.person
    assert appeal.is_anonymous  # no name was given
    assert "哪类垃圾：厨余垃圾" in appeal.body and "哪几天堆放：周一、周六" in appeal.body
    assert "什么时候看到的：2026-11-28 19:30" in appeal.body  # local time, as staff read it
    assert appeal.events.get().action == "submit"
    filed = Open311Request.objects.get(appeal=appeal)
    assert filed.attributes == {
        "bin_type": "kitchen",
        "bags": "4",
        "days": ["mon", "sat"],
        "seen_at": "2026-11-28T11:30:00Z",
    }
    assert filed.media_url == "https://photos.example.org/litter/1.jpg" and filed.key == o311.key
    assert answer[0]["token"] == filed.token


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_token_leads_to_its_request(o311, world, fmt):
    filed = o311.post(Client(), "json", **litter_request(o311, world)).json()[0]
    tokens = read("tokens", Client().get(f"/open311/v2/tokens/{filed['token']}.{fmt}"), fmt)
    assert tokens == [{"service_request_id": filed["service_request_id"], "token": filed["token"]}]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_reads_back_with_the_spec_fields(o311, world, clock_at, fmt):
    clock_at(NOW)
    filed = o311.post(Client(), "json", **litter_request(o311, world, address_string="幸福路 12 号")).json()[
        0
    ]
    [got] = read("requests", Client().get(f"/open311/v2/requests/{filed['service_request_id']}.{fmt}"), fmt)
    assert got["service_request_id"] == filed["service_request_id"] and got["status"] == "open"
    assert got["service_code"] == "HJBH-LJQY" and got["service_name"] == "垃圾清运"
    assert got["description"] == "幸福路口垃圾桶满了三天没人清运"
    assert got["agency_responsible"] == "幸福社区" and got["status_notes"] == "已受理，等待社区分派"
    assert got["requested_datetime"] == "2026-11-20T10:00:00+08:00"
    assert got["updated_datetime"] == "2026-11-20T10:00:00+08:00"
    assert got["expected_datetime"] in (None, "")  # no deadline before dispatch
    assert got["address"] == "幸福路 12 号" and got["media_url"] == "https://photos.example.org/litter/1.jpg"
    assert (
        abs(float(got["lat"]) - o311.inside_g1a[0]) < 1e-5
        and abs(float(got["long"]) - o311.inside_g1a[1]) < 1e-5
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_filter_by_id_code_status_and_dates(o311, world, clock_at, fmt):
    clock_at(datetime(2026, 8, 1, 9, tzinfo=CST))
    old = o311.post(Client(), "json", **litter_request(o311, world)).json()[0]["service_request_id"]
    clock_at(NOW)
    lat, long = o311.inside_g1a
    new = o311.post(
        Client(), "json", service_code="HJBH-ZYRM", lat=lat, long=long, description="夜里施工太吵"
    ).json()[0]["service_request_id"]

    def ids(query: str) -> list[str]:
        got = read("requests", Client().get(f"/open311/v2/requests.{fmt}?{query}"), fmt)
        return [r["service_request_id"] for r in got]

    assert ids("") == [new]  # the default window: the last 90 days
    assert set(ids(f"service_request_id={old},{new}")) == {old, new}  # ids override the date window
    assert ids("start_date=2026-07-20T00:00:00%2B08:00&end_date=2026-08-10T00:00:00Z") == [old]
    assert ids("start_date=2026-07-25") == [old]  # start alone: 90 days from it
    assert ids("service_code=HJBH-ZYRM") == [new]
    assert ids("status=open") == [new] and ids("status=closed") == []
    assert ids("status=open,closed&service_code=HJBH-ZYRM,HJBH-LJQY") == [new]
    assert ids("jurisdiction_id=D") == [new]


@pytest.mark.parametrize("fmt", FORMATS)
def test_errors_are_the_spec_error_list(o311, fmt):
    response = Client().get(f"/open311/v2/services/NOPE.{fmt}")
    assert response.status_code == 404
    [error] = (
        check_json("errors", response.content) if fmt == "json" else check_xml("errors", response.content)
    )
    assert int(error["code"]) == 404 and "NOPE" in error["description"]
