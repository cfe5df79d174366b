"""The GeoReport v2 endpoints under ``/open311/v2/``, each in ``.json`` and ``.xml``.

Reading (services, a service definition, requests, a request, a token) is public, as the spec has it, and limited
per address (``LINLI_OPEN311_RATE``, 120/min by default). Filing (POST requests) needs an ``api_key`` from the
administrator and is limited per key (the key's own rate per minute). Every refusal is the spec's error list —
``[{"code": 400, "description": "..."}]`` / ``<errors><error><code>400</code>…`` — with its HTTP status:
400 bad input, 403 no valid key or a place outside the key's areas, 404 unknown service, request, token or
jurisdiction, 405 wrong method, 429 over the rate (with Retry-After).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from areas.models import Area
from linli.errors import messages_of
from open311 import catalogue, intake, reports
from open311.keys import KeyRefused, key_from
from open311.models import ApiKey, Open311Request
from open311.renderers import Open311JSONRenderer, Open311XMLRenderer

FORMATS = ("json", "xml")
_ATTRIBUTE = re.compile(r"attribute\[([^\[\]]*)\](\[\])?")


class Open311Error(Exception):
    def __init__(self, status_code: int, description: str):
        super().__init__(description)
        self.status_code, self.description = status_code, description


class AddressThrottle(SimpleRateThrottle):
    """Every call, per client address."""

    scope = "open311"

    def get_rate(self) -> str:
        return getattr(settings, "LINLI_OPEN311_RATE", "120/min")

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class KeyThrottle(SimpleRateThrottle):
    """POST requests, per API key, at the key's own rate."""

    def __init__(self, key: ApiKey):
        self.api_key = key
        self.rate = f"{key.rate_per_minute}/min"
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request, view) -> str:
        return f"throttle_open311_key_{self.api_key.pk}"


def _errors(exc: Exception) -> tuple[int, list[dict[str, Any]], dict[str, str]]:
    if isinstance(exc, Open311Error):
        return exc.status_code, [{"code": exc.status_code, "description": exc.description}], {}
    if isinstance(exc, DjangoValidationError):
        return 400, [{"code": 400, "description": m} for m in messages_of(exc)], {}
    if isinstance(exc, KeyRefused | PermissionDenied):
        return 403, [{"code": 403, "description": str(exc) or "forbidden"}], {}
    if isinstance(exc, Http404 | exceptions.NotFound):
        return 404, [{"code": 404, "description": "not found（没有这个资源）"}], {}
    if isinstance(exc, exceptions.Throttled):
        wait = int(getattr(exc, "wait", None) or 1)
        text = f"rate limit exceeded, retry in {wait} s（请求过于频繁，请 {wait} 秒后重试）"
        return 429, [{"code": 429, "description": text}], {"Retry-After": str(wait)}
    if isinstance(exc, exceptions.UnsupportedMediaType):
        text = "POST requests as application/x-www-form-urlencoded or multipart/form-data（请用表单格式提交）"
        return 400, [{"code": 400, "description": text}], {}
    if isinstance(exc, exceptions.APIException):
        return exc.status_code, [{"code": exc.status_code, "description": str(exc.detail)}], {}
    raise exc


@extend_schema(exclude=True)
class Open311View(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [Open311JSONRenderer, Open311XMLRenderer]
    parser_classes = [FormParser, MultiPartParser]
    throttle_classes = [AddressThrottle]
    xml_root = ("errors", "error")
    jurisdiction: Area | None = None

    def initial(self, request, *args, **kwargs):
        if kwargs.get("format") not in FORMATS:
            raise Open311Error(404, "format not supported: use .json or .xml（只支持 .json 和 .xml）")
        super().initial(request, *args, **kwargs)
        given = self.param("jurisdiction_id")
        if given:
            self.jurisdiction = Area.objects.filter(kind=Area.Kind.DISTRICT, code=given).first()
            if self.jurisdiction is None:
                raise Open311Error(404, f"jurisdiction_id not found（没有辖区 {given[:40]}）")

    def param(self, name: str) -> str:
        if name in self.request.query_params:
            return ",".join(self.request.query_params.getlist(name)).strip()
        if self.request.method == "POST":
            data = self.request.data
            value = data.get(name, "") if isinstance(data, dict) else ""
            return value.strip() if isinstance(value, str) else ""
        return ""

    def handle_exception(self, exc):
        code, errors, headers = _errors(exc)
        self.xml_root = ("errors", "error")
        response = Response(errors, status=code, headers=headers)
        response.exception = True
        return response


class ServicesView(Open311View):
    xml_root = ("services", "service")

    def get(self, request, format=None):
        return Response(catalogue.services())


class ServiceDefinitionView(Open311View):
    xml_root = ("service_definition", "attribute")

    def get(self, request, service_code: str, format=None):
        category = catalogue.service_by_code(service_code)
        if category is None:
            raise Open311Error(404, f"service_code not found（没有服务 {service_code[:40]}）")
        return Response(catalogue.definition(category))


class RequestsView(Open311View):
    xml_root = ("service_requests", "request")

    def get(self, request, format=None):
        names = ("service_request_id", "service_code", "start_date", "end_date", "status")
        return Response(reports.search({n: self.param(n) for n in names}, self.jurisdiction))

    def post(self, request, format=None):
        key = key_from(self.param("api_key"))
        throttle = KeyThrottle(key)
        if not throttle.allow_request(request, self):
            self.throttled(request, throttle.wait())
        data: dict[str, Any] = {}
        attributes: dict[str, list[str]] = {}
        for name, values in request.data.lists():
            match = _ATTRIBUTE.fullmatch(name)
            if match:
                if not match.group(1):
                    raise Open311Error(
                        400, f"malformed attribute name {name[:40]}（属性名应为 attribute[代码]）"
                    )
                attributes.setdefault(match.group(1), []).extend(v for v in values if isinstance(v, str))
            elif values:
                data[name] = values[-1]
        filed = intake.request_submit(key=key, data=data, attributes=attributes)
        answer = {
            "service_request_id": str(filed.appeal_id),
            "token": filed.token,
            "service_notice": catalogue.notice(filed.appeal.category),
            "account_id": filed.account_id or None,
        }
        return Response([answer], status=status.HTTP_201_CREATED)


class RequestView(Open311View):
    xml_root = ("service_requests", "request")

    def get(self, request, service_request_id: str, format=None):
        found = reports.one(service_request_id, self.jurisdiction)
        if found is None:
            raise Open311Error(404, f"service_request_id not found（没有请求 {service_request_id[:40]}）")
        return Response([found])


class TokenView(Open311View):
    xml_root = ("service_requests", "request")

    def get(self, request, token: str, format=None):
        filed = Open311Request.objects.filter(token=token).first()
        if filed is None:
            raise Open311Error(404, "token not found（没有这个 token）")
        return Response([{"service_request_id": str(filed.appeal_id), "token": filed.token}])


class NotFoundView(Open311View):
    """Any other address under /open311/v2/: the spec's 404, in JSON unless it ends in .xml."""

    def initial(self, request, *args, **kwargs):
        fmt = request.path.rsplit(".", 1)[-1] if "." in request.path.rsplit("/", 1)[-1] else "json"
        self.format_kwarg = fmt if fmt in FORMATS else "json"
        raise Open311Error(404, "no such resource: see GET services.json（没有这个接口）")
