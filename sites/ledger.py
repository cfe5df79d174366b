"""The 代办 / 预约 ledger: each service done at a site for a resident, with its status and minutes; whether it was
a 延时 service is decided from the site's hours when it is recorded."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from access.scope import Scope
from linli import clock
from linli.errors import ValidationError
from people.models import Person
from sites import scope as rights
from sites.models import ServiceRecord
from sites.services import RECORDS, R, _managed, is_extended


@transaction.atomic
def record_create(
    *,
    user,
    site_id: int,
    kind: str,
    service: str,
    person: Person | None = None,
    served_at: datetime | None = None,
    minutes: int = 0,
    done: bool = False,
    note: str = "",
) -> ServiceRecord:
    site = _managed(user, site_id)
    served_at = served_at or clock.now()
    errors = {}
    if kind not in ServiceRecord.Kind.values:
        errors["kind"] = "请选择服务类型"
    if not service.strip():
        errors["service"] = "请填写服务事项"
    if not isinstance(minutes, int) or not 0 <= minutes <= 24 * 60:
        errors["minutes"] = "用时应在 0 到 1440 分钟之间"
    if served_at > clock.now() + timedelta(minutes=5):
        errors["served_at"] = "不能登记未来的服务"
    if errors:
        raise ValidationError(errors)
    record = ServiceRecord.objects.create(
        site=site,
        kind=kind,
        service=service.strip()[:60],
        person=person,
        served_at=served_at,
        extended=is_extended(site, served_at),
        minutes=minutes,
        status=R.DONE if done else R.OPEN,
        note=note.strip()[:200],
        recorded_by=user,
    )
    RECORDS.record(record, user=user, action="record", from_state="")
    return record


@transaction.atomic
def record_complete(*, user, record_id: int, minutes: int) -> ServiceRecord:
    scope = Scope.of(user)
    record = RECORDS.begin(record_id, "complete", allowed=lambda r: rights.may_manage_site(scope, r.site))
    if not isinstance(minutes, int) or not 0 <= minutes <= 24 * 60:
        raise ValidationError({"minutes": "用时应在 0 到 1440 分钟之间"})
    before = record.status
    record.status, record.minutes = R.DONE, minutes
    RECORDS.save(record, "status", "minutes")
    RECORDS.record(record, user=user, action="complete", from_state=before)
    return record


@transaction.atomic
def record_revoke(*, user, record_id: int, reason: str) -> ServiceRecord:
    scope = Scope.of(user)
    record = RECORDS.begin(record_id, "revoke", allowed=lambda r: rights.may_manage_site(scope, r.site))
    if not reason.strip():
        raise ValidationError({"reason": "请说明撤销原因"})
    before = record.status
    record.status = R.CANCELLED
    RECORDS.save(record, "status")
    RECORDS.record(record, user=user, action="revoke", from_state=before, note=reason.strip())
    return record
