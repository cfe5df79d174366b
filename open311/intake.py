"""POST requests: a client's service request becomes an appeal through ``appeals.services.appeal_submit``, the
intake every channel uses (channel ``open311``), and an ``Open311Request`` keeps what was posted with it.

Where: ``lat``/``long`` → the grid whose shape contains the point (``open311.geo``); ``address_id`` → the building
with that code; ``address_string`` alone → the building with exactly that address or name inside the key's areas,
or the key's only community or grid. The place must lie inside the key's areas (403 otherwise). Who: the client's
service account records the appeal and its Person raises it; the submitter's name, phone and e-mail stay on the
``Open311Request`` for the staff and are never published. A request without a name is anonymous (``is_anonymous``).
"""

from __future__ import annotations

import re
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction

from appeals.models import Channel
from appeals.services import appeal_submit
from areas.models import Area, Building
from linli.errors import PermissionDenied, ValidationError
from open311 import catalogue, geo
from open311.keys import KeyRefused as KeyRevoked
from open311.models import ApiKey, Open311Request
from open311.scope import acting_client, client_scope

MAX_DESCRIPTION = 4000
# Characters XML 1.0 cannot carry (control characters other than tab and newlines, lone surrogates, U+FFFE/FFFF).
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
PHONE = re.compile(r"[0-9+\-() ]{5,30}")
LIMITS = {"first_name": 50, "last_name": 50, "device_id": 100, "account_id": 100, "address_string": 200}


def _text(data: dict[str, Any], name: str, limit: int) -> str:
    value = data.get(name) or ""
    if not isinstance(value, str):
        raise ValidationError({name: f"{name} 应为文本"})
    if XML_UNSAFE.search(value):
        raise ValidationError({name: f"{name} 含有无效的控制字符"})
    value = value.strip()
    if len(value) > limit:
        raise ValidationError({name: f"{name} 不能超过 {limit} 个字"})
    return value


def _coordinate(data: dict[str, Any], name: str, bound: int) -> Decimal | None:
    raw = data.get(name)
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or abs(value) > bound:
        raise ValidationError({name: f"{name} 应为 -{bound} 到 {bound} 之间的数（WGS84 度）"})
    return value.quantize(Decimal("0.000001"))


def _place(key: ApiKey, lat, long, address_id: str, address_string: str) -> tuple[Area, Building | None]:
    """The grid (or community) and building the request is about, from the most precise location given."""
    if address_id:
        building = Building.objects.select_related("grid").filter(code=address_id).first()
        if building is None:
            raise ValidationError({"address_id": f"address_id “{address_id[:40]}” 不是已登记的楼栋代码"})
        return building.grid, building
    if lat is not None:
        area = geo.area_at(float(lat), float(long))
        if area is None:
            raise ValidationError({"lat": "该位置（lat/long）不在本辖区任何网格内"})
        return area, None
    scope = client_scope(key)
    buildings = Building.objects.filter(grid__in=scope.areas()).select_related("grid")
    matches = list(buildings.filter(address=address_string)[:2]) or list(
        buildings.filter(name=address_string)[:2]
    )
    if len(matches) == 1:
        return matches[0].grid, matches[0]
    areas = list(key.areas.all())
    if len(areas) == 1 and areas[0].kind in (Area.Kind.GRID, Area.Kind.COMMUNITY):
        return areas[0], None
    raise ValidationError(
        {"address_string": "无法仅凭 address_string 确定所在网格，请同时提供 lat/long 或 address_id"}
    )


def _contact(data: dict[str, Any]) -> dict[str, str]:
    contact = {name: _text(data, name, limit) for name, limit in LIMITS.items() if name != "address_string"}
    contact["email"] = _text(data, "email", 254)
    if contact["email"]:
        try:
            EmailValidator()(contact["email"])
        except DjangoValidationError:
            raise ValidationError({"email": "email 格式不正确"}) from None
    contact["phone"] = _text(data, "phone", 30)
    if contact["phone"] and not PHONE.fullmatch(contact["phone"]):
        raise ValidationError({"phone": "phone 只能包含数字、空格和 + - ( )"})
    return contact


def _media_url(data: dict[str, Any]) -> str:
    url = _text(data, "media_url", 500)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except DjangoValidationError:
            raise ValidationError({"media_url": "media_url 应为 http 或 https 网址"}) from None
    return url


@transaction.atomic
def request_submit(*, key: ApiKey, data: dict[str, Any], attributes: dict[str, list[str]]) -> Open311Request:
    """File one service request (the POST's fields in ``data``, ``attribute[code]`` values in ``attributes``)."""
    code = _text(data, "service_code", 40)
    if not code:
        raise ValidationError({"service_code": "缺少 service_code"})
    category = catalogue.service_by_code(code)
    if category is None:
        raise ValidationError({"service_code": f"service_code “{code}” 不是本系统的服务"})
    description = _text(data, "description", MAX_DESCRIPTION)
    lat, long = _coordinate(data, "lat", 90), _coordinate(data, "long", 180)
    if (lat is None) != (long is None):
        raise ValidationError({"lat": "lat 和 long 须同时提供"})
    address_string = _text(data, "address_string", LIMITS["address_string"])
    address_id = _text(data, "address_id", 40)
    if lat is None and not address_string and not address_id:
        raise ValidationError({"lat": "请提供位置：lat 与 long、address_string 或 address_id 之一"})
    contact, media_url = _contact(data), _media_url(data)
    answers = catalogue.check_attributes(category, attributes)
    # The key's row, locked: a revocation that commits first is seen here (403); one that comes later waits
    # for this request, which then was filed while the key was live.
    if ApiKey.objects.select_for_update().filter(pk=key.pk, revoked_at__isnull=True).first() is None:
        raise KeyRevoked("api_key has been revoked（api_key 已被撤销）")
    area, building = _place(key, lat, long, address_id, address_string)
    if not client_scope(key).covers(area):
        raise PermissionDenied(f"“{area.name}”不在此 api_key 可提交的区域内")
    lines = [description or category.name, *catalogue.answers_text(category, answers)]
    if media_url:
        lines.append(f"图片/视频：{media_url}")
    left = "，留有联系方式（见 Open311 请求记录）" if any(contact.values()) else ""
    lines.append(f"（经 Open311 客户端“{key.client}”提交{left}）")
    appeal = appeal_submit(
        user=acting_client(key),
        title=(description or category.name).splitlines()[0][:60] or category.name,
        body="\n".join(lines),
        channel=Channel.OPEN311,
        category=category,
        grid=area if area.kind == Area.Kind.GRID else None,
        community=area if area.kind == Area.Kind.COMMUNITY else None,
        building=building,
        address=address_string or (building.address if building else ""),
        is_anonymous=not (contact["first_name"] or contact["last_name"]),
    )
    return Open311Request.objects.create(
        appeal=appeal,
        key=key,
        token=secrets.token_urlsafe(18),
        description=description,
        lat=lat,
        long=long,
        address_string=address_string,
        address_id=address_id,
        attributes=answers,
        media_url=media_url,
        created_at=appeal.submitted_at,
        **contact,
    )
