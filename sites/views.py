"""党群服务阵地: the pages. Residents find the nearest site and book; staff register sites, confirm bookings and
keep the 代办/预约 ledger. Every write calls a service; a refusal is shown on the page."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from access.scope import Scope
from areas.models import Area
from linli import clock
from linli.refusals import REFUSALS as REFUSED
from linli.refusals import refusal, tried
from people.models import Person
from sites import ledger, selectors, services
from sites import scope as rights
from sites.forms import (
    BookingForm,
    DutyForm,
    HoursForm,
    ReasonForm,
    RecordForm,
    RoomForm,
    SiteForm,
    hours_text,
)
from sites.models import Booking


def _position(request) -> tuple[float, float] | None:
    """The browser's position, if the person allowed it (the page's 使用我的位置 button sends it)."""
    try:
        lat, lng = Decimal(request.GET["lat"]), Decimal(request.GET["lng"])
    except (KeyError, InvalidOperation):
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return float(lat), float(lng)


@login_required
def index(request):
    scope = Scope.of(request.user)
    position = _position(request)
    found = selectors.nearest(scope, clock.now(), position)
    communities = Area.objects.filter(kind=Area.Kind.COMMUNITY).filter(
        pk__in=[c.pk for c in scope.nodes(rights.SITE_MANAGER_ROLES) if c.kind == Area.Kind.COMMUNITY]
    )
    return render(
        request,
        "sites/index.html",
        {
            "found": found,
            "by_browser": position is not None,
            "located": any(f.km is not None for f in found),
            "staff": rights.is_site_staff(scope),
            "waiting": selectors.waiting_bookings(scope).count(),
            "communities": communities,
            "mine": selectors.visible_bookings(scope).filter(booked_by=request.user)[:10],
        },
    )


def _community_for_new(request, scope: Scope) -> Area:
    community = Area.objects.filter(kind=Area.Kind.COMMUNITY, pk=request.GET.get("community") or 0).first()
    if community is None:
        nodes = [n for n in scope.nodes(rights.SITE_MANAGER_ROLES) if n.kind == Area.Kind.COMMUNITY]
        community = nodes[0] if nodes else None
    if community is None or not rights.may_manage_community(scope, community):
        raise Http404
    return community


@login_required
def site_new(request):
    scope = Scope.of(request.user)
    community = _community_for_new(request, scope)
    grids = Area.objects.filter(kind=Area.Kind.GRID, path__startswith=community.path)
    form = SiteForm(request.POST or None, grids=grids)
    if request.method == "POST" and form.is_valid():
        site = tried(
            request, lambda: services.site_create(user=request.user, community=community, **form.cleaned_data)
        )
        if site is not None:
            messages.success(request, "服务阵地已登记")
            return redirect("sites-detail", pk=site.pk)
    return render(request, "sites/site_new.html", {"form": form, "community": community})


def _detail_post(request, scope, site, forms):
    """One of the detail page's forms was sent: book, set the hours, or add to the ledger."""
    action = request.POST.get("form")
    if action == "book":
        forms["book"] = form = BookingForm(request.POST, site=site)
        if form.is_valid():
            data = form.cleaned_data
            booking = services.booking_request(
                user=request.user,
                site_id=site.pk,
                kind=data["kind"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                purpose=data["purpose"],
                room_id=data["room"].pk if data["room"] else None,
                attendees=data["attendees"],
                service=data["service"] or "",
            )
            return f"已提交{booking.get_kind_display()}，等待工作人员确认"
    elif action == "hours":
        forms["hours"] = form = HoursForm(request.POST)
        if form.is_valid():
            services.site_set_hours(user=request.user, site_id=site.pk, hours=form.cleaned_data["hours"])
            return "开放时间已更新"
    elif action == "room":
        forms["room"] = form = RoomForm(request.POST)
        if form.is_valid():
            room = services.room_add(user=request.user, site_id=site.pk, **form.cleaned_data)
            return f"已添加活动室：{room.name}"
    elif action == "duty":
        forms["duty"] = form = DutyForm(request.POST, people=forms["duty"].fields["people"].queryset)
        if form.is_valid():
            services.site_set_duty(user=request.user, site_id=site.pk, people=form.cleaned_data["people"])
            return "值班人员已更新"
    elif action == "record":
        forms["record"] = form = RecordForm(request.POST)
        if form.is_valid():
            record = ledger.record_create(user=request.user, site_id=site.pk, **form.cleaned_data)
            return f"已登记{record.get_kind_display()}：{record.service}" + (
                "（延时服务）" if record.extended else ""
            )
    return None


@login_required
def site_detail(request, pk: int):
    scope = Scope.of(request.user)
    site = get_object_or_404(selectors.with_hours(rights.sites(scope)), pk=pk)
    manage = rights.may_manage_site(scope, site)
    forms = {
        "book": BookingForm(
            site=site, initial={"kind": Booking.Kind.ROOM if site.rooms.exists() else "appointment"}
        ),
        "hours": HoursForm(initial={"hours": hours_text(site)}),
        "record": RecordForm(),
        "room": RoomForm(),
        "duty": DutyForm(
            people=scope.persons().filter(community=site.community).order_by("name")
            if manage
            else Person.objects.none(),
            initial={"people": list(site.on_duty.values_list("pk", flat=True))},
        ),
    }
    if request.method == "POST" and (
        done := tried(request, lambda: _detail_post(request, scope, site, forms))
    ):
        messages.success(request, done)
        return redirect("sites-detail", pk=site.pk)
    now = clock.now()
    upcoming = site.bookings.filter(ends_at__gte=now, status__in=Booking.HOLDING).select_related("room")
    return render(
        request,
        "sites/site_detail.html",
        {
            "site": site,
            "week": selectors.week(site),
            "open_now": selectors.is_open(site, now),
            "manage": manage,
            "may_book": rights.may_book_at(scope, site),
            "forms": forms,
            "upcoming": upcoming.order_by("starts_at")[:30],
            "on_duty": site.on_duty.all(),
            "records": site.records.select_related("person")[:20] if manage else [],
        },
    )


@login_required
def bookings(request):
    scope = Scope.of(request.user)
    qs = selectors.visible_bookings(scope)
    status = request.GET.get("status", "")
    if status in Booking.Status.values:
        qs = qs.filter(status=status)
    rows = []
    for b in qs[:200]:
        offered = services.BOOKINGS.offered(b, lambda a, b=b: services.may_step(scope, b, a))
        rows.append((b, [(a, services.LABELS[a]) for a in offered]))
    return render(
        request,
        "sites/bookings.html",
        {"rows": rows, "status": status, "statuses": Booking.Status.choices},
    )


STEPS = {
    "confirm": lambda user, pk, reason: services.booking_confirm(user=user, booking_id=pk),
    "decline": lambda user, pk, reason: services.booking_decline(user=user, booking_id=pk, reason=reason),
    "cancel": lambda user, pk, reason: services.booking_cancel(user=user, booking_id=pk, reason=reason),
    "attend": lambda user, pk, reason: services.booking_attend(user=user, booking_id=pk),
    "no_show": lambda user, pk, reason: services.booking_no_show(user=user, booking_id=pk),
}


@login_required
@require_POST
def booking_step(request, pk: int, action: str):
    scope = Scope.of(request.user)
    booking = get_object_or_404(rights.bookings(scope), pk=pk)
    if action not in STEPS:
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        STEPS[action](request.user, booking.pk, reason)
    except REFUSED as exc:
        refusal(request, exc)
    else:
        messages.success(request, f"预约已{services.LABELS[action]}")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    return redirect(target or "sites-bookings")
