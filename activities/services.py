"""活动: every write. Plan → publish → sign-up (capped) → check-in on the day → close with a report, and the
minutes credited to party members and volunteers who were there.

``activity_signup`` locks the activity's row before it counts the places taken, so on PostgreSQL two residents
taking the last place at once are served one after the other: one gets it, the other hears 409 (名额已满).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from access.scope import Scope
from activities import scope as rights
from activities.models import Activity, ActivityEvent, ActivityPhoto, Attendance
from appeals.photos import check_photos
from areas.models import Area
from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError
from linli.steps import Loop
from people.models import Person
from sites import scope as site_rights
from sites.models import ServiceSite
from units.models import Unit

S = Activity.Status
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "publish": (S.PLANNED,),
    "cancel": (S.PLANNED, S.PUBLISHED),
    "signup": (S.PUBLISHED,),
    "withdraw": (S.PUBLISHED,),
    "check_in": (S.PUBLISHED,),
    "close": (S.PUBLISHED,),
    "photos": (S.PUBLISHED, S.HELD),
}
LABELS = {
    "publish": "发布",
    "cancel": "取消活动",
    "signup": "报名",
    "withdraw": "取消报名",
    "check_in": "签到",
    "close": "结束并小结",
    "photos": "上传照片",
}
ACTIVITIES = Loop(
    model=Activity,
    noun="活动",
    transitions=TRANSITIONS,
    labels=LABELS,
    event_model=ActivityEvent,
    event_fk="activity",
    related=("community", "area"),
)
MAX_PHOTOS = 12
CHECKIN_SALT = "activities.checkin"
CHECKIN_EARLY = timedelta(hours=1)  # the QR code works from an hour before the start to the end


def _check_plan(
    scope: Scope, community: Area, area: Area, starts_at, ends_at, site, unit, cap, title, kind
) -> None:
    errors: dict[str, str] = {}
    if kind not in Activity.Kind.values:
        errors["kind"] = "请选择活动类型"
    if not title.strip():
        errors["title"] = "请填写活动名称"
    if not area.path.startswith(community.path):
        errors["area"] = "面向的区域须在本社区内"
    if ends_at <= starts_at:
        errors["ends_at"] = "结束时间须晚于开始时间"
    elif ends_at - starts_at > timedelta(hours=24):
        errors["ends_at"] = "一次活动不超过 24 小时"
    if site is not None and site.community_id != community.pk:
        errors["site"] = "请选择本社区的服务阵地"
    if unit is not None and not scope.units().filter(pk=unit.pk).exists():
        errors["unit"] = "共建单位不存在"
    if cap is not None and (not isinstance(cap, int) or cap < 1):
        errors["cap"] = "名额至少为 1，不限名额请留空"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_plan(
    *,
    user,
    community: Area,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    area: Area | None = None,
    site: ServiceSite | None = None,
    place: str = "",
    organiser: str = "",
    unit: Unit | None = None,
    team=None,
    cap: int | None = None,
    description: str = "",
) -> Activity:
    scope = Scope.of(user)
    if community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "活动须由社区组织"})
    if not site_rights.may_manage_community(scope, community):
        raise PermissionDenied("只有本社区或上级街道的工作人员可以策划活动")
    area = area or community
    _check_plan(scope, community, area, starts_at, ends_at, site, unit, cap, title, kind)
    activity = Activity.objects.create(
        community=community,
        area=area,
        kind=kind,
        title=title.strip()[:120],
        starts_at=starts_at,
        ends_at=ends_at,
        site=site,
        place=(place.strip() or (site.name if site else ""))[:120],
        organiser=organiser.strip()[:60],
        unit=unit,
        team=team,
        cap=cap,
        description=description.strip(),
        checkin_key=secrets.token_hex(16),
        created_by=user,
        created_at=clock.now(),
    )
    ACTIVITIES.record(activity, user=user, action="plan", from_state="")
    return activity


def _managed_step(user, activity_id: int, action: str) -> tuple[Activity, str]:
    scope = Scope.of(user)
    activity = ACTIVITIES.begin(activity_id, action, allowed=lambda a: rights.may_manage(scope, a))
    return activity, activity.status


@transaction.atomic
def activity_publish(*, user, activity_id: int) -> Activity:
    activity, before = _managed_step(user, activity_id, "publish")
    if activity.ends_at <= clock.now():
        raise ValidationError({"starts_at": "活动时间已过，不能发布报名"})
    activity.status = S.PUBLISHED
    ACTIVITIES.save(activity, "status")
    ACTIVITIES.record(activity, user=user, action="publish", from_state=before)
    return activity


@transaction.atomic
def activity_cancel(*, user, activity_id: int, reason: str) -> Activity:
    activity, before = _managed_step(user, activity_id, "cancel")
    if not reason.strip():
        raise ValidationError({"reason": "请说明取消原因"})
    activity.status = S.CANCELLED
    ACTIVITIES.save(activity, "status")
    ACTIVITIES.record(activity, user=user, action="cancel", from_state=before, note=reason.strip())
    return activity


def taken(activity: Activity) -> int:
    return activity.attendances.count()


@transaction.atomic
def activity_signup(*, user, activity_id: int) -> Attendance:
    """A resident of the area takes a place; the activity's row is locked while the places are counted."""
    scope = Scope.of(user)
    activity = ACTIVITIES.begin(activity_id, "signup", allowed=lambda a: rights.may_join(scope, a))
    person = scope.person
    if person is None:
        raise PermissionDenied("您的账号尚未关联居民信息，请联系社区")
    if activity.ends_at <= clock.now():
        raise TransitionError("活动已经结束，不能报名", code="over")
    if activity.attendances.filter(person=person).exists():
        raise TransitionError("您已报名该活动", code="already")
    if activity.cap is not None and taken(activity) >= activity.cap:
        raise TransitionError(f"名额已满（共 {activity.cap} 个）", code="full")
    attendance = Attendance.objects.create(activity=activity, person=person, signed_up_at=clock.now())
    ACTIVITIES.record(activity, user=user, action="signup", from_state=activity.status, note=person.name)
    return attendance


@transaction.atomic
def activity_withdraw(*, user, activity_id: int) -> Activity:
    scope = Scope.of(user)
    activity = ACTIVITIES.begin(activity_id, "withdraw", allowed=lambda a: rights.may_join(scope, a))
    person = scope.person
    mine = activity.attendances.filter(person=person, checked_in_at__isnull=True).first() if person else None
    if mine is None or person is None:
        raise TransitionError("您没有可取消的报名（未报名或已签到）", code="not_signed_up")
    mine.delete()
    ACTIVITIES.record(activity, user=user, action="withdraw", from_state=activity.status, note=person.name)
    return activity


# ---- check-in ---------------------------------------------------------------------------------------------------
def checkin_code(activity: Activity) -> str:
    """The signed code in the day's QR link: this activity, this day, this key (a new key voids old codes)."""
    day = timezone.localtime(activity.starts_at).date().isoformat()
    return signing.Signer(salt=f"{CHECKIN_SALT}.{activity.checkin_key}").sign(f"{activity.pk}:{day}")


def _code_ok(activity: Activity, code: str) -> bool:
    try:
        value = signing.Signer(salt=f"{CHECKIN_SALT}.{activity.checkin_key}").unsign(code)
    except signing.BadSignature:
        return False
    day = timezone.localtime(activity.starts_at).date().isoformat()
    return value == f"{activity.pk}:{day}"


def checkin_open(activity: Activity, now: datetime) -> bool:
    return activity.starts_at - CHECKIN_EARLY <= now <= activity.ends_at


def _check_in(activity: Activity, person: Person, user, via: str) -> Attendance:
    now = clock.now()
    attendance = activity.attendances.filter(person=person).first()
    if attendance is None:
        attendance = Attendance.objects.create(activity=activity, person=person, via=via, signed_up_at=now)
    if attendance.checked_in_at is None:
        attendance.checked_in_at, attendance.checked_in_by = now, user
        attendance.save(update_fields=["checked_in_at", "checked_in_by"])
        ACTIVITIES.record(
            activity, user=user, action="check_in", from_state=activity.status, note=person.name
        )
    return attendance


@transaction.atomic
def activity_scan(*, user, activity_id: int, code: str) -> Attendance:
    """A resident scanned the QR code on the staff phone: checked in (a second scan changes nothing)."""
    scope = Scope.of(user)
    activity = ACTIVITIES.begin(activity_id, "check_in", allowed=lambda a: rights.may_join(scope, a))
    if not _code_ok(activity, code):
        raise ValidationError({"code": "签到码无效或已更换，请重新扫描现场的二维码"})
    if not checkin_open(activity, clock.now()):
        raise TransitionError("不在签到时间内（开始前 1 小时至活动结束）", code="not_open")
    if scope.person is None:
        raise PermissionDenied("您的账号尚未关联居民信息，请联系社区")
    return _check_in(activity, scope.person, user, Attendance.Via.WALK_IN)


@transaction.atomic
def activity_tick(*, user, activity_id: int, person_ids: Sequence[int]) -> list[Attendance]:
    """Staff tick names at the door: those signed up, or residents of the community who came without."""
    scope = Scope.of(user)
    activity = ACTIVITIES.begin(activity_id, "check_in", allowed=lambda a: rights.may_tick(scope, a))
    people = list(Person.objects.filter(pk__in=person_ids))
    if not people:
        raise ValidationError({"people": "请选择签到的居民"})
    signed = set(activity.attendances.values_list("person_id", flat=True))
    outside = [p.name for p in people if p.pk not in signed and p.community_id != activity.community_id]
    if outside:
        raise ValidationError({"people": f"不是本社区居民：{'、'.join(outside)}"})
    return [_check_in(activity, p, user, Attendance.Via.WALK_IN) for p in people]


# ---- afterwards ---------------------------------------------------------------------------------------------------
def credited(activity: Activity, person: Person, team_ids: set[int]) -> bool:
    """Hours go to those who served: every one at a volunteer service day, party members and volunteers at any."""
    return activity.kind == Activity.Kind.VOLUNTEER or person.is_party_member or person.pk in team_ids


@transaction.atomic
def activity_close(*, user, activity_id: int, report: str) -> Activity:
    activity, before = _managed_step(user, activity_id, "close")
    if clock.now() < activity.starts_at:
        raise TransitionError("活动尚未开始，不能结束", code="not_started")
    if not report.strip():
        raise ValidationError({"report": "请写几句活动小结"})
    from needs.models import VolunteerTeam

    volunteers = set(
        VolunteerTeam.objects.filter(community=activity.community).values_list("members", flat=True)
    )
    for attendance in activity.attendances.filter(checked_in_at__isnull=False).select_related("person"):
        if credited(activity, attendance.person, volunteers):
            attendance.minutes = activity.minutes
            attendance.save(update_fields=["minutes"])
    activity.status, activity.report = S.HELD, report.strip()
    ACTIVITIES.save(activity, "status", "report")
    ACTIVITIES.record(activity, user=user, action="close", from_state=before)
    return activity


@transaction.atomic
def activity_add_photos(*, user, activity_id: int, photos: Sequence[UploadedFile]) -> list[ActivityPhoto]:
    activity, before = _managed_step(user, activity_id, "photos")
    if not photos:
        raise ValidationError({"photos": "请选择照片"})
    already = activity.photos.count()
    if already + len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"一次活动最多 {MAX_PHOTOS} 张照片（已有 {already} 张）"})
    now = clock.now()
    saved = [
        ActivityPhoto.objects.create(activity=activity, image=f, uploaded_at=now)
        for f in check_photos(photos)
    ]
    ACTIVITIES.record(activity, user=user, action="photos", from_state=before, note=f"{len(saved)} 张")
    return saved


@transaction.atomic
def activity_record(
    *,
    user,
    community: Area,
    kind: str,
    title: str,
    starts_at: datetime,
    minutes_each: int,
    participants: Iterable[Person],
    place: str = "",
    team=None,
    organiser: str = "",
) -> Activity:
    """An activity already held, recorded afterwards with who took part (a volunteer team's service day)."""
    participants = list(participants)
    if not isinstance(minutes_each, int) or not 1 <= minutes_each <= 24 * 60:
        raise ValidationError({"minutes_each": "每人时长应在 1 到 1440 分钟之间"})
    if not participants:
        raise ValidationError({"participants": "请选择参加的人员"})
    if timezone.localtime(starts_at).date() > timezone.localtime(clock.now()).date():
        raise ValidationError({"held_on": "不能记录未来的活动"})
    activity = activity_plan(
        user=user,
        community=community,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes_each),
        place=place,
        team=team,
        organiser=organiser,
    )
    activity.status = S.HELD
    ACTIVITIES.save(activity, "status")
    Attendance.objects.bulk_create(
        Attendance(
            activity=activity,
            person=p,
            via=Attendance.Via.RECORD,
            signed_up_at=starts_at,
            checked_in_at=starts_at,
            checked_in_by=user,
            minutes=minutes_each,
        )
        for p in participants
    )
    ACTIVITIES.record(
        activity, user=user, action="record", from_state=S.PLANNED, note=f"{len(participants)} 人"
    )
    return activity
