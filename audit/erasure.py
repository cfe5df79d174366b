"""PIPL: a resident's request to be removed, carried out by staff, and the retention sweep.

Erasing a person keeps the figures: their appeals stay (category, place, dates, status, rating — what the rates
count) with the personal fields blanked (statement, address, rating comment, photos) and marked anonymous; the
Person keeps its row and community (so the per-community counts are unchanged) with name, phone, gender, birth
year, note, homes and party branch removed; the account is deactivated and renamed, its tokens revoked.
The retention sweep (``retention_sweep``, daily in the worker) does the appeal half for appeals closed more than
``LINLI_RETENTION_YEARS`` years ago (default 3). Each request, its outcome and each sweep are audit rows.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from access.scope import Scope
from audit.models import ErasureRequest, record
from linli import clock

ERASED_NAME = "已注销居民"
ERASED_TEXT = "（个人信息已删除）"
FINISHED = ("closed", "withdrawn", "merged")


def retention_years() -> int:
    return int(getattr(settings, "LINLI_RETENTION_YEARS", 3))


# ---- requests ----------------------------------------------------------------------------------------------------
@transaction.atomic
def erasure_request_submit(*, user, reason: str = "") -> ErasureRequest:
    person = Scope.of(user).person
    if person is None:
        raise ValidationError({"reason": "您的账号没有对应的居民信息"})
    if ErasureRequest.objects.filter(person=person, status=ErasureRequest.Status.PENDING).exists():
        raise ValidationError({"reason": "您已提交过删除申请，正在等待社区处理"})
    request = ErasureRequest.objects.create(
        person=person, reason=reason.strip()[:300], requested_at=clock.now()
    )
    record(actor=user, action="erasure_request", obj=request, summary=f"居民申请删除个人信息 #{request.pk}")
    return request


def erasure_requests_for(user) -> QuerySet[ErasureRequest]:
    """The requests this user may handle: of the people in their scope, for community staff and above."""
    scope = Scope.of(user)
    if not scope.is_staff_like:
        return ErasureRequest.objects.none()
    return ErasureRequest.objects.filter(person__in=scope.persons()).select_related("person")


def _handleable(user, request_id: int) -> ErasureRequest:
    request = ErasureRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None or not erasure_requests_for(user).filter(pk=request_id).exists():
        raise ErasureRequest.DoesNotExist
    if not Scope.of(user).can_change_person(request.person):
        raise PermissionDenied("只有负责该居民的社区工作人员可以处理")
    if request.status != ErasureRequest.Status.PENDING:
        raise ValidationError({"status": f"该申请已处理（{request.get_status_display()}）"})
    return request


@transaction.atomic
def erasure_request_refuse(*, user, request_id: int, note: str) -> ErasureRequest:
    if not note.strip():
        raise ValidationError({"note": "请写明不予删除的理由（如纠纷尚在调解、法律要求保存）"})
    request = _handleable(user, request_id)
    request.status, request.handled_by, request.handled_at = ErasureRequest.Status.REFUSED, user, clock.now()
    request.note = note.strip()[:300]
    request.save(update_fields=["status", "handled_by", "handled_at", "note"])
    record(
        actor=user, action="erasure_refuse", obj=request, summary=f"不予删除 #{request.pk}：{request.note}"
    )
    return request


@transaction.atomic
def erasure_request_carry_out(*, user, request_id: int, note: str = "") -> ErasureRequest:
    request = _handleable(user, request_id)
    counts = person_erase(person=request.person)
    request.status, request.handled_by, request.handled_at = ErasureRequest.Status.DONE, user, clock.now()
    request.note = note.strip()[:300]
    request.save(update_fields=["status", "handled_by", "handled_at", "note"])
    record(actor=user, action="erasure_done", obj=request, summary=f"已删除个人信息 #{request.pk}", **counts)
    return request


# ---- the erasure itself ------------------------------------------------------------------------------------------
def appeals_erase(appeals) -> int:
    """Blank the personal fields of these appeals (and delete their photos); returns how many changed."""
    from appeals.models import Appeal, AppealPhoto

    ids = list(appeals.exclude(body=ERASED_TEXT).values_list("pk", flat=True))
    for photo in AppealPhoto.objects.filter(appeal_id__in=ids):
        photo.image.delete(save=False)
        photo.delete()
    Appeal.objects.filter(pk__in=ids).update(
        body=ERASED_TEXT, address="", rating_comment="", is_anonymous=True
    )
    return len(ids)


def person_erase(*, person) -> dict[str, int]:
    from access.tokens import tokens_revoke_all
    from appeals.models import Appeal

    erased = appeals_erase(Appeal.objects.filter(raised_by=person))
    homes = person.memberships.count()
    person.memberships.all().delete()
    person.name, person.phone, person.gender, person.birth_year, person.note = ERASED_NAME, "", "", None, ""
    person.is_party_member, person.party_org, person.elder_mode = False, None, False
    user = person.user
    person.save(
        update_fields=[
            "name",
            "phone",
            "gender",
            "birth_year",
            "note",
            "is_party_member",
            "party_org",
            "elder_mode",
        ]
    )
    if user is not None:
        tokens_revoke_all(user=user, why="个人信息已删除")
        user.username = f"erased-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["username", "first_name", "last_name", "email", "is_active", "password"])
    return {"appeals": erased, "homes": homes}


# ---- retention ---------------------------------------------------------------------------------------------------
@transaction.atomic
def retention_sweep() -> dict[str, int]:
    """Blank the personal fields of appeals finished more than the retention period ago."""
    from appeals.models import Appeal

    cutoff = clock.now() - timedelta(days=365 * retention_years())
    finished = Appeal.objects.filter(status__in=FINISHED).filter(
        Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, submitted_at__lt=cutoff)
    )
    count = appeals_erase(finished)
    if count:
        record(
            actor=None,
            action="retention_sweep",
            summary=f"{count} 件办结超过 {retention_years()} 年的诉求已删除个人信息",
            appeals=count,
            cutoff=cutoff.isoformat(),
        )
    return {"appeals": count}
