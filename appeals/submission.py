"""点单: every channel files an appeal through ``appeal_submit`` (re-exported by ``appeals.services``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from access.scope import AREA_STAFF_ROLES, HOME_ROLES, Scope
from appeals.errors import PermissionDenied, ValidationError
from appeals.models import Appeal, AppealPhoto, Channel, Kind
from appeals.photos import check_photos
from appeals.recipients import level_staff
from appeals.steps import record, save_photos, url
from areas.models import Area, Building
from categories.models import Category
from linli import clock
from linli.text import required_text as _required
from notifications.services import notify, notify_selected
from people.models import Person


def _community_of(grid: Area) -> Area | None:
    """The grid's community: its parent when it was read with the grid (``select_related("parent")``, as the API
    and the forms do) and is the community; else looked up among its ancestors (a zone in between)."""
    parent = grid.parent if Area.parent.is_cached(grid) else None
    if parent is not None and parent.kind == Area.Kind.COMMUNITY:
        return parent
    return grid.ancestor_of_kind(Area.Kind.COMMUNITY)


def _under_own_node(scope: Scope, place: Area) -> bool:
    """The common case of ``scope.areas()`` decided without a query: the place lies under an area where the user
    holds a working or a home role. (Building heads and unit staff reach further; the caller asks the database.)"""
    return any(place.path.startswith(n.path) for n in scope.nodes(AREA_STAFF_ROLES | HOME_ROLES))


@transaction.atomic
def appeal_submit(
    *,
    user,
    title: str,
    body: str,
    channel: str,
    raised_by: Person | None = None,
    category: Category | None = None,
    community: Area | None = None,
    grid: Area | None = None,
    building: Building | None = None,
    address: str = "",
    is_anonymous: bool = False,
    photos: Sequence[UploadedFile] = (),
    kind: str = Kind.APPEAL,
    need=None,
    street=None,
) -> Appeal:
    scope = Scope.of(user)
    me = scope.person
    if raised_by is None:
        if me is None:
            raise ValidationError({"raised_by": "请选择诉求人"})
        raised_by = me
    if raised_by != me and not scope.can_record_for(raised_by):
        raise PermissionDenied("您不能替这位居民登记诉求")
    if channel not in Channel.values:
        raise ValidationError({"channel": "未知渠道"})
    title = _required(title, "title", "标题", 120)
    body = _required(body, "body", "内容", 5000)
    if category is not None and not category.is_active:
        raise ValidationError({"category": "该类别已停用"})
    if building is not None:
        if grid is not None and building.grid_id != grid.pk:
            raise ValidationError({"building": "楼栋不在所选网格内"})
        grid = building.grid
    if grid is not None:
        if grid.kind != Area.Kind.GRID:
            raise ValidationError({"grid": "请选择网格"})
        grid_community = _community_of(grid)
        if community is not None and grid_community != community:
            raise ValidationError({"grid": "网格不在所选社区内"})
        community = grid_community
    community = community or (street.community if street is not None else None) or raised_by.community
    if community is None or community.kind != Area.Kind.COMMUNITY:
        raise ValidationError({"community": "请选择诉求所在的社区、网格或楼栋"})
    if street is not None and street.community_id != community.pk:
        raise ValidationError({"street": f"请选择{community.name}的街路"})
    place = grid or community
    if not (scope.is_admin or _under_own_node(scope, place) or scope.areas().filter(pk=place.pk).exists()):
        raise PermissionDenied(f"“{place.name}”不在您的工作范围内")
    cleaned = check_photos(photos)
    now = clock.now()
    appeal = Appeal(
        title=title,
        body=body,
        channel=channel,
        raised_by=raised_by,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
        category=category,
        community=community,
        grid=grid,
        building=building,
        address=address.strip()[:200],
        area_path=(grid or community).path,
        is_anonymous=is_anonymous,
        submitted_at=now,
        kind=kind,
        need=need,
        street=street,
    )
    appeal.save()
    save_photos(appeal, cleaned, AppealPhoto.Stage.INTAKE)
    who = "" if raised_by == me else f"（{Channel(channel).label}代{raised_by.name}登记）"
    record(appeal, user=user, action="submit", from_status="", note=who, at=now)
    notify_selected(users=level_staff(appeal), title=f"新诉求：{title}", body=body[:200], url=url(appeal))
    if street is not None:  # 街长制: the street's 街长 hears of it (read fresh: the head may have changed)
        heads = Person.objects.filter(streets_led=street, user__isnull=False).select_related("user")
        notify(
            users=[p.user for p in heads],
            title=f"{street.name}街路诉求：{title}",
            body=body[:200],
            url=url(appeal),
        )
    return appeal
