"""Pages of the appeal loop: submit (phone-first), my appeals, the worker queue, the detail with its actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from appeals import forms as f
from appeals import services, whistle
from appeals.errors import ValidationError, messages_of
from appeals.intake import records_for_others
from appeals.models import OPEN_STATUSES, Appeal, Status
from appeals.selectors import (
    QUEUE_MEASURES,
    WHISTLE_FILTERS,
    QueueFilters,
    dispatchable_units,
    due_label,
    queue,
    visible_appeals,
)
from appeals.timeline import timeline, waiting_for
from appeals.workflow import ACTION_LABELS, allowed_actions
from areas.models import Area
from linli.inputs import positive_id
from linli.refusals import REFUSALS, refusal
from triage.hints import detail_hints


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
    title = "单位收件箱" if scope.works_for_units_only else "工作队列"
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
            "whistle_filters": list(WHISTLE_FILTERS.items()),
            "categories": f.category_field().queryset.filter(parent__isnull=True),
            "grids": scope.areas().filter(kind=Area.Kind.GRID).order_by("path")[:300],
            "units": scope.units().order_by("kind", "code")[:300],
            "querystring": request.GET.copy().urlencode() if "page" not in request.GET else "",
            "measure_label": QUEUE_MEASURES.get(filters.measure, ("",))[0],
            "export_query": request.GET.urlencode(),
            "can_record": records_for_others(scope),
        },
    )


def _int(value: str | None) -> int | None:
    return positive_id(value)


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


# What a person is told after an action, where "已<label>" would mislead (已办结 is the closed status) or not
# read as Chinese (已进展).
DONE_MESSAGES = {
    "complete": "已提交办理结果，等待居民评价",
    "part_done": "已提交本单位办理情况",
    "progress": "已记录办理进展",
    "reopen": "已转回重新办理",
    "log_time": "已记录服务时长",
    "release_part": "已解除该单位的报到任务",
}

# Steps that cannot be undone ask first (static/confirm.js reads the button's data-confirm).
CONFIRMS = {
    "merge": "合并后不能撤销：本诉求不再单独办理，诉求人转到所填编号的诉求跟进。确定合并吗？",
    "whistle": "吹哨后所选单位会立即收到报到通知，吹哨不能撤回（只能逐个解除）。确定吹哨吗？",
}

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
    events = timeline(scope, appeal)
    return render(
        request,
        "appeals/detail.html",
        {
            "appeal": appeal,
            "shown": shown,
            "actions": [(a, ACTION_LABELS[a], action_forms[a], CONFIRMS.get(a, "")) for a in actions],
            "events": events,
            "parts": list(appeal.whistle_parts.select_related("unit").order_by("id")),
            "photos": appeal.photos.all(),
            "due": due_label(appeal),
            "is_open": appeal.status in OPEN_STATUSES,
            "waiting_for": waiting_for(appeal) if not actions else "",
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
    except ValidationError as exc:  # beside the form's fields
        for message in messages_of(exc):
            form.add_error(None, message)
        return appeal_detail(request, pk, forms={action: form})
    except REFUSALS as exc:
        refusal(request, exc)
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
