"""The GeoReport v2 documents, field by field, as the specification describes them — written from the spec's
text (wiki.open311.org/GeoReport_v2), not from Linli's code, so a response that drifts from the spec fails.

``check_json(kind, data)`` and ``check_xml(kind, body)`` raise AssertionError naming the first wrong field.
Kinds: services, service_definition, requests, post_response, tokens, errors.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree as ET

# W3C datetime with a time: the spec's requested/updated/expected datetimes carry their time zone.
W3C = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")
URL = re.compile(r"https?://\S+")

STR, BOOL, INT, NUM, DATETIME, URL_T = "string", "boolean", "integer", "number", "datetime", "url"

SERVICE = {
    "service_code": (STR, True),
    "service_name": (STR, True),
    "description": (STR, False),
    "metadata": (BOOL, True),
    "type": (("realtime", "batch", "blackbox"), True),
    "keywords": (STR, False),
    "group": (STR, False),
}
VALUE = {"key": (STR, True), "name": (STR, True)}
ATTRIBUTE = {
    "variable": (BOOL, True),
    "code": (STR, True),
    "datatype": (("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"), True),
    "required": (BOOL, True),
    "datatype_description": (STR, False),
    "order": (INT, True),
    "description": (STR, True),
    "values": ([VALUE], False),
}
DEFINITION = {"service_code": (STR, True), "attributes": ([ATTRIBUTE], True)}
REQUEST = {
    "service_request_id": (STR, True),
    "status": (("open", "closed"), True),
    "status_notes": (STR, False),
    "service_name": (STR, False),
    "service_code": (STR, False),
    "description": (STR, False),
    "agency_responsible": (STR, False),
    "service_notice": (STR, False),
    "requested_datetime": (DATETIME, True),
    "updated_datetime": (DATETIME, False),
    "expected_datetime": (DATETIME, False),
    "address": (STR, False),
    "address_id": (STR, False),
    "zipcode": (STR, False),
    "lat": (NUM, False),
    "long": (NUM, False),
    "media_url": (URL_T, False),
}
POST_RESPONSE = {
    "service_request_id": (STR, False),
    "token": (STR, False),
    "service_notice": (STR, False),
    "account_id": (STR, False),
}
TOKEN = {"service_request_id": (STR, False), "token": (STR, True)}
ERROR = {"code": (INT, True), "description": (STR, True)}

# kind → (XML root, XML item, fields, is a list)
DOCUMENTS: dict[str, tuple[str, str, dict, bool]] = {
    "services": ("services", "service", SERVICE, True),
    "service_definition": ("service_definition", "", DEFINITION, False),
    "requests": ("service_requests", "request", REQUEST, True),
    "post_response": ("service_requests", "request", POST_RESPONSE, True),
    "tokens": ("service_requests", "request", TOKEN, True),
    "errors": ("errors", "error", ERROR, True),
}
SINGULAR = {"attributes": "attribute", "values": "value"}


def _scalar(where: str, kind: Any, value: Any, from_xml: bool) -> None:
    if isinstance(kind, tuple):
        assert value in kind, f"{where}: {value!r} is not one of {kind}"
    elif kind == BOOL:
        ok = value in ("true", "false") if from_xml else isinstance(value, bool)
        assert ok, f"{where}: {value!r} is not a boolean"
    elif kind == INT:
        ok = bool(re.fullmatch(r"-?\d+", value)) if from_xml else type(value) is int
        assert ok, f"{where}: {value!r} is not an integer"
    elif kind == NUM:
        if from_xml:
            float(value)
        else:
            assert isinstance(value, int | float) and not isinstance(value, bool), (
                f"{where}: {value!r} not a number"
            )
    elif kind == DATETIME:
        assert isinstance(value, str) and W3C.fullmatch(value), f"{where}: {value!r} is not a W3C datetime"
    elif kind == URL_T:
        assert isinstance(value, str) and URL.fullmatch(value), f"{where}: {value!r} is not a URL"
    else:
        assert isinstance(value, str), f"{where}: {value!r} is not a string"


def _check(where: str, fields: dict, item: dict, from_xml: bool) -> None:
    extra = set(item) - set(fields)
    assert not extra, f"{where}: fields the spec does not define: {sorted(extra)}"
    for name, (kind, required) in fields.items():
        value = item.get(name)
        if isinstance(kind, list) and required:
            assert name in item, f"{where}.{name}: required, missing"
        empty = value is None or value == "" or value == []
        if empty:
            assert not required or isinstance(kind, list), f"{where}.{name}: required, missing"
            continue
        if isinstance(kind, list):
            assert isinstance(value, list), f"{where}.{name}: not a list"
            for i, inner in enumerate(value):
                _check(f"{where}.{name}[{i}]", kind[0], inner, from_xml)
        else:
            _scalar(f"{where}.{name}", kind, value, from_xml)


def check_json(kind: str, body: bytes | str | Any) -> Any:
    data = json.loads(body) if isinstance(body, bytes | str) else body
    _, _, fields, is_list = DOCUMENTS[kind]
    if is_list:
        assert isinstance(data, list), f"{kind}: the JSON document is not a list"
        for i, item in enumerate(data):
            assert isinstance(item, dict), f"{kind}[{i}] is not an object"
            _check(f"{kind}[{i}]", fields, item, False)
    else:
        assert isinstance(data, dict), f"{kind}: the JSON document is not an object"
        _check(kind, fields, data, False)
    return data


def _element(element: ET.Element, fields: dict) -> dict:
    out: dict[str, Any] = {}
    for child in element:
        kind = fields.get(child.tag, (STR, False))[0]
        if isinstance(kind, list):
            singular = SINGULAR[child.tag]
            assert all(c.tag == singular for c in child), (
                f"<{child.tag}> holds elements other than <{singular}>"
            )
            out[child.tag] = [_element(c, kind[0]) for c in child]
        else:
            assert len(child) == 0, f"<{child.tag}> should hold text, not elements"
            out[child.tag] = child.text or ""
    return out


def check_xml(kind: str, body: bytes) -> Any:
    assert body.startswith(b"<?xml"), "no XML declaration"
    root = ET.fromstring(body)  # raises on a document that is not well-formed
    root_name, item_name, fields, is_list = DOCUMENTS[kind]
    assert root.tag == root_name, f"root <{root.tag}>, the spec says <{root_name}>"
    if not is_list:
        item = _element(root, fields)
        _check(kind, fields, item, True)
        return item
    items = []
    for i, child in enumerate(root):
        assert child.tag == item_name, f"<{root_name}> holds <{child.tag}>, the spec says <{item_name}>"
        item = _element(child, fields)
        _check(f"{kind}[{i}]", fields, item, True)
        items.append(item)
    return items
