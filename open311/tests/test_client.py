"""A client written only from the GeoReport v2 specification — urllib and xml.etree, no Linli code — against a
running server: it lists the services, reads a definition, files a request with its key and reads requests back.

``Open311Client`` is the whole client; ``test_a_spec_only_client_against_the_live_server`` drives it on
pytest-django's live server (the same code runs against ``make run`` with the demo key: see docs/open311.md).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree as ET


class Open311Client:
    def __init__(self, endpoint: str, api_key: str = ""):
        self.endpoint = endpoint.rstrip("/") + "/"
        self.api_key = api_key

    def _get(self, path: str, params: dict | None = None) -> bytes:
        url = self.endpoint + path + ("?" + urllib.parse.urlencode(params) if params else "")
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()

    def services(self) -> list[dict]:
        return json.loads(self._get("services.json"))

    def services_xml(self) -> list[dict]:
        root = ET.fromstring(self._get("services.xml"))
        assert root.tag == "services"
        return [{child.tag: child.text or "" for child in service} for service in root.findall("service")]

    def definition(self, service_code: str) -> dict:
        root = ET.fromstring(self._get(f"services/{urllib.parse.quote(service_code)}.xml"))
        assert root.tag == "service_definition"
        attributes = []
        for a in root.find("attributes") or []:
            item = {c.tag: c.text or "" for c in a if c.tag != "values"}
            item["values"] = [{v.tag: v.text or "" for v in value} for value in a.iterfind("values/value")]
            attributes.append(item)
        return {"service_code": root.findtext("service_code"), "attributes": attributes}

    def submit(self, fields: list[tuple[str, str]]) -> dict:
        data = urllib.parse.urlencode([("api_key", self.api_key), *fields]).encode()
        with urllib.request.urlopen(self.endpoint + "requests.json", data=data, timeout=10) as response:
            return json.loads(response.read())[0]

    def requests(self, **params: str) -> list[dict]:
        return json.loads(self._get("requests.json", params))

    def request_xml(self, service_request_id: str) -> dict:
        root = ET.fromstring(self._get(f"requests/{service_request_id}.xml"))
        assert root.tag == "service_requests"
        return {c.tag: c.text or "" for c in root.find("request")}

    def error_of(self, path: str) -> tuple[int, list[dict]]:
        try:
            self._get(path)
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())
        raise AssertionError(f"{path} did not fail")


def test_a_spec_only_client_against_the_live_server(transactional_db, live_server, o311):
    client = Open311Client(live_server.url + "/open311/v2/", api_key=o311.key_text)
    services = client.services()
    assert {s["service_code"] for s in services} == {"HJBH-LJQY", "HJBH-ZYRM", "JTYS-TCGL"}
    assert client.services_xml() == [
        {k: str(v).lower() if isinstance(v, bool) else v for k, v in s.items()} for s in services
    ]

    with_metadata = next(s for s in services if s["metadata"])
    definition = client.definition(with_metadata["service_code"])
    required = [a for a in definition["attributes"] if a["required"] == "true" and a["variable"] == "true"]
    assert required and required[0]["values"]

    lat, long = o311.inside_g1a
    fields = [("service_code", with_metadata["service_code"]), ("lat", str(lat)), ("long", str(long))]
    fields += [
        ("description", "路灯不亮"),
        (f"attribute[{required[0]['code']}]", required[0]["values"][0]["key"]),
    ]
    filed = client.submit(fields)
    assert filed["service_request_id"]

    listed = client.requests(status="open")
    assert [r["service_request_id"] for r in listed] == [filed["service_request_id"]]
    one = client.request_xml(filed["service_request_id"])
    assert one["status"] == "open" and one["description"] == "路灯不亮"
    status, errors = client.error_of("services/NOPE.json")
    assert status == 404 and errors[0]["code"] == 404 and "NOPE" in errors[0]["description"]
