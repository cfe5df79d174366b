"""活动: the pages. Residents see what is open to them and sign up; on the day they scan the QR code on the
staff phone (or staff tick their names); staff plan, publish, close with a report and photos."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from access.scope import Scope
from activities import qr, selectors, services
from activities import scope as rights
from activities.forms import CloseForm, PhotosForm, PlanForm, TickForm
from activities.models import Activity
from areas.models import Area
from linli import clock
from linli.refusals import REFUSALS as REFUSED
from linli.refusals import refusal, tried
from sites import scope as site_rights
from sites.models import ServiceSite

EVENT_LABELS = {**services.LABELS, "plan": "策划", "record": "补录"}


@login_required
def index(request):
    scope = Scope.of(request.user)
    qs, used = selectors.filtered(scope, request.GET)
    staff = site_rights.is_site_staff(scope)
    communities = [n for n in scope.nodes(site_rights.SITE_MANAGER_ROLES) if n.kind == Area.Kind.COMMUNITY]
    person = scope.person
    mine = set()
    if person is not None:
        mine = set(person.attendances.values_list("activity_id", flat=True))
    return render(
        request,
        "activities/index.html",
        {
            "upcoming": []
            if used
            else selectors.upcoming(scope, clock.now())[:20],  # a drill-down shows its rows
            "rows": selectors.with_counts(qs).order_by("-starts_at")[:200] if staff else [],
            "staff": staff,
            "used": used,
            "kinds": Activity.Kind.choices,
            "statuses": Activity.Status.choices,
            "communities": communities,
            "mine": mine,
            "hours": selectors.person_hours(person.pk) if person else None,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def activity_new(request):
    scope = Scope.of(request.user)
    community = Area.objects.filter(kind=Area.Kind.COMMUNITY, pk=request.GET.get("community") or 0).first()
    if community is None:
        nodes = [n for n in scope.nodes(site_rights.SITE_MANAGER_ROLES) if n.kind == Area.Kind.COMMUNITY]
        community = nodes[0] if nodes else None
    if community is None or not site_rights.may_manage_community(scope, community):
        raise Http404
    form = PlanForm(
        request.POST or None,
        areas=Area.objects.filter(path__startswith=community.path).exclude(kind=Area.Kind.ZONE),
        sites=ServiceSite.objects.filter(community=community, active=True),
        units=scope.units(),
        initial={"area": community.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        for key in ("day", "start", "end"):
            data.pop(key)
        activity = tried(
            request, lambda: services.activity_plan(user=request.user, community=community, **data)
        )
        if activity is not None:
            messages.success(request, "活动已创建，发布后居民即可报名")
            return redirect("activities-detail", pk=activity.pk)
    return render(request, "activities/new.html", {"form": form, "community": community})


def _post(request, scope: Scope, activity: Activity, forms: dict) -> str | None:
    action = request.POST.get("action")
    user = request.user
    if action == "signup":
        services.activity_signup(user=user, activity_id=activity.pk)
        return "报名成功，活动当天请到现场扫码签到"
    if action == "withdraw":
        services.activity_withdraw(user=user, activity_id=activity.pk)
        return "已取消报名"
    if action == "publish":
        services.activity_publish(user=user, activity_id=activity.pk)
        return "活动已发布，面向的居民可以报名"
    if action == "cancel":
        services.activity_cancel(user=user, activity_id=activity.pk, reason=request.POST.get("reason", ""))
        return "活动已取消"
    if action == "tick":
        forms["tick"] = form = TickForm(request.POST, choices=forms["tick"].fields["people"].choices)
        if form.is_valid():
            done = services.activity_tick(
                user=user, activity_id=activity.pk, person_ids=form.cleaned_data["people"]
            )
            return f"已签到 {len(done)} 人"
    if action == "close":
        forms["close"] = close = CloseForm(request.POST)
        if close.is_valid():
            services.activity_close(user=user, activity_id=activity.pk, report=close.cleaned_data["report"])
            return "活动已结束，党员和志愿者的时长已计入"
    if action == "photos":
        forms["photos"] = upload = PhotosForm(request.POST, request.FILES)
        if upload.is_valid():
            saved = services.activity_add_photos(
                user=user, activity_id=activity.pk, photos=upload.cleaned_data["photos"]
            )
            return f"已上传 {len(saved)} 张照片"
    return None


def _tick_choices(activity: Activity) -> list[tuple[int, str]]:
    """Those signed up and not yet in, then the community's other residents (walk-ins)."""
    signed = activity.attendances.filter(checked_in_at__isnull=True).select_related("person")
    choices = [(a.person_id, f"{a.person.name}（已报名）") for a in signed]
    taken = set(activity.attendances.values_list("person_id", flat=True))
    from people.models import Person

    others = Person.objects.filter(community=activity.community).exclude(pk__in=taken).order_by("name")[:300]
    return choices + [(p.pk, p.name) for p in others]


@login_required
def activity_detail(request, pk: int):
    scope = Scope.of(request.user)
    activity = get_object_or_404(selectors.with_counts(rights.activities(scope)), pk=pk)
    manage, tick = rights.may_manage(scope, activity), rights.may_tick(scope, activity)
    forms: dict[str, Any] = {
        "tick": TickForm(choices=_tick_choices(activity) if tick else []),
        "close": CloseForm(),
        "photos": PhotosForm(),
    }
    if request.method == "POST" and (done := tried(request, lambda: _post(request, scope, activity, forms))):
        messages.success(request, done)
        return redirect("activities-detail", pk=activity.pk)
    person = scope.person
    mine = activity.attendances.filter(person=person).first() if person else None
    offered = services.ACTIVITIES.offered(activity, lambda a: a not in ("signup", "withdraw", "check_in"))
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "manage": manage,
            "tick": tick and activity.status == Activity.Status.PUBLISHED,
            "offered": offered if manage else [],
            "may_join": rights.may_join(scope, activity) and activity.status == Activity.Status.PUBLISHED,
            "mine": mine,
            "full": activity.cap is not None and getattr(activity, "signed", 0) >= activity.cap,
            "attendances": activity.attendances.select_related("person") if tick or manage else [],
            "photos": activity.photos.all(),
            "forms": forms,
            "events": [
                (e, EVENT_LABELS.get(e.action, e.action))
                for e in activity.events.select_related("actor")[:50]
            ]
            if manage
            else [],
        },
    )


@login_required
def activity_qr(request, pk: int):
    """The staff phone shows this to the room: residents scan it and land on the check-in page."""
    scope = Scope.of(request.user)
    activity = get_object_or_404(rights.activities(scope), pk=pk)
    if not rights.may_tick(scope, activity):
        raise Http404
    url = (
        request.build_absolute_uri(reverse("activities-checkin", args=[activity.pk]))
        + "?c="
        + services.checkin_code(activity)
    )
    return render(
        request,
        "activities/qr.html",
        {
            "activity": activity,
            "url": url,
            "svg": mark_safe(qr.svg(url, title=f"{activity.title} 签到二维码")),  # noqa: S308 (our own drawing)
            "open": services.checkin_open(activity, clock.now()),
            "present": activity.attendances.filter(checked_in_at__isnull=False).count(),
        },
    )


@login_required
def activity_checkin(request, pk: int):
    """Where the QR code leads: the resident confirms with one tap (a GET never checks anyone in)."""
    scope = Scope.of(request.user)
    activity = get_object_or_404(rights.activities(scope), pk=pk)
    code = request.POST.get("c") or request.GET.get("c", "")
    attendance = None
    if request.method == "POST":
        try:
            attendance = services.activity_scan(user=request.user, activity_id=activity.pk, code=code)
        except REFUSED as exc:
            refusal(request, exc)
        else:
            messages.success(request, f"签到成功：{activity.title}")
    person = scope.person
    if attendance is None and person is not None:
        attendance = activity.attendances.filter(person=person, checked_in_at__isnull=False).first()
    return render(
        request, "activities/checkin.html", {"activity": activity, "code": code, "attendance": attendance}
    )
