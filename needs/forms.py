from __future__ import annotations

from django import forms

from appeals.forms import CategoryChoiceField
from categories.models import Category
from needs.models import VolunteerTeam
from needs.service_types import ServiceType


def _categories():
    return Category.objects.filter(is_active=True).select_related("parent").order_by("code")


class NeedForm(forms.Form):
    title = forms.CharField(label="需求", max_length=120)
    category = CategoryChoiceField(queryset=_categories(), label="类别", empty_label="请选择")
    service_type = forms.ChoiceField(
        label="需要的服务",
        choices=[("", "请选择"), *ServiceType.choices],
        help_text="只会派给提供这种服务的单位或党员",
    )
    description = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    person: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label="需求人", required=False, empty_label="（群体需求）"
    )
    group = forms.CharField(
        label="需求群体",
        required=False,
        max_length=100,
        help_text="没有具体需求人时填写，例如：3 号楼的独居老人",
    )
    building: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label="楼栋", required=False, empty_label="不指定"
    )
    priority = forms.TypedChoiceField(
        label="优先级",
        coerce=int,
        initial=0,
        choices=[(0, "一般"), (1, "较急"), (2, "紧急"), (3, "特急（独居、失能等）")],
    )

    def __init__(self, *args, people=None, buildings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["building"].queryset = buildings  # type: ignore[attr-defined]


class RegistrationForm(forms.Form):
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label="报到单位", required=False, empty_label="（党员个人报到）"
    )
    person: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label="报到党员", required=False, empty_label="（单位报到）"
    )
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args, units=None, party_members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["person"].queryset = party_members  # type: ignore[attr-defined]


class OfferForm(forms.Form):
    title = forms.CharField(label="服务名称", max_length=100)
    categories: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=_categories(), label="服务类别", widget=forms.SelectMultiple(attrs={"size": 8})
    )
    service_types = forms.MultipleChoiceField(
        label="提供的服务",
        choices=ServiceType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="只会派来需要这些服务的需求",
    )
    capacity_per_month = forms.IntegerField(label="每月可接单数", min_value=1, max_value=500, initial=2)
    max_distance_km = forms.DecimalField(
        label="服务半径（公里）", min_value=0, max_value=100, decimal_places=1, initial=3
    )
    when = forms.CharField(label="服务时间", required=False, max_length=100, help_text="例如：周末上午")
    skills = forms.CharField(label="特长与技能", required=False, max_length=200)


class TeamForm(forms.Form):
    name = forms.CharField(label="队名", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=VolunteerTeam.Kind.choices)
    leader: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label="队长")

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = people  # type: ignore[attr-defined]


class ActivityForm(forms.Form):
    title = forms.CharField(label="活动", max_length=120)
    held_on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="地点", required=False, max_length=120)
    minutes_each = forms.IntegerField(label="每人时长（分钟）", min_value=1, max_value=1440, initial=120)
    participants: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None, label="参加队员", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = members  # type: ignore[attr-defined]


class MembersForm(forms.Form):
    members: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None, label="新队员", widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = people  # type: ignore[attr-defined]
