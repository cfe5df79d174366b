"""Forms of the register pages: a person, where they live, a unit's contact. Choices are what the user's scope
allows; the services validate again and their messages land on the fields."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django import forms
from django.core.exceptions import ValidationError

from areas.models import Area, Building
from people.models import HouseholdMember, Person, phone_validator
from units.models import PartyOrg, Unit


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "phone",
            "gender",
            "birth_year",
            "community",
            "is_party_member",
            "party_org",
            "note",
        ]
        labels = {"community": "所属社区", "party_org": "所在党组织"}
        help_texts = {"phone": "11 位手机号，或带区号的固定电话", "note": "例如：独居老人、行动不便"}
        widgets = {"birth_year": forms.NumberInput(attrs={"min": 1900, "max": 2100, "inputmode": "numeric"})}

    def __init__(self, *args, communities, party_orgs, show_phone: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        keep = self.instance.community_id
        cast(forms.ModelChoiceField, self.fields["community"]).queryset = Area.objects.filter(
            pk__in=[*communities.values_list("pk", flat=True), *([keep] if keep else [])]
        ).order_by("path")
        self.fields["community"].required = True
        org = self.instance.party_org_id
        cast(forms.ModelChoiceField, self.fields["party_org"]).queryset = PartyOrg.objects.filter(
            pk__in=[*party_orgs.values_list("pk", flat=True), *([org] if org else [])]
        )
        if not show_phone:  # seen masked: not shown, and so not changed
            del self.fields["phone"]

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year is not None and not 1900 <= year <= 2100:
            raise ValidationError("请填写四位数的出生年份，例如 1956")
        return year

    def clean(self):
        data = super().clean()
        if data.get("party_org") and not data.get("is_party_member"):
            self.add_error("party_org", "只有党员才能有所在党组织")
        return data

    def changes(self) -> dict:
        """The fields whose value the form changes (for person_update)."""
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.cleaned_data}


class HousingForm(forms.Form):
    building = forms.ModelChoiceField(label="楼栋", queryset=Building.objects.none())
    number = forms.CharField(label="房号", max_length=40, help_text="例如 2-301")
    floor_area = forms.DecimalField(
        label="建筑面积 (m²)",
        required=False,
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text="这一户还没有登记时填写",
    )
    relation = forms.ChoiceField(label="与户主关系", choices=HouseholdMember.Relation.choices)
    is_owner = forms.BooleanField(label="业主", required=False)

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings.select_related("grid").order_by("grid__path", "code")
        self.fields["building"].label_from_instance = lambda b: f"{b.name}（{b.grid.name}）"


class UnitContactForm(forms.Form):
    contact_phone = forms.CharField(
        label="联系电话",
        max_length=20,
        required=False,
        validators=[phone_validator],
        help_text="居民和社区找这个单位时拨打的电话",
    )

    @classmethod
    def for_unit(cls, unit: Unit, data=None) -> UnitContactForm:
        return cls(data, initial={"contact_phone": unit.contact_phone})
