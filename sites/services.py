"""党群服务阵地: every write. Sites and their rooms, hours and people on duty; the booking loop; the 代办/预约 ledger.

A booking holds its room from the moment it is requested (待确认 or 已确认): ``booking_request`` locks the room's
row (``select_for_update``) before it looks for an overlapping booking, so of two residents asking for the same
room at the same hour on PostgreSQL the second waits for the first, then sees its booking and hears 409.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from access.scope import Scope
from areas.models import Area
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from linli.steps import Loop
from people.models import Person
from sites import scope as rights
from sites.models import (
    Booking,
    BookingEvent,
    OpeningHours,
    Room,
    ServiceRecord,
    ServiceRecordEvent,
    ServiceSite,
)

S = Booking.Status
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "request": ("",),
    "confirm": (S.REQUESTED,),
    "decline": (S.REQUESTED,),
    "cancel": (S.REQUESTED, S.CONFIRMED),
    "attend": (S.CONFIRMED,),
    "no_show": (S.CONFIRMED,),
}
LABELS = {
    "request": "提交预约",
    "confirm": "确认",
    "decline": "不同意",
    "cancel": "取消",
    "attend": "登记到场",
    "no_show": "登记未到",
}
TARGET = {
    "confirm": S.CONFIRMED,
    "decline": S.DECLINED,
    "cancel": S.CANCELLED,
    "attend": S.ATTENDED,
    "no_show": S.NO_SHOW,
}
BOOKINGS = Loop(
    model=Booking,
    noun="预约",
    transitions=TRANSITIONS,
    labels=LABELS,
    event_model=BookingEvent,
    event_fk="booking",
    related=("site__community", "room"),
)
R = ServiceRecord.Status
RECORDS = Loop(
    model=ServiceRecord,
    noun="服务记录",
    transitions={"complete": (R.OPEN,), "revoke": (R.OPEN,)},
    labels={"complete": "办结", "revoke": "撤销"},
    event_model=ServiceRecordEvent,
    event_fk="record",
    related=("site__community",),
)
MAX_DAYS_AHEAD = 60


# ---- sites ------------------------------------------------------------------------------------------------------
HoursRow = tuple[int, time, time, bool]  # weekday (0 = Monday), opens, closes, 延时


def _check_hours(hours: Sequence[HoursRow]) -> None:
    for weekday, opens, closes, _extended in hours:
        if not 0 <= weekday <= 6:
            raise ValidationError({"hours": "星期应为 0（周一）到 6（周日）"})
        if closes <= opens:
            raise ValidationError({"hours": f"周{OpeningHours.WEEKDAYS[weekday]} 的结束时间须晚于开始时间"})
    by_day: dict[int, list[tuple[time, time]]] = {}
    for weekday, opens, closes, _extended in sorted(hours):
        for o, c in by_day.get(weekday, []):
            if opens < c and o < closes:
                raise ValidationError({"hours": f"周{OpeningHours.WEEKDAYS[weekday]} 的开放时段重叠"})
        by_day.setdefault(weekday, []).append((opens, closes))


def _check_position(lat: Decimal | None, lng: Decimal | None) -> None:
    if (lat is None) != (lng is None):
        raise ValidationError({"lat": "经纬度须同时填写"})
    if lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError({"lat": "经纬度超出范围"})


@transaction.atomic
def site_create(
    *,
    user,
    community: Area,
    kind: str,
    name: str,
    address: str,
    grid: Area | None = None,
    lat: Decimal | None = None,
    lng: Decimal | None = None,
    phone: str = "",
    services: Iterable[str] = (),
    hours: Sequence[HoursRow] = (),
    rooms: Sequence[tuple[str, int]] = (),
    on_duty: Iterable[Person] = (),
) -> ServiceSite:
    if community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "服务阵地须登记在社区下"})
    if not rights.may_manage_community(Scope.of(user), community):
        raise PermissionDenied("只有本社区或上级街道的工作人员可以登记服务阵地")
    errors = {}
    if kind not in ServiceSite.Kind.values:
        errors["kind"] = "请选择阵地类型"
    if not name.strip():
        errors["name"] = "请填写名称"
    if not address.strip():
        errors["address"] = "请填写地址"
    if grid is not None and not grid.path.startswith(community.path):
        errors["grid"] = "网格不在该社区内"
    if ServiceSite.objects.filter(community=community, name=name.strip()).exists():
        errors["name"] = "本社区已有同名阵地"
    if errors:
        raise ValidationError(errors)
    _check_position(lat, lng)
    _check_hours(hours)
    site = ServiceSite.objects.create(
        community=community,
        grid=grid,
        kind=kind,
        name=name.strip()[:100],
        address=address.strip()[:200],
        lat=lat,
        lng=lng,
        phone=phone.strip()[:30],
        services=[s.strip()[:60] for s in services if s.strip()],
        created_at=clock.now(),
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(site=site, weekday=w, opens=o, closes=c, extended=e) for w, o, c, e in hours
    )
    for room_name, capacity in rooms:
        _room_add(site, room_name, capacity)
    site.on_duty.set(list(on_duty))
    return site


def _managed(user, site_id: int) -> ServiceSite:
    try:
        site = ServiceSite.objects.select_for_update().select_related("community").get(pk=site_id)
    except (ServiceSite.DoesNotExist, ValueError, TypeError):
        raise ValidationError({"site": "服务阵地不存在"}) from None
    if not rights.may_manage_site(Scope.of(user), site):
        raise PermissionDenied("只有本社区或上级街道的工作人员可以管理该服务阵地")
    return site


@transaction.atomic
def site_set_hours(*, user, site_id: int, hours: Sequence[HoursRow]) -> ServiceSite:
    site = _managed(user, site_id)
    _check_hours(hours)
    site.hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(site=site, weekday=w, opens=o, closes=c, extended=e) for w, o, c, e in hours
    )
    return site


@transaction.atomic
def site_set_duty(*, user, site_id: int, people: Iterable[Person]) -> ServiceSite:
    site = _managed(user, site_id)
    people = list(people)
    outside = [p.name for p in people if p.community_id and p.community_id != site.community_id]
    if outside:
        raise ValidationError({"on_duty": f"不是本社区的人员：{'、'.join(outside)}"})
    site.on_duty.set(people)
    return site


def _room_add(site: ServiceSite, name: str, capacity: int) -> Room:
    if not name.strip():
        raise ValidationError({"name": "请填写活动室名称"})
    if not isinstance(capacity, int) or not 1 <= capacity <= 10000:
        raise ValidationError({"capacity": "容纳人数应在 1 到 10000 之间"})
    if site.rooms.filter(name=name.strip()).exists():
        raise ValidationError({"name": "该阵地已有同名活动室"})
    return Room.objects.create(site=site, name=name.strip()[:60], capacity=capacity)


@transaction.atomic
def room_add(*, user, site_id: int, name: str, capacity: int) -> Room:
    return _room_add(_managed(user, site_id), name, capacity)


# ---- hours ------------------------------------------------------------------------------------------------------
def period_of(site: ServiceSite, starts: datetime, ends: datetime) -> OpeningHours | None:
    """The opening period that holds [starts, ends) on one day, or None."""
    local_start, local_end = timezone.localtime(starts), timezone.localtime(ends)
    if local_start.date() != local_end.date() and local_end.time() != time(0):
        return None
    for period in site.hours.all():
        if (
            period.weekday == local_start.weekday()
            and period.opens <= local_start.time()
            and (
                local_end.time() <= period.closes
                or local_end.time() == time(0)
                and period.closes == time(23, 59)
            )
        ):
            return period
    return None


def is_extended(site: ServiceSite, moment: datetime) -> bool:
    """延时服务: on a weekend, in a period marked 延时, or outside every regular period of that day."""
    local = timezone.localtime(moment)
    if local.weekday() >= 5:
        return True
    regular = False
    for period in site.hours.all():
        if period.weekday == local.weekday() and period.opens <= local.time() < period.closes:
            if period.extended:
                return True
            regular = True
    return not regular


# ---- bookings ---------------------------------------------------------------------------------------------------
@transaction.atomic
def booking_request(
    *,
    user,
    site_id: int,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    purpose: str,
    room_id: int | None = None,
    attendees: int = 1,
    service: str = "",
    person: Person | None = None,
) -> Booking:
    """A resident asks for a room or an appointment; staff may ask on a resident's behalf (``person``)."""
    scope = Scope.of(user)
    site = rights.sites(scope).select_related("community").filter(pk=site_id).first()
    if site is None:
        raise ValidationError({"site": "服务阵地不存在"})
    if not rights.may_book_at(scope, site):
        raise PermissionDenied("只能预约本社区的服务阵地")
    if person is None:
        person = scope.person
    elif not rights.may_manage_site(scope, site) and person != scope.person:
        raise PermissionDenied("只能为自己预约")
    errors: dict[str, str] = {}
    now = clock.now()
    if kind not in Booking.Kind.values:
        errors["kind"] = "请选择预约类型"
    if not purpose.strip():
        errors["purpose"] = "请填写用途或事项"
    if ends_at <= starts_at:
        errors["ends_at"] = "结束时间须晚于开始时间"
    elif starts_at < now:
        errors["starts_at"] = "不能预约已经过去的时间"
    elif starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
        errors["starts_at"] = f"最多提前 {MAX_DAYS_AHEAD} 天预约"
    elif period_of(site, starts_at, ends_at) is None:
        errors["starts_at"] = "所选时段不在该阵地的开放时间内"
    if not isinstance(attendees, int) or attendees < 1:
        errors["attendees"] = "人数至少为 1"
    room = None
    if kind == Booking.Kind.ROOM:
        room = Room.objects.select_for_update().filter(pk=room_id or 0, site=site, active=True).first()
        if room is None:
            errors["room"] = "请选择该阵地可预约的活动室"
        elif isinstance(attendees, int) and attendees > room.capacity:
            errors["attendees"] = f"{room.name}最多容纳 {room.capacity} 人"
    elif kind == Booking.Kind.APPOINTMENT and site.services and service not in site.services:
        errors["service"] = "请选择该阵地提供的服务项目"
    if errors:
        raise ValidationError(errors)
    if room is not None:  # the room's row is locked: whoever asks next waits here and then sees this booking
        clash = Booking.objects.filter(
            room=room, status__in=Booking.HOLDING, starts_at__lt=ends_at, ends_at__gt=starts_at
        ).first()
        if clash is not None:
            raise TransitionError(
                f"{room.name}在 {timezone.localtime(clash.starts_at):%m-%d %H:%M}–"
                f"{timezone.localtime(clash.ends_at):%H:%M} 已被预约，请换一个时段或活动室",
                code="room_taken",
            )
    booking = Booking.objects.create(
        site=site,
        room=room,
        kind=kind,
        service=service.strip()[:60],
        person=person,
        booked_by=user,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose.strip()[:200],
        attendees=attendees,
        created_at=now,
    )
    BOOKINGS.record(booking, user=user, action="request", from_state="")
    return booking


def may_step(scope: Scope, booking: Booking, action: str) -> bool:
    if action == "cancel" and (booking.booked_by_id == getattr(scope.user, "pk", None)):
        return True
    return rights.may_manage_site(scope, booking.site)


def _step(user, booking_id: int, action: str, reason: str = "") -> Booking:
    scope = Scope.of(user)
    booking = BOOKINGS.begin(booking_id, action, allowed=lambda b: may_step(scope, b, action))
    if action == "decline" and not reason.strip():
        raise ValidationError({"reason": "请说明不同意的原因"})
    before = booking.status
    booking.status = TARGET[action]
    booking.reason = reason.strip()[:200] or booking.reason
    BOOKINGS.save(booking, "status", "reason")
    BOOKINGS.record(booking, user=user, action=action, from_state=before, note=reason.strip())
    return booking


@transaction.atomic
def booking_confirm(*, user, booking_id: int) -> Booking:
    return _step(user, booking_id, "confirm")


@transaction.atomic
def booking_decline(*, user, booking_id: int, reason: str) -> Booking:
    return _step(user, booking_id, "decline", reason)


@transaction.atomic
def booking_cancel(*, user, booking_id: int, reason: str = "") -> Booking:
    return _step(user, booking_id, "cancel", reason)


@transaction.atomic
def booking_no_show(*, user, booking_id: int) -> Booking:
    return _step(user, booking_id, "no_show")


@transaction.atomic
def booking_attend(*, user, booking_id: int) -> Booking:
    """The resident came. An appointment becomes a done entry of the service ledger (预约服务)."""
    booking = _step(user, booking_id, "attend")
    if booking.kind == Booking.Kind.APPOINTMENT:
        record = ServiceRecord.objects.create(
            site=booking.site,
            kind=ServiceRecord.Kind.APPOINTMENT,
            service=booking.service or booking.purpose[:60],
            person=booking.person,
            booking=booking,
            served_at=booking.starts_at,
            extended=is_extended(booking.site, booking.starts_at),
            minutes=booking_minutes(booking),
            status=R.DONE,
            recorded_by=user,
        )
        RECORDS.record(record, user=user, action="record", from_state="")
    return booking


def booking_minutes(booking: Booking) -> int:
    return min(24 * 60, int((booking.ends_at - booking.starts_at).total_seconds() // 60))
