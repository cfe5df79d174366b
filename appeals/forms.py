"""Page forms of the appeal loop. They only shape input; the services decide."""

from __future__ import annotations

from django import forms

from appeals.models import Channel, Satisfaction, TriageKind
from categories.models import Category
from people.models import phone_validator


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.parent.name} / {obj.name}" if obj.parent is not None else obj.name


def category_field(required: bool = False) -> CategoryChoiceField:
    return CategoryChoiceField(
        queryset=Category.objects.filter(is_active=True).select_related("parent").order_by("code"),
        required=required,
        label="类别",
        empty_label="不清楚，请社区帮我分类" if not required else "请选择",
    )


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultiFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "multiple": True})

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(PhotosField, self).clean(f, initial) for f in files]


class ResidentAppealForm(forms.Form):
    title = forms.CharField(
        label="一句话说明",
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": "例如：3 号楼楼道灯坏了"}),
    )
    body = forms.CharField(label="详细情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    category = category_field()
    building = forms.ChoiceField(label="地点", required=False)
    street = forms.ChoiceField(label="所在街路（选填）", required=False)
    address = forms.CharField(label="其他地址（选填）", max_length=200, required=False)
    photos = PhotosField(label="照片（选填，最多 6 张）", required=False)
    is_anonymous = forms.BooleanField(label="对外公示时隐藏我的姓名", required=False)

    def __init__(self, *args, buildings=(), streets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].required = False
        # 街长制: the streets of the user's communities; an appeal on one reaches its 街长.
        self.fields["street"].choices = [("", "不在街路上")] + [(str(s.pk), label) for s, label in streets]
        self.fields["street"].help_text = "问题在街路上（路面、井盖、路灯、占道等）时选择，街长会收到"
        if not streets:
            del self.fields["street"]
        self.fields["building"].choices = [("", "我家所在楼栋以外的地方")] + [
            (str(b.pk), b.name) for b in buildings
        ]
        if buildings:
            self.fields["building"].initial = str(buildings[0].pk)

    def appeal_fields(self):
        """The fields about the problem itself, in order (the page lays out the person's fields apart)."""
        return list(self)


class StaffAppealForm(ResidentAppealForm):
    """A worker records for a resident: the resident is picked from the register (``person``, the radio buttons of
    the search results) or registered now (``new_name``, ``new_phone``, living in the chosen building). The wording
    is the worker's, not the resident's."""

    PERSON_FIELDS = ("new_name", "new_phone")

    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    new_name = forms.CharField(label="姓名", max_length=50, required=False)
    new_phone = forms.CharField(
        label="电话（选填，用于回访）", max_length=20, validators=[phone_validator], required=False
    )
    channel = forms.ChoiceField(
        label="怎么反映的",
        choices=[
            (c, label)
            for c, label in Channel.choices
            if c not in (Channel.API, Channel.NEED, Channel.APP, Channel.OPEN311)
        ],
        initial=Channel.VISIT,
    )
    grid = forms.ChoiceField(label="网格", required=False)

    field_order = [
        "channel",
        "building",
        "grid",
        "street",
        "address",
        "title",
        "body",
        "category",
        "photos",
        "is_anonymous",
    ]

    def __init__(self, *args, grids=(), buildings=(), streets=(), **kwargs):
        super().__init__(*args, buildings=buildings, streets=streets, **kwargs)
        self.fields["building"].label = "地点（楼栋）"
        self.fields["building"].help_text = "不选时按居民住址；新登记的居民记为住在这栋楼"
        self.fields["building"].choices = [("", "不指定楼栋")] + [
            (str(b.pk), f"{b.grid.name} · {b.name}") for b in buildings
        ]
        self.fields["building"].initial = ""
        self.fields["grid"].choices = [("", "按楼栋或居民住址")] + [(str(g.pk), g.name) for g in grids]
        self.fields["grid"].help_text = "地点不在某栋楼时选网格"
        self.fields["title"].widget.attrs["placeholder"] = "例如：3 号楼楼道灯坏了"
        self.fields["body"].label = "居民反映的情况"
        self.fields["category"].empty_label = "不确定，由社区分类"
        self.fields["photos"].label = "现场照片（选填，最多 6 张）"
        self.fields["is_anonymous"].label = "在公开的评单通报中隐藏居民姓名"

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("new_name") or "").strip():
            raise forms.ValidationError("请在居民名册中选中诉求人，或登记新居民的姓名")
        return data

    def person_fields(self):
        return [self[name] for name in self.PERSON_FIELDS]

    def appeal_fields(self):
        return [f for f in self if f.name not in (*self.PERSON_FIELDS, "person")]


class TriageForm(forms.Form):
    kind = forms.ChoiceField(label="处置方式", choices=TriageKind.choices, widget=forms.RadioSelect)
    category = category_field()
    answer = forms.CharField(
        label="答复内容（回复解释类必填）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DispatchForm(forms.Form):
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label="承办单位", empty_label="请选择"
    )
    note = forms.CharField(label="派单说明", required=False, max_length=500)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class WhistleForm(forms.Form):
    units: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None, label="召集单位", widget=forms.CheckboxSelectMultiple
    )
    report_within_hours = forms.IntegerField(label="报到时限（小时）", min_value=1, max_value=72, initial=2)
    task = forms.CharField(label="任务说明", required=False, max_length=300)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


class RateForm(forms.Form):
    resolved = forms.TypedChoiceField(
        label="问题解决了吗",
        choices=[("true", "解决了"), ("false", "没解决")],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(label="您满意吗", choices=Satisfaction.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="想说的话（选填）", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class TextForm(forms.Form):
    """One required text: a reason, a note or a report."""

    text = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, label: str = "说明", required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].required = required


class LogTimeForm(forms.Form):
    minutes = forms.IntegerField(label="本次服务时长（分钟）", min_value=1, max_value=1440)
    note = forms.CharField(label="服务内容（选填）", required=False, max_length=300)


class MergeForm(forms.Form):
    into = forms.IntegerField(label="合并到诉求编号", min_value=1)


class ReleaseForm(forms.Form):
    unit: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label="解除单位")

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
