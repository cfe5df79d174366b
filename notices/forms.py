"""Forms of the notice board's management page; they only shape input, ``notices.services`` decides."""

from __future__ import annotations

from django import forms

from notices.models import Notice
from notices.services import MAX_PERIOD_DAYS

# Topic and result notices of a deliberation are published from the topic's page, tied to the topic.
GENERAL_KINDS = [
    (k.value, k.label)
    for k in (
        Notice.Kind.OTHER,
        Notice.Kind.RESULT,
        Notice.Kind.LEDGER,
        Notice.Kind.RANKING,
        Notice.Kind.VOTE,
    )
]


class NoticePublishForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=GENERAL_KINDS, initial=Notice.Kind.OTHER)
    title = forms.CharField(label="标题", max_length=120)
    body = forms.CharField(label="公示内容", max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))
    days = forms.IntegerField(label="公示期（天）", min_value=1, max_value=MAX_PERIOD_DAYS, initial=7)


class NoticeWithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=300)
