"""点单 pages: a resident reports on their phone; a worker (grid worker, building head, community staff) records for
a resident met on a visit, at the counter or on the hotline, finding them in the register or registering them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render

from access.scope import PEOPLE_KEEPER_ROLES, Scope
from appeals import forms as f
from appeals import services
from appeals.errors import PermissionDenied, ValidationError, messages_of
from appeals.models import Appeal, Channel
from appeals.recipients import level_staff
from appeals.workflow import actor_for
from areas.models import Area, Building
from audit.access_log import Field, one_insert, reveal_many
from people.models import Person, phone_matches
from people.services import person_create
from streets.selectors import intake_streets

RESULTS = 10  # people shown for one search


def _refused(form, exc: ValidationError | PermissionDenied) -> None:
    """The service's refusal on the intake form: every message of bad input, or the reason there is no right
    (a wrong street at the street field)."""
    if (
        isinstance(exc, ValidationError)
        and "street" in getattr(exc, "error_dict", {})
        and "street" in form.fields
    ):
        form.add_error("street", exc.message_dict["street"])
        return
    for message in messages_of(exc) if isinstance(exc, ValidationError) else [str(exc)]:
        form.add_error(None, message)


def find_people(scope: Scope, text: str) -> QuerySet[Person]:
    """People of the register in the user's scope matching every word of ``text``: a name, a phone number (whole,
    or its last four digits), a building's name or a door number ("张 1号楼", "5678", "丽景湾 101")."""
    words = text.split()[:4]
    if not words:
        return Person.objects.none()
    qs = scope.persons()
    for word in words:
        match = Q(name__icontains=word) | Q(memberships__household__building__name__icontains=word)
        match |= Q(memberships__household__number=word)
        if word.isdigit() and len(word) >= 4:  # a whole phone or its last four digits (phones are encrypted)
            match |= phone_matches(word)
        qs = qs.filter(pk__in=Person.objects.filter(match).values("pk"))
    return qs.order_by("name", "id")


def _describe(scope: Scope, people: list[Person]) -> list[dict]:
    """Each person found with their phone as the user may see it and their homes (building and door) in full; the
    PIPL access log of both in one insert (a home's row only for those with a door shown, not a community)."""
    homes: dict[int, list[str]] = {}
    housed: set[int] = set()
    for p in Person.objects.filter(pk__in=[p.pk for p in people]).values(
        "pk", "memberships__household__building__name", "memberships__household__number", "community__name"
    ):
        building, number = p["memberships__household__building__name"], p["memberships__household__number"]
        place = f"{building} {number}" if building else (p["community__name"] or "")
        if building:
            housed.add(p["pk"])
        if place:
            homes.setdefault(p["pk"], []).append(place)
    with one_insert():
        phones = scope.phones_of(people)  # decided for the lot in one query
        reveal_many(user=scope.user, people=[p for p in people if p.pk in housed], field=Field.ADDRESS)
    return [
        {"pk": p.pk, "name": p.name, "phone": phones[p.pk], "home": "、".join(homes.get(p.pk, []))}
        for p in people
    ]


def _results_context(scope: Scope, text: str, chosen: Person | None = None) -> dict:
    people = list(find_people(scope, text)[:RESULTS]) if text else []
    if chosen is not None and chosen not in people:
        people.insert(0, chosen)
    return {
        "q": text,
        "people": _describe(scope, people),
        "chosen": chosen.pk if chosen else None,
        "searched": bool(text),
    }


def records_for_others(scope: Scope) -> bool:
    """Whether the user records appeals for residents (grid workers and leaders, community and subdistrict staff,
    building heads); others, unit staff among them, report only their own."""
    return scope.is_admin or bool(scope.nodes(PEOPLE_KEEPER_ROLES)) or bool(scope.building_ids)


@login_required
def person_search(request):
    """The search results under the intake form's search box (an htmx fragment)."""
    scope = Scope.of(request.user)
    if not records_for_others(scope):
        raise Http404
    text = request.GET.get("q", "").strip()[:50]
    return render(request, "appeals/_person_results.html", _results_context(scope, text))


@login_required
def appeal_new(request):
    scope = Scope.of(request.user)
    if not records_for_others(scope):
        return _resident_new(request, scope)
    grids = list(scope.areas().filter(kind=Area.Kind.GRID).order_by("path"))
    buildings = list(scope.buildings().select_related("grid").order_by("grid__path", "code")[:500])
    streets = intake_streets(scope)
    form = f.StaffAppealForm(
        request.POST or None, request.FILES or None, grids=grids, buildings=buildings, streets=streets
    )
    chosen = _chosen(scope, request.POST.get("person") or request.GET.get("person"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        building = next((b for b in buildings if str(b.pk) == data.get("building")), None)
        grid = next((g for g in grids if str(g.pk) == data.get("grid")), None)
        try:
            with transaction.atomic():
                raised_by, registered = _raiser(request.user, scope, data, chosen, building, grid)
                if building is None and grid is None:
                    building = _home_building(scope, raised_by)
                appeal = services.appeal_submit(
                    user=request.user,
                    title=data["title"],
                    body=data["body"],
                    channel=data["channel"],
                    raised_by=raised_by,
                    category=data.get("category"),
                    grid=grid,
                    building=building,
                    address=data.get("address", ""),
                    is_anonymous=data.get("is_anonymous", False),
                    photos=data.get("photos") or [],
                    street=_street(streets, data),
                )
        except (ValidationError, PermissionDenied) as exc:
            _refused(form, exc)
        else:
            messages.success(request, staff_confirmation(scope, appeal, registered))
            return redirect("appeal-detail", pk=appeal.pk)
    context = {
        "form": form,
        "staff": True,
        "can_register": bool(scope.is_admin or scope.nodes(PEOPLE_KEEPER_ROLES)),
        **_results_context(scope, request.GET.get("q", "").strip()[:50], chosen),
    }
    return render(request, "appeals/new.html", context)


def _resident_new(request, scope: Scope):
    buildings = list(scope.buildings())
    streets = intake_streets(scope)
    form = f.ResidentAppealForm(
        request.POST or None, request.FILES or None, buildings=buildings, streets=streets
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        building = next((b for b in buildings if str(b.pk) == data.get("building")), None)
        try:
            appeal = services.appeal_submit(
                user=request.user,
                title=data["title"],
                body=data["body"],
                channel=Channel.APP,
                raised_by=scope.person,
                category=data.get("category"),
                building=building,
                address=data.get("address", ""),
                is_anonymous=data.get("is_anonymous", False),
                photos=data.get("photos") or [],
                street=_street(streets, data),
            )
        except (ValidationError, PermissionDenied) as exc:
            _refused(form, exc)
        else:
            messages.success(request, f"已提交，编号 {appeal.pk}。社区会尽快处理，进展会通知您。")
            return redirect("appeal-detail", pk=appeal.pk)
    return render(request, "appeals/new.html", {"form": form, "staff": False})


def _street(streets, data: dict):
    return next((s for s, _ in streets if str(s.pk) == data.get("street")), None)


def _chosen(scope: Scope, value: str | None) -> Person | None:
    if not value or not value.isdigit():
        return None
    return scope.persons().filter(pk=int(value)).first()


def _home_building(scope: Scope, person: Person) -> Building | None:
    return scope.buildings().filter(households__memberships__person=person).order_by("pk").first()


def _raiser(user, scope: Scope, data: dict, chosen: Person | None, building, grid) -> tuple[Person, bool]:
    """The person the appeal is for: the one picked from the register, or a new person registered now with the
    community of the chosen building or grid (the building and address go in the register's note, for the grid
    worker to house them later). True when registered now."""
    if data.get("person"):
        if chosen is None:
            raise ValidationError({"person": "所选居民不在您的工作范围内，请重新查找"})
        return chosen, False
    phone = data.get("new_phone", "")
    if phone:
        known = scope.persons().filter(phone=phone).first()
        if known is not None:
            raise ValidationError(
                {"new_phone": f"电话 {phone} 已登记为{known.name}：请在上面的名册查找里选中，不要重复登记"}
            )
    place = building.grid if building else grid
    community = place.ancestor_of_kind(Area.Kind.COMMUNITY) if place else None
    if community is None:
        raise ValidationError({"building": "登记新居民时请选择所在楼栋或网格"})
    if not scope.can_create_person_in(community):
        raise PermissionDenied("您不能在该社区登记居民，请联系网格员或社区工作人员登记")
    where = "，".join(x for x in (building.name if building else "", data.get("address", "").strip()) if x)
    note = f"登记诉求时代为登记。住址：{where}" if where else "登记诉求时代为登记"
    person = person_create(
        actor=user, name=data["new_name"].strip(), phone=phone, community=community, note=note[:200]
    )
    return person, True


def staff_confirmation(scope: Scope, appeal: Appeal, registered: bool) -> str:
    """What the worker is told after recording: the number, what happens next, and how the resident hears of it,
    each as this code does it."""
    name = appeal.raised_by.name
    parts = [f"已登记为 #{appeal.pk}，诉求人 {name}（{appeal.get_channel_display()}）。"]
    if registered:
        parts.append(f"{name} 已登记到{appeal.community.name}的居民名册。")
    if actor_for(scope, appeal).dispatcher:
        parts.append("请在下方分类、派单。")
    elif level_staff(appeal).exists():
        parts.append(f"已通知{appeal.community.name}的社区工作人员分类派单。")
    else:
        parts.append(f"{appeal.community.name}还没有社区工作人员账号，请电话告知社区派单。")
    if appeal.raised_by.user_id:
        parts.append("居民可在“我的诉求”里看到进展，办好后由居民评价。")
    else:
        parts.append(
            "居民没有登录账号，收不到站内消息：有进展请告知居民；办好后由网格员或社区回访，代为评价。"
        )
    return "".join(parts)
