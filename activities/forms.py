"""活动: the forms of the pages."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone

from activities.models import Activity
from appeals.forms import PhotosField


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Activity.Kind.choices)
    title = forms.CharField(label="名称", max_length=120)
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label="开始", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="结束", widget=forms.TimeInput(attrs={"type": "time"}))
    area: forms.ModelChoiceField = forms.ModelChoiceField(label="面向（社区或网格的居民）", queryset=None)
    site: forms.ModelChoiceField = forms.ModelChoiceField(label="服务阵地", queryset=None, required=False)
    place = forms.CharField(label="地点（不在阵地时填写）", max_length=120, required=False)
    organiser = forms.CharField(label="组织者 / 主讲", max_length=60, required=False)
    unit: forms.ModelChoiceField = forms.ModelChoiceField(label="共建单位", queryset=None, required=False)
    cap = forms.IntegerField(label="名额（不限请留空）", min_value=1, max_value=100000, required=False)
    description = forms.CharField(label="简介", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, areas, sites, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start") and data.get("end"):
            data["starts_at"] = timezone.make_aware(datetime.combine(data["day"], data["start"]))
            data["ends_at"] = timezone.make_aware(datetime.combine(data["day"], data["end"]))
        return data


class CloseForm(forms.Form):
    report = forms.CharField(label="活动小结", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class TickForm(forms.Form):
    people = forms.TypedMultipleChoiceField(label="签到居民", coerce=int, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = choices  # type: ignore[attr-defined]


class PhotosForm(forms.Form):
    photos = PhotosField(label="照片（最多 6 张）")
