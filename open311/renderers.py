"""The two formats of GeoReport v2: ``.json`` and ``.xml``, with the spec's element names.

A view names its XML root and item elements (``xml_root``, e.g. ``("services", "service")``); lists inside an
item are written with the singular of their name (``attributes/attribute``, ``values/value``). Booleans are
``true``/``false``, a missing value is an empty element. Characters XML 1.0 cannot carry are dropped from the
output, so a response is well-formed whatever text an appeal holds; ``<``, ``&`` and quotes are escaped.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree as ET

from rest_framework.renderers import BaseRenderer, JSONRenderer

SINGULAR = {"attributes": "attribute", "values": "value", "errors": "error"}
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class Open311JSONRenderer(JSONRenderer):
    format = "json"
    charset = "utf-8"
    ensure_ascii = False


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _UNSAFE.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for name, inner in value.items():
            _fill(ET.SubElement(element, name), inner)
    elif isinstance(value, list):
        item = SINGULAR.get(element.tag, "item")
        for inner in value:
            _fill(ET.SubElement(element, item), inner)
    else:
        element.text = _text(value)


def to_xml(data: Any, root: str, item: str) -> bytes:
    top = ET.Element(root)
    if isinstance(data, list):
        for entry in data:
            _fill(ET.SubElement(top, item), entry)
    else:
        _fill(top, data)
    return ET.tostring(top, encoding="utf-8", xml_declaration=True)


class Open311XMLRenderer(BaseRenderer):
    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        root, item = getattr(view, "xml_root", ("errors", "error"))
        return to_xml(data, root, item)
