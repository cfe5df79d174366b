"""Pages of the appeal loop: submit (phone-first), my appeals, the worker queue, the detail with its actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from appeals import forms as f
from appeals import services, whistle
from appeals.errors import PermissionDenied, TransitionError, ValidationError
from appeals.models import OPEN_STATUSES, Appeal, Channel, Status
from appeals.selectors import (
    QUEUE_MEASURES,
    QueueFilters,
    dispatchable_units,
    due_label,
    queue,
    visible_appeals,
)
from appeals.workflow import ACTION_LABELS, allowed_actions
from areas.models import Area
from people.models import Person
from people.services import person_create
from triage.hints import detail_hints


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


@login_required
def appeal_new(request):
    scope = Scope.of(request.user)
    staff = scope.is_staff_like
    person = scope.person
    if staff:
        grids = list(scope.areas().filter(kind=Area.Kind.GRID).order_by("path"))
        buildings = list(scope.buildings().select_related("grid").order_by("grid__path", "code")[:500])
        form = f.StaffAppealForm(
            request.POST or None, request.FILES or None, grids=grids, buildings=buildings
        )
    else:
        buildings = list(scope.buildings())
        form = f.ResidentAppealForm(request.POST or None, request.FILES or None, buildings=buildings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        building = next((b for b in buildings if str(b.pk) == data.get("building")), None)
        try:
            with transaction.atomic():
                if staff:
                    grid = next((g for g in grids if str(g.pk) == data["grid"]), None)
                    raised_by = _find_or_register(request.user, scope, data, grid)
                    channel = data["channel"]
                else:
                    grid, raised_by, channel = None, person, Channel.APP
                appeal = services.appeal_submit(
                    user=request.user,
                    title=data["title"],
                    body=data["body"],
                    channel=channel,
                    raised_by=raised_by,
                    category=data.get("category"),
                    grid=grid,
                    building=building,
                    address=data.get("address", ""),
                    is_anonymous=data.get("is_anonymous", False),
                    photos=data.get("photos") or [],
                )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已提交，编号 {appeal.pk}。社区会尽快处理，进展会通知您。")
            return redirect("appeal-detail", pk=appeal.pk)
    return render(request, "appeals/new.html", {"form": form, "staff": staff})


def _find_or_register(user, scope: Scope, data: dict, grid: Area | None) -> Person:
    """A resident met on a visit or on the phone: found by phone among people in scope, or registered now."""
    phone = data.get("person_phone", "")
    if phone:
        found = scope.persons().filter(phone=phone).first()
        if found is not None:
            return found
    community = grid.ancestor_of_kind(Area.Kind.COMMUNITY) if grid else None
    if not scope.can_create_person_in(community):
        raise PermissionDenied("您不能在该社区登记居民")
    return person_create(
        actor=user,
        name=data["person_name"],
        phone=phone,
        community=community,
        note="登记诉求时由工作人员代为登记",
    )


@login_required
def my_appeals(request):
    scope = Scope.of(request.user)
    person = scope.person
    appeals = (
        Appeal.objects.filter(raised_by=person) | Appeal.objects.filter(followers=person)
        if person
        else Appeal.objects.none()
    )
    appeals = appeals.distinct().select_related("unit", "category").order_by("-submitted_at")
    status = request.GET.get("status", "")
    if status in Status.values:  # 待评价 from the home page: ?status=completed
        appeals = appeals.filter(status=status)
    page = Paginator(appeals, 20).get_page(request.GET.get("page"))
    # A party member on duty also serves: the service orders dispatched to them in person.
    serving = (
        Appeal.objects.filter(provider=person).select_related("community").order_by("-dispatched_at")[:50]
        if person
        else []
    )
    return render(
        request,
        "appeals/mine.html",
        {
            "page": page,
            "serving": serving,
            "status_label": Status(status).label if status in Status.values else "",
        },
    )


@login_required
def appeal_queue(request):
    scope = Scope.of(request.user)
    if not scope.is_staff_like:
        return redirect("appeal-mine")
    filters = QueueFilters.from_query(request.GET)
    if (
        scope.unit_ids
        and not scope.nodes(
            {"community_staff", "subdistrict_staff", "grid_worker", "grid_leader", "district_leader"}
        )
        and not scope.is_admin
    ):
        title = "单位收件箱"
    else:
        title = "工作队列"
    page = Paginator(queue(scope, filters), 30).get_page(request.GET.get("page"))
    rows = [(a, due_label(a)) for a in page]
    return render(
        request,
        "appeals/queue.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "title": title,
            "statuses": [("open", "未办结"), *Status.choices],
            "categories": f.category_field().queryset.filter(parent__isnull=True),
            "grids": scope.areas().filter(kind=Area.Kind.GRID).order_by("path")[:300],
            "units": scope.units().order_by("kind", "code")[:300],
            "querystring": request.GET.copy().urlencode() if "page" not in request.GET else "",
            "measure_label": QUEUE_MEASURES.get(filters.measure, ("",))[0],
            "export_query": request.GET.urlencode(),
        },
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _action_forms(scope: Scope, appeal: Appeal, actions: list[str]) -> dict:
    forms: dict = {}
    units = dispatchable_units(appeal)
    builders = {
        "triage": lambda: f.TriageForm(
            initial={"category": appeal.category_id, "kind": appeal.triage_kind or "transfer"}
        ),
        "dispatch": lambda: f.DispatchForm(units=units),
        "whistle": lambda: f.WhistleForm(units=units),
        "rate": lambda: f.RateForm(),
        "merge": lambda: f.MergeForm(),
        "log_time": lambda: f.LogTimeForm(),
        "release_part": lambda: f.ReleaseForm(
            units=units.filter(whistle_parts__appeal=appeal).exclude(
                whistle_parts__status__in=["done", "released"]
            )
        ),
    }
    for action in actions:
        if action in builders:
            forms[action] = builders[action]()
        else:
            label, required = TEXT_ACTIONS[action]
            forms[action] = f.TextForm(label=label, required=required)
    return forms


# What a person is told after an action, where "已<label>" would mislead (已办结 is the closed status).
DONE_MESSAGES = {"complete": "已提交办理结果，等待居民评价", "part_done": "已提交本单位办理情况"}

# action -> (label of its one text field, required)
TEXT_ACTIONS = {
    "accept": ("接单说明（选填）", False),
    "return": ("退回理由", True),
    "progress": ("进展说明", True),
    "complete": ("办理结果", True),
    "reopen": ("重办理由", True),
    "withdraw": ("撤回原因（选填）", False),
    "report_in": ("报到说明（选填）", False),
    "part_done": ("本单位办理情况", True),
    "supervise": ("督办意见", True),
}


@login_required
def appeal_detail(request, pk: int, forms: dict | None = None):
    scope = Scope.of(request.user)
    appeal = get_object_or_404(
        visible_appeals(scope).select_related(
            "category", "community", "grid", "building", "unit", "raised_by", "merged_into"
        ),
        pk=pk,
    )
    actions = allowed_actions(scope, appeal)
    action_forms = _action_forms(scope, appeal, actions)
    action_forms.update(forms or {})
    hints = detail_hints(scope, appeal, action_forms)  # triage: suggestion, pre-filled forms, duplicates
    from appeals.serializers import AppealDetailSerializer

    shown = AppealDetailSerializer(appeal, context={"request": request}).data
    events = list(appeal.events.select_related("actor__person", "unit").order_by("at", "id"))
    for event in events:
        event.label = ACTION_LABELS.get(event.action, event.action)  # type: ignore[attr-defined]
    return render(
        request,
        "appeals/detail.html",
        {
            "appeal": appeal,
            "shown": shown,
            "actions": [(a, ACTION_LABELS[a], action_forms[a]) for a in actions],
            "events": events,
            "parts": appeal.whistle_parts.select_related("unit"),
            "photos": appeal.photos.all(),
            "due": due_label(appeal),
            "is_open": appeal.status in OPEN_STATUSES,
            "hints": hints,
            "projects": appeal.projects.all(),
            "can_make_need": "dispatch" in actions
            and appeal.triage_kind == "self_handle"
            and not hasattr(appeal, "source_need"),
        },
    )


@login_required
@require_POST
def appeal_act(request, pk: int, action: str):
    scope = Scope.of(request.user)
    appeal = get_object_or_404(visible_appeals(scope), pk=pk)
    if action not in ACTION_LABELS:
        raise Http404
    forms = _action_forms(scope, appeal, [action])
    form = type(forms[action])(request.POST, request.FILES, **_form_kwargs(forms[action]))
    if not form.is_valid():
        messages.error(request, "请检查填写的内容")
        return appeal_detail(request, pk, forms={action: form})
    try:
        _perform(request.user, appeal, action, form.cleaned_data, request.FILES.getlist("photos"))
    except TransitionError as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "您没有权限执行此操作")
    except ValidationError as exc:
        for message in _errors(exc):
            form.add_error(None, message)
        return appeal_detail(request, pk, forms={action: form})
    else:
        messages.success(request, DONE_MESSAGES.get(action, f"已{ACTION_LABELS[action]}"))
    return redirect("appeal-detail", pk=pk)


def _form_kwargs(form) -> dict:
    if isinstance(form, f.TextForm):
        return {"label": form.fields["text"].label, "required": form.fields["text"].required}
    if isinstance(form, f.DispatchForm | f.ReleaseForm):
        return {"units": form.fields["unit"].queryset}  # type: ignore[attr-defined]
    if isinstance(form, f.WhistleForm):
        return {"units": form.fields["units"].queryset}  # type: ignore[attr-defined]
    return {}


def _perform(user, appeal: Appeal, action: str, data: dict, photos: list) -> None:
    pk = appeal.pk
    text = data.get("text", "")
    calls = {
        "triage": lambda: services.appeal_triage(
            user=user,
            appeal_id=pk,
            kind=data["kind"],
            category=data.get("category"),
            answer=data.get("answer", ""),
        ),
        "dispatch": lambda: services.appeal_dispatch(
            user=user, appeal_id=pk, unit=data["unit"], note=data.get("note", "")
        ),
        "accept": lambda: services.appeal_accept(user=user, appeal_id=pk, note=text),
        "return": lambda: services.appeal_return(user=user, appeal_id=pk, reason=text),
        "progress": lambda: services.appeal_progress(user=user, appeal_id=pk, note=text),
        "complete": lambda: services.appeal_complete(user=user, appeal_id=pk, report=text, photos=photos),
        "rate": lambda: services.appeal_rate(
            user=user,
            appeal_id=pk,
            resolved=data["resolved"],
            satisfaction=data["satisfaction"],
            comment=data.get("comment", ""),
        ),
        "reopen": lambda: services.appeal_reopen(user=user, appeal_id=pk, reason=text),
        "withdraw": lambda: services.appeal_withdraw(user=user, appeal_id=pk, reason=text),
        "whistle": lambda: whistle.appeal_whistle(
            user=user,
            appeal_id=pk,
            units=list(data["units"]),
            report_within_hours=data["report_within_hours"],
            task=data.get("task", ""),
        ),
        "report_in": lambda: whistle.whistle_report_in(user=user, appeal_id=pk, note=text),
        "part_done": lambda: whistle.whistle_part_done(user=user, appeal_id=pk, report=text),
        "release_part": lambda: whistle.whistle_release(user=user, appeal_id=pk, unit=data["unit"]),
        "merge": lambda: services.appeal_merge(user=user, appeal_id=pk, into_id=data["into"]),
        "supervise": lambda: services.appeal_supervise(user=user, appeal_id=pk, note=text),
        "log_time": lambda: services.appeal_log_time(
            user=user, appeal_id=pk, minutes=data["minutes"], note=data.get("note", "")
        ),
    }
    if action not in calls:
        raise Http404
    calls[action]()
