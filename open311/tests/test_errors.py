"""Bad input gets the spec's error list with the right HTTP status — in both formats, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from appeals.models import Appeal
from open311.keys import key_issue, key_revoke
from open311.tests.spec import check_json, check_xml


def refused(response, status: int, fmt: str = "json", says: str = "") -> list:
    assert response.status_code == status, response.content
    errors = (
        check_json("errors", response.content) if fmt == "json" else check_xml("errors", response.content)
    )
    assert errors and all(int(e["code"]) == status for e in errors)
    assert not says or any(says in e["description"] for e in errors), errors
    return errors


def litter(o311, **extra):
    lat, long = o311.inside_g1a
    fields = {"service_code": "HJBH-LJQY", "lat": lat, "long": long, "attribute[bin_type]": "other"}
    fields.update(extra)
    return fields


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "query, says",
    [
        ("start_date=yesterday", "start_date"),
        ("end_date=2026-13-40", "end_date"),
        ("start_date=2026-12-02T10:00", "start_date"),  # a time without its zone
        ("start_date=2026-01-01&end_date=2026-06-01", "90"),
        ("start_date=2026-06-01&end_date=2026-05-01", "end_date"),
        ("status=pending", "status"),
        ("service_code=NOPE", "NOPE"),
        ("service_request_id=1,abc", "service_request_id"),
    ],
)
def test_bad_filters_are_400(o311, fmt, query, says):
    refused(Client().get(f"/open311/v2/requests.{fmt}?{query}"), 400, fmt, says)


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "path",
    ["services/NOPE", "services/HJBH", "services/JTYS-OLD", "requests/999999", "requests/abc", "tokens/nope"],
)
def test_unknown_things_are_404(o311, fmt, path):
    refused(Client().get(f"/open311/v2/{path}.{fmt}"), 404, fmt)


def test_unknown_jurisdiction_and_format_are_404(o311):
    refused(Client().get("/open311/v2/services.json?jurisdiction_id=ELSEWHERE"), 404, says="jurisdiction_id")
    refused(Client().get("/open311/v2/services.csv"), 404, says=".json")
    refused(Client().get("/open311/v2/discovery"), 404)
    assert Client().get("/open311/v2/services.json?jurisdiction_id=D").status_code == 200


def test_wrong_method_is_405(o311):
    refused(Client().delete("/open311/v2/requests.json"), 405)
    refused(Client().post("/open311/v2/services.xml"), 405, "xml")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_no_key_a_wrong_key_and_a_revoked_key_are_403(o311, world, fmt):
    client = Client()
    refused(o311.post(client, fmt, api_key="", **litter(o311)), 403, fmt, "api_key")
    refused(o311.post(client, fmt, api_key="not-a-key", **litter(o311)), 403, fmt, "invalid")
    key_revoke(actor=world.admin, key_id=o311.key.pk)
    refused(o311.post(client, fmt, **litter(o311)), 403, fmt, "revoked")
    assert not Appeal.objects.exists()


def test_a_place_outside_the_key_areas_is_403_and_outside_every_grid_400(o311, world):
    lat, long = o311.inside_g2a  # 和平社区: not the key's
    refused(o311.post(Client(), **litter(o311, lat=lat, long=long)), 403, says="和平一网格")
    refused(o311.post(Client(), **litter(o311, lat=0, long=0)), 400, says="网格")
    refused(o311.post(Client(), **litter(o311, address_id=world.b2a.code, lat="", long="")), 403)
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    "extra, says",
    [
        ({"service_code": "NOPE"}, "NOPE"),
        ({"service_code": ""}, "service_code"),
        ({"lat": "", "long": ""}, "lat"),  # no location at all
        ({"long": ""}, "long"),  # lat without long
        ({"lat": "91"}, "lat"),
        ({"lat": "north"}, "lat"),
        ({"address_id": "NO-SUCH-BUILDING"}, "address_id"),
        ({"attribute[bin_type]": ""}, "bin_type"),  # required, missing
        ({"attribute[bin_type]": "glass"}, "glass"),  # not in the list
        ({"attribute[bin_type][]": ["kitchen", "other"]}, "bin_type"),  # two values for a single one
        ({"attribute[bags]": "many"}, "bags"),
        ({"attribute[bags]": "NaN"}, "bags"),
        ({"attribute[seen_at]": "last night"}, "seen_at"),
        ({"attribute[days][]": ["mon", "sun"]}, "sun"),
        ({"attribute[hint]": "x"}, "hint"),  # informational: takes no value
        ({"attribute[colour]": "red"}, "colour"),  # not an attribute of this service
        ({"attribute[]": "x"}, "attribute"),
        ({"description": "垃圾\x01没人管"}, "description"),  # a control character XML cannot carry
        ({"description": "长" * 4001}, "description"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "call me maybe"}, "phone"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"first_name": "名" * 51}, "first_name"),
    ],
)
def test_bad_posts_are_400_and_file_nothing(o311, extra, says):
    refused(o311.post(Client(), **litter(o311, **extra)), 400, says=says)
    assert not Appeal.objects.exists()


def test_a_json_body_is_400_in_the_spec_format(o311):
    response = Client().post("/open311/v2/requests.json", '{"a": 1}', content_type="application/json")
    refused(response, 400, says="form")


def test_the_rate_of_a_key_is_its_own_and_the_refusal_is_429(o311, world):
    slow, text = key_issue(
        actor=world.admin, client="随手拍", owner="区融媒体中心", areas=[world.c1], rate_per_minute=2
    )
    client = Client()
    for _ in range(2):
        assert o311.post(client, api_key=text, **litter(o311)).status_code == 201
    response = o311.post(client, "xml", api_key=text, **litter(o311))
    refused(response, 429, "xml", "频繁")
    assert int(response["Retry-After"]) >= 1
    assert o311.post(client, **litter(o311)).status_code == 201  # another key is not held back
    assert Appeal.objects.count() == 3


def test_reading_is_limited_per_address(o311, settings):
    settings.LINLI_OPEN311_RATE = "3/min"
    client = Client()
    assert [client.get("/open311/v2/services.json").status_code for _ in range(3)] == [200] * 3
    refused(client.get("/open311/v2/services.json"), 429)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_text_xml_cannot_carry_is_dropped_and_markup_is_escaped(o311, world, fmt):
    markup = "<script>alert('x')</script> & \"quotes\""
    filed = o311.post(Client(), **litter(o311, description=markup)).json()[0]["service_request_id"]
    Appeal.objects.filter(pk=filed).update(
        body="坏\x0b字\x1f符"
    )  # text that reached the table some other way
    Appeal.objects.filter(pk=filed).update(title="t")
    from open311.models import Open311Request

    Open311Request.objects.filter(
        appeal_id=filed
    ).delete()  # read it as a plain appeal: its body is published
    response = Client().get(f"/open311/v2/requests/{filed}.{fmt}")
    assert response.status_code == 200
    [got] = (
        check_json("requests", response.content) if fmt == "json" else check_xml("requests", response.content)
    )
    assert got["description"] in ("坏字符", "坏\x0b字\x1f符")  # JSON escapes them; XML drops them

    Appeal.objects.filter(pk=filed).update(body=markup)
    response = Client().get(f"/open311/v2/requests/{filed}.{fmt}")
    [got] = (
        check_json("requests", response.content) if fmt == "json" else check_xml("requests", response.content)
    )
    assert got["description"] == markup


HOSTILE = [
    "'; DROP TABLE appeals_appeal; --",
    "../../etc/passwd",
    "\u202e\ufeff",
    "９９",
    "1e309",
    "-0",
    "x" * 5000,
    "%",
    "[]",
]


@pytest.mark.parametrize("junk", HOSTILE)
def test_hostile_values_anywhere_are_answered_never_a_500(o311, junk):
    client = Client()
    for fmt in ("json", "xml"):
        for name in (
            "service_request_id",
            "service_code",
            "start_date",
            "end_date",
            "status",
            "jurisdiction_id",
        ):
            response = client.get(f"/open311/v2/requests.{fmt}", {name: junk})
            assert response.status_code in (200, 400, 404), (name, response.status_code)
        for path in ("services", "requests", "tokens"):
            assert client.get(f"/open311/v2/{path}/{junk[:200]}.{fmt}").status_code in (200, 400, 404)
        for name in (
            "service_code",
            "lat",
            "long",
            "address_id",
            "address_string",
            "attribute[bin_type]",
            "email",
        ):
            response = o311.post(client, fmt, **litter(o311, **{name: junk}))
            assert response.status_code in (201, 400, 403), (
                name,
                response.status_code,
                response.content[:200],
            )


def test_a_nul_is_refused_before_it_reaches_open311(o311):
    # linli.inputs.RejectNulMiddleware answers first (its own 400 page): still never a 500, and nothing filed
    assert Client().get("/open311/v2/requests.json?status=%00").status_code == 400
    assert o311.post(Client(), **litter(o311, description="a\x00b")).status_code == 400
    assert not Appeal.objects.exists()
