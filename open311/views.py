"""The administrator's page of Open311 keys (/open311/keys/): issue a key (its text shown once), list, revoke.

Only the administrator (``open311.scope.may_manage_keys``) sees it; anyone else gets the 403 page.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from areas.models import Area
from linli.errors import ValidationError, messages_of
from open311.keys import key_issue, key_revoke
from open311.models import ApiKey
from open311.scope import may_manage_keys


class KeyForm(forms.Form):
    client = forms.CharField(label="客户端名称", max_length=80, help_text="如：市 12345 热线、某某随手拍")
    owner = forms.CharField(label="负责单位或联系人", max_length=120)
    areas = forms.ModelMultipleChoiceField(
        label="可提交的区域",
        queryset=Area.objects.filter(
            kind__in=[Area.Kind.DISTRICT, Area.Kind.SUBDISTRICT, Area.Kind.COMMUNITY]
        ).order_by("path"),
        help_text="客户端只能向这些区域（及其下级网格）提交诉求；可多选",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    rate_per_minute = forms.IntegerField(label="每分钟提交上限", min_value=1, max_value=600, initial=30)


def _admin_scope(request) -> Scope:
    scope = Scope.of(request.user)
    if not may_manage_keys(scope):
        raise PermissionDenied("只有系统管理员可以管理 Open311 密钥")
    return scope


def _page(request, form: KeyForm, issued: tuple[ApiKey, str] | None = None, status: int = 200):
    keys = ApiKey.objects.annotate(filed=Count("requests")).prefetch_related("areas").order_by("-created_at")
    context = {"form": form, "keys": keys, "issued": issued}
    return render(request, "open311/keys.html", context, status=status)


@login_required
def key_list(request):
    _admin_scope(request)
    if request.method != "POST":
        return _page(request, KeyForm())
    form = KeyForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        issued = key_issue(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        for message in messages_of(exc):
            form.add_error(None, message)
        return _page(request, form, status=400)
    return _page(request, KeyForm(), issued=issued, status=201)


@login_required
@require_POST
def key_revoke_view(request, pk: int):
    _admin_scope(request)
    try:
        key = key_revoke(actor=request.user, key_id=pk)
    except ValidationError as exc:
        messages.error(request, "；".join(messages_of(exc)))
    else:
        messages.success(request, f"已撤销 {key.client} 的密钥（{key.prefix}…），它提交的请求照常办理和查询")
    return redirect("open311-keys")
