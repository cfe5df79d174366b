"""Forms of the council pages."""

from __future__ import annotations

from django import forms

from councils.models import Council, Decision, FollowUp


class CouncilForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Council.Kind.choices)
    name = forms.CharField(label="名称", max_length=100)
    charter = forms.CharField(
        label="议事规则", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MeetingForm(forms.Form):
    title = forms.CharField(label="会议名称", max_length=120)
    scheduled_at = forms.DateTimeField(
        label="时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label="地点", max_length=120, required=False)


class IssueForm(forms.Form):
    title = forms.CharField(label="议题", max_length=120)
    description = forms.CharField(
        label="说明", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label="落实方式", choices=Decision.Kind.choices)
    text = forms.CharField(label="决议内容", max_length=300)
    due = forms.DateField(label="完成时限", widget=forms.DateInput(attrs={"type": "date"}))
    budget_yuan = forms.DecimalField(
        label="项目预算（元）", required=False, min_value=0, max_value=100_000_000, decimal_places=2
    )


class FollowUpForm(forms.Form):
    verdict = forms.ChoiceField(label="进展", choices=FollowUp.Verdict.choices)
    note = forms.CharField(label="情况", max_length=300)
