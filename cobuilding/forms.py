"""Forms of the structure pages (bounded numbers, choices from the person's scope)."""

from __future__ import annotations

from django import forms

from access.scope import Scope
from areas.models import Area
from cobuilding.models import Pledge
from units.models import Unit


class AgreementForm(forms.Form):
    unit = forms.ModelChoiceField(label="共建单位", queryset=Unit.objects.none())
    title = forms.CharField(label="协议名称", max_length=120)
    starts_on = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, scope: Scope, community: Area, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = scope.units().filter(is_active=True).exclude(kind="community").order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "截止日期不能早于起始日期")
        return data


class PledgeForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=Pledge.Kind.choices)
    description = forms.CharField(label="内容", max_length=200)
    amount_yuan = forms.DecimalField(
        label="金额（元）", required=False, min_value=0, max_value=100_000_000, decimal_places=2
    )
    people = forms.IntegerField(label="人数", required=False, min_value=0, max_value=10_000)
    hours_per_year = forms.IntegerField(
        label="每年服务时长（小时）", required=False, min_value=0, max_value=1_000_000
    )
