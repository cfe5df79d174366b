"""GET requests and GET requests/{id}: appeals as GeoReport v2 service requests, with nothing personal in them.

Status: ``open`` while the appeal waits or is being handled (submitted, dispatched, accepted, returned); ``closed``
once it is answered or completed (completed, closed), withdrawn or merged into another. A rating of
"unsatisfied" reopens it, and it is ``open`` again.

Each field comes from the appeal's own data: ``status_notes`` from its latest public step (internal steps —
supervision, overdue flags, a unit's reason for returning — are not public); ``agency_responsible`` is the unit
handling it, or the community while none is; ``expected_datetime`` its deadline (``resolve_due``);
``updated_datetime`` its latest step. No names, phones or home addresses: ``description`` has phone numbers,
ID numbers, e-mail addresses and the raiser's name masked, and for appeals not filed through Open311 the
address and position are the grid's (its name and the middle of its shape), never the household's.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet

from appeals.models import Appeal, AppealEvent, Kind, Status
from areas.models import Area
from linli import clock
from linli.errors import ValidationError
from open311 import catalogue, geo, w3c
from people.models import mask_phone

MAX_SPAN = timedelta(days=90)
MAX_ROWS = 1000
MAX_IDS = 200
CLOSED = (Status.COMPLETED, Status.CLOSED, Status.WITHDRAWN, Status.MERGED)

_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
_ID_CARD = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# A flat: "3 栋 2 单元 501", "3幢501室", "501 室".
_FLAT = re.compile(r"\d+\s*[栋幢]\s*(\d+\s*单元\s*)?\d{3,4}\s*室?|\d{3,4}\s*室")


def status_of(appeal: Appeal) -> str:
    return "closed" if appeal.status in CLOSED else "open"


def scrub(text: str, name: str = "", address: str = "") -> str:
    """Text as it may be published: phones, ID numbers, e-mail addresses and flats masked, the raiser's name and
    the appeal's own address too."""
    if len(address) >= 4:
        text = text.replace(address, "（地址已隐去）")
    text = _ID_CARD.sub(lambda m: m.group()[:4] + "*" * 14, text)
    text = _FLAT.sub("（门牌已隐去）", text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group()), text)
    text = _LANDLINE.sub(lambda m: mask_phone(m.group()), text)
    text = _EMAIL.sub("***@***", text)
    if len(name) >= 2:
        text = text.replace(name, name[0] + "*" * (len(name) - 1))
    return text


def _note(appeal: Appeal, event: AppealEvent) -> str | None:
    """The public note of one step, or None for a step the public does not see."""
    unit = event.unit.name if event.unit_id and event.unit else ""
    action = event.action
    if action == "submit":
        return "已受理，等待社区分派"
    if action == "triage":
        return event.note if event.note.startswith("回复解释") else f"已分类处置：{event.note}"
    if action == "dispatch":
        return f"已派单至{unit}" if unit else "已派单"
    if action == "accept":
        return f"{unit or '承办单位'}已接单，正在办理"
    if action == "return":
        return "承办单位退回，社区重新派单中"
    if action in ("progress", "complete"):
        return f"{'办理进展' if action == 'progress' else '已办结'}：{event.note}"
    if action == "rate":
        return "居民已评价"
    if action in ("reopen", "escalate"):
        return "重新办理"
    return {
        "withdraw": "已撤回",
        "merge": "已与同类诉求合并办理",
        "whistle": "已吹哨，多个单位协同办理",
    }.get(action)


def row(appeal: Appeal) -> dict[str, Any]:
    events = list(appeal.events.all())  # prefetched, oldest first
    notes = [n for e in events if (n := _note(appeal, e)) is not None]
    filed = getattr(appeal, "open311", None)
    place = appeal.grid or appeal.community
    place_name = place.name if place == appeal.community else f"{appeal.community.name} {place.name}"
    if filed is not None:
        description, address = filed.description, filed.address_string or place_name
        lat = float(filed.lat) if filed.lat is not None else None
        long = float(filed.long) if filed.long is not None else None
        if lat is None and (middle := geo.centre(place)) is not None:
            lat, long = middle
        address_id, media_url = filed.address_id, filed.media_url
    else:
        description, address = appeal.body, place_name
        middle = geo.centre(place)
        lat, long = middle if middle is not None else (None, None)
        address_id = media_url = ""
    updated: datetime = events[-1].at if events else appeal.submitted_at
    return {
        "service_request_id": str(appeal.pk),
        "status": status_of(appeal),
        "status_notes": scrub(notes[-1], appeal.raised_by.name) if notes else "",
        "service_name": appeal.category.name if appeal.category else "",
        "service_code": appeal.category.code if appeal.category else "",
        "description": scrub(description, appeal.raised_by.name, "" if filed else appeal.address),
        "agency_responsible": appeal.unit.name if appeal.unit else appeal.community.name,
        "service_notice": catalogue.notice(appeal.category),
        "requested_datetime": w3c.write(appeal.submitted_at),
        "updated_datetime": w3c.write(updated),
        "expected_datetime": w3c.write(appeal.resolve_due),
        "address": address,
        "address_id": address_id,
        "zipcode": "",
        "lat": None if lat is None else round(lat, 6),
        "long": None if long is None else round(long, 6),
        "media_url": media_url,
    }


def _base(jurisdiction: Area | None) -> QuerySet[Appeal]:
    qs = Appeal.objects.filter(kind=Kind.APPEAL).select_related(
        "category", "unit", "community", "grid", "raised_by", "open311"
    )
    qs = qs.prefetch_related(
        Prefetch("events", queryset=AppealEvent.objects.select_related("unit").order_by("at", "id"))
    )
    return qs.filter(area_path__startswith=jurisdiction.path) if jurisdiction is not None else qs


def one(pk: str, jurisdiction: Area | None) -> dict[str, Any] | None:
    if not pk.isdigit() or len(pk) > 18:
        return None
    appeal = _base(jurisdiction).filter(pk=int(pk)).first()
    return None if appeal is None else row(appeal)


def _list(raw: str, name: str) -> list[str]:
    return [v.strip() for v in raw.split(",") if v.strip()] if raw else []


def search(params: dict[str, str], jurisdiction: Area | None) -> list[dict[str, Any]]:
    """GET requests with the spec's filters; a list of ids overrides every other filter."""
    qs = _base(jurisdiction)
    ids = _list(params.get("service_request_id", ""), "service_request_id")
    if ids:
        if len(ids) > MAX_IDS or not all(i.isdigit() and len(i) <= 18 for i in ids):
            raise ValidationError(
                {"service_request_id": f"service_request_id 应为逗号分隔的编号（至多 {MAX_IDS} 个）"}
            )
        return [row(a) for a in qs.filter(pk__in=[int(i) for i in ids])]
    codes = _list(params.get("service_code", ""), "service_code")
    if codes:
        known = {c.code for c, _ in catalogue.service_categories()}
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValidationError({"service_code": f"service_code “{unknown[0][:40]}” 不是本系统的服务"})
        qs = qs.filter(category__code__in=codes)
    statuses = _list(params.get("status", ""), "status")
    if any(s not in ("open", "closed") for s in statuses):
        raise ValidationError({"status": "status 只能是 open 或 closed（可用逗号分隔）"})
    if statuses and set(statuses) != {"open", "closed"}:
        qs = qs.filter(status__in=CLOSED) if statuses[0] == "closed" else qs.exclude(status__in=CLOSED)
    start, end = _window(params.get("start_date", ""), params.get("end_date", ""))
    qs = qs.filter(submitted_at__gte=start, submitted_at__lte=end)
    return [row(a) for a in qs.order_by("-submitted_at", "-id")[:MAX_ROWS]]


def _window(start_raw: str, end_raw: str) -> tuple[datetime, datetime]:
    start = w3c.parse(start_raw) if start_raw else None
    end = w3c.parse(end_raw) if end_raw else None
    if start_raw and start is None:
        raise ValidationError({"start_date": "start_date 应为 W3C 日期时间，如 2026-12-01T00:00:00+08:00"})
    if end_raw and end is None:
        raise ValidationError({"end_date": "end_date 应为 W3C 日期时间，如 2026-12-02T00:00:00+08:00"})
    if start is None and end is None:
        end = clock.now()
    if start is None:
        assert end is not None
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    if end < start:
        raise ValidationError({"end_date": "end_date 不能早于 start_date"})
    if end - start > MAX_SPAN:
        raise ValidationError({"end_date": "start_date 与 end_date 相隔不能超过 90 天"})
    return start, end
